import { readFile } from 'node:fs/promises';
import { describeFsError } from '../../util/fs-error.js';
import { UsageError } from '../../util/usage-error.js';
import { DEFAULT_MAX_BODY_BYTES, PrometheusClient, type PrometheusAuth } from './client.js';
import { PrometheusSource } from './prometheus-source.js';

/**
 * One query answers for every node, so it may take longer than one node's scrape: the per-query
 * deadline is --timeout when given, else this.
 */
const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/** What the Prometheus source reads of the command line. */
export interface PrometheusSourceOptions {
  readonly intervalMs: number;
  readonly timeoutMs?: number;
  readonly maxBodyBytes: number;
  readonly insecure: boolean;
  readonly caFile?: string;
  readonly bearerTokenFile?: string;
  readonly selector?: string;
  readonly prometheusUser?: string;
  readonly prometheusPasswordFile?: string;
  readonly headers?: readonly (readonly [string, string])[];
}

/** The --prometheus source from the command line; file problems are usage errors naming flag and path. */
export async function buildPrometheusSource(url: string, options: PrometheusSourceOptions, historyPoints: number): Promise<PrometheusSource> {
  const baseUrl = new URL(url);
  const ca = options.caFile ? await readFlagFile('--ca-file', options.caFile) : undefined;
  const auth: PrometheusAuth = { basic: await basicAuth(options), bearer: await bearerToken(options) };
  const client = new PrometheusClient({
    baseUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    maxBodyBytes: Math.max(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    tls: { insecure: options.insecure, ca },
    auth,
    headers: options.headers,
  });
  return new PrometheusSource({
    client,
    displayUrl: `${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}`,
    selector: options.selector ?? '',
    intervalMs: options.intervalMs,
    historyPoints,
  });
}

async function basicAuth(options: PrometheusSourceOptions): Promise<PrometheusAuth['basic']> {
  if (options.prometheusUser === undefined || options.prometheusPasswordFile === undefined) return undefined;
  // The file's final newline is the editor's, not the password's.
  const password = (await readFlagFile('--prometheus-password-file', options.prometheusPasswordFile)).replace(/\r?\n$/, '');
  return { user: options.prometheusUser, password };
}

async function bearerToken(options: PrometheusSourceOptions): Promise<PrometheusAuth['bearer']> {
  if (options.bearerTokenFile === undefined) return undefined;
  const token = (await readFlagFile('--bearer-token-file', options.bearerTokenFile)).trim();
  if (token === '') throw new UsageError(`--bearer-token-file ${options.bearerTokenFile}: the file is empty`);
  return () => token;
}

/** A file named by a flag; the message names the flag and path, never the content. */
async function readFlagFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${describeFsError(error)}`);
  }
}
