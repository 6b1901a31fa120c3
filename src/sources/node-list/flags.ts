/** Targets on the command line or in --targets-file, and how to connect to them: --insecure, --ca-file, --bearer-token-file, --cadvisor-port. */
import { InvalidArgumentError, Option, type Command } from 'commander';

/** How every scraping source reaches its targets (the node list, discovery, the demo; Prometheus reads its server so). */
export interface ScrapeFlags {
  readonly intervalMs: number;
  readonly timeoutMs?: number;
  /** `--concurrency`: a hard cap on scrapes in flight; undefined: it follows the load (src/scrape/concurrency.ts). */
  readonly concurrency?: number;
  readonly maxBodyBytes: number;
  readonly insecure: boolean;
  readonly caFile?: string;
  readonly bearerTokenFile?: string;
  /** `--cadvisor-port`: also scrape `http://<host>:<port>/metrics` of every target's host, as that node's containers. */
  readonly cadvisorPort?: number;
  /** `--gpu-port`: also scrape a GPU exporter on this port of every target's host, discovered ones too (or, with Kubernetes, every node's). */
  readonly gpuPort?: number;
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
  cadvisorPort?: number;
  gpuPort?: number;
}

export function addNodeListFlags(program: Command): Command {
  return program
    .option('-f, --targets-file <path>', 'read targets from a file: one per line, # comments')
    .option('--insecure', 'do not verify the targets\' TLS certificates')
    .option('--ca-file <path>', 'PEM certificate authorities to trust for https targets')
    .option('--bearer-token-file <path>', 'send "Authorization: Bearer <token>" with the token read from this file')
    .addOption(
      new Option('--cadvisor-port <port>', 'also read cAdvisor on this port of every target\'s host (such as 8080): the node\'s containers')
        .argParser(cadvisorPortArg)
        // With Kubernetes the kubelet gives each node's pods; Prometheus, a replay and the demo scrape no hosts of ours.
        .conflicts(['kubeconfig', 'prometheus', 'replay', 'demo']),
    )
    .addOption(
      new Option('--gpu-port <port>', "also scrape a GPU exporter on this port of every node's host (9400: dcgm-exporter), discovered ones too; with --kubeconfig through the API server")
        .argParser(portArg('--gpu-port'))
        // Prometheus has the exporters' families already; a replay and the demo scrape no hosts of ours.
        .conflicts(['prometheus', 'replay', 'demo']),
    );
}

export function cadvisorPortArg(text: string): number {
  return portArg('--cadvisor-port')(text);
}

/** A port flag's parser: 1 to 65535, else a one-line error naming the flag. */
function portArg(flag: string): (text: string) => number {
  return (text) => {
    const port = Number(text);
    if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65_535) {
      throw new InvalidArgumentError(`${flag} takes a port from 1 to 65535, such as ${flag === '--gpu-port' ? 9400 : 8080}, not "${text}"`);
    }
    return port;
  };
}

/** The connection flags of a scraping source, with the run's timing. */
export function scrapeFlags(raw: RawScrapeFlags, timing: Pick<ScrapeFlags, 'intervalMs' | 'timeoutMs' | 'concurrency' | 'maxBodyBytes'>): ScrapeFlags {
  return { ...timing, insecure: raw.insecure === true, caFile: raw.caFile, bearerTokenFile: raw.bearerTokenFile, cadvisorPort: raw.cadvisorPort, gpuPort: raw.gpuPort };
}
