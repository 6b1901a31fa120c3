import { Command, InvalidArgumentError, Option } from 'commander';
import { VERSION } from '../version.js';
import { parseDuration } from './duration.js';

export interface CliOptions {
  readonly targets: string[];
  readonly targetsFile?: string;
  readonly intervalMs: number;
  readonly timeoutMs?: number;
  readonly concurrency: number;
  readonly once: boolean;
  readonly output: 'table' | 'json';
  readonly insecure: boolean;
  readonly caFile?: string;
  readonly bearerTokenFile?: string;
  readonly historyMs: number;
  readonly maxBodyBytes: number;
  readonly color: boolean;
}

/** Thrown for anything the user wrote wrong: one line, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function duration(flag: string, min: number) {
  return (text: string): number => {
    const ms = parseDuration(text);
    if (ms === null) throw new InvalidArgumentError(`${flag} takes a duration such as 500ms, 2s or 1m, not "${text}"`);
    if (ms < min) throw new InvalidArgumentError(`${flag} must be at least ${min}ms`);
    return ms;
  };
}

function positiveInt(flag: string, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from 1 to ${max}, not "${text}"`);
    }
    return n;
  };
}

const SIZE = /^(\d+)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/i;
const SIZE_UNIT: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1e3, mb: 1e6, gb: 1e9 };

function byteSize(text: string): number {
  const m = SIZE.exec(text.trim());
  const n = m ? Number(m[1]) * (SIZE_UNIT[(m[2] ?? 'b').toLowerCase()] ?? NaN) : NaN;
  if (!Number.isFinite(n) || n < 1024) throw new InvalidArgumentError(`--max-body-size takes a size of at least 1KiB such as 16MiB, not "${text}"`);
  return n;
}

export function buildProgram(): Command {
  return new Command()
    .name('cluster-top')
    .description('An interactive terminal monitor for whole clusters, from their Prometheus metrics endpoints.')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help and exit')
    .argument('[targets...]', 'metrics endpoints: host (port 9100), host:port, [ipv6]:port, or an http(s):// URL')
    .option('-f, --targets-file <path>', 'read targets from a file: one per line, # comments')
    .option('-i, --interval <duration>', 'time between scrapes of a target (500ms, 2s, 1m)', duration('--interval', 100), 2000)
    .option('--timeout <duration>', 'per-scrape time limit (default: 80% of the interval, at most 10s)', duration('--timeout', 10))
    .option('--concurrency <n>', 'scrapes in flight at once, at most', positiveInt('--concurrency', 10_000), 64)
    .option('--once', 'scrape twice one interval apart (so rates exist), print a snapshot and exit')
    .addOption(new Option('-o, --output <format>', 'snapshot format with --once').choices(['table', 'json']).default('table'))
    .option('--insecure', 'do not verify the targets\' TLS certificates')
    .option('--ca-file <path>', 'PEM certificate authorities to trust for https targets')
    .option('--bearer-token-file <path>', 'send "Authorization: Bearer <token>" with the token read from this file')
    .option('--history <duration>', 'how much history to keep per node', duration('--history', 1000), 600_000)
    .option('--max-body-size <size>', 'largest metrics payload accepted, after decompression', byteSize, 16 * 1024 * 1024)
    .option('--no-color', 'no colors (also when NO_COLOR is set)')
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
}

interface RawOptions {
  targetsFile?: string;
  interval: number;
  timeout?: number;
  concurrency: number;
  once?: boolean;
  output: 'table' | 'json';
  insecure?: boolean;
  caFile?: string;
  bearerTokenFile?: string;
  history: number;
  maxBodySize: number;
  color: boolean;
}

export function toCliOptions(targets: string[], raw: RawOptions, env: NodeJS.ProcessEnv): CliOptions {
  if (raw.timeout !== undefined && raw.timeout > raw.interval) {
    throw new UsageError(`--timeout (${raw.timeout}ms) must not be longer than --interval (${raw.interval}ms)`);
  }
  return {
    targets,
    targetsFile: raw.targetsFile,
    intervalMs: raw.interval,
    timeoutMs: raw.timeout,
    concurrency: raw.concurrency,
    once: raw.once === true,
    output: raw.output,
    insecure: raw.insecure === true,
    caFile: raw.caFile,
    bearerTokenFile: raw.bearerTokenFile,
    historyMs: raw.history,
    maxBodyBytes: raw.maxBodySize,
    color: raw.color && !('NO_COLOR' in env && env.NO_COLOR !== ''),
  };
}

/** Default timeout: below the interval so a slow target cannot overlap its own next turn. */
export function effectiveTimeoutMs(options: CliOptions): number {
  return options.timeoutMs ?? Math.min(10_000, Math.floor(options.intervalMs * 0.8));
}
