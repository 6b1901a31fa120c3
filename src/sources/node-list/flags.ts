/** Targets on the command line or in --targets-file, and how to connect to them: --insecure, --ca-file, --bearer-token-file. */
import type { Command } from 'commander';

/** How every scraping source reaches its targets (the node list, discovery, the demo; Prometheus reads its server so). */
export interface ScrapeFlags {
  readonly intervalMs: number;
  readonly timeoutMs?: number;
  readonly concurrency: number;
  readonly maxBodyBytes: number;
  readonly insecure: boolean;
  readonly caFile?: string;
  readonly bearerTokenFile?: string;
}

/** Targets given by hand: the command line's and --targets-file's. */
export interface NodeListFlags extends ScrapeFlags {
  readonly kind: 'node-list';
  readonly targets: readonly string[];
  readonly targetsFile?: string;
}

/** As commander gives them. */
export interface RawScrapeFlags {
  targetsFile?: string;
  insecure?: boolean;
  caFile?: string;
  bearerTokenFile?: string;
}

export function addNodeListFlags(program: Command): Command {
  return program
    .option('-f, --targets-file <path>', 'read targets from a file: one per line, # comments')
    .option('--insecure', 'do not verify the targets\' TLS certificates')
    .option('--ca-file <path>', 'PEM certificate authorities to trust for https targets')
    .option('--bearer-token-file <path>', 'send "Authorization: Bearer <token>" with the token read from this file');
}

/** The connection flags of a scraping source, with the run's timing. */
export function scrapeFlags(raw: RawScrapeFlags, timing: Pick<ScrapeFlags, 'intervalMs' | 'timeoutMs' | 'concurrency' | 'maxBodyBytes'>): ScrapeFlags {
  return { ...timing, insecure: raw.insecure === true, caFile: raw.caFile, bearerTokenFile: raw.bearerTokenFile };
}
