import { readFlagFile } from '../../util/fs-error.js';
import { UsageError } from '../../util/errors.js';
import { historyPoints, type SourceContext } from '../source.js';
import { DEFAULT_MAX_BODY_BYTES, PrometheusClient, type PrometheusAuth } from './client.js';
import type { PrometheusFlags } from './flags.js';
import { PrometheusSource } from './prometheus-source.js';

/**
 * One query answers for every node, so it may take longer than one node's scrape: the per-query
 * deadline is --timeout when given, else this.
 */
const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/** The --prometheus source from the command line; file problems are usage errors naming flag and path. */
export async function buildPrometheusSource(flags: PrometheusFlags, context: Pick<SourceContext, 'historyMs'>): Promise<PrometheusSource> {
  const baseUrl = new URL(flags.url);
  const ca = flags.caFile ? await readFlagFile('--ca-file', flags.caFile) : undefined;
  const auth: PrometheusAuth = { basic: await basicAuth(flags), bearer: await bearerToken(flags) };
  const client = new PrometheusClient({
    baseUrl,
    timeoutMs: flags.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    maxBodyBytes: Math.max(flags.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    tls: { insecure: flags.insecure, ca },
    auth,
    headers: flags.headers,
    denyPartial: flags.denyPartial,
  });
  return new PrometheusSource({
    client,
    displayUrl: `${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}`,
    selector: flags.selector ?? '',
    intervalMs: flags.intervalMs,
    historyPoints: historyPoints(context.historyMs, flags.intervalMs),
  });
}

async function basicAuth(flags: PrometheusFlags): Promise<PrometheusAuth['basic']> {
  if (flags.basicAuth === undefined) return undefined;
  // The file's final newline is the editor's, not the password's.
  const password = (await readFlagFile('--prometheus-password-file', flags.basicAuth.passwordFile)).replace(/\r?\n$/, '');
  return { user: flags.basicAuth.user, password };
}

async function bearerToken(flags: PrometheusFlags): Promise<PrometheusAuth['bearer']> {
  if (flags.bearerTokenFile === undefined) return undefined;
  const token = (await readFlagFile('--bearer-token-file', flags.bearerTokenFile)).trim();
  if (token === '') throw new UsageError(`--bearer-token-file ${flags.bearerTokenFile}: the file is empty`);
  return () => token;
}
