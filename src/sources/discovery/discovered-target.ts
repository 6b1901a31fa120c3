/** A discovered `host:port` as a Target, with the labels Prometheus would give it. */
import { TargetError } from '../../targets/parse-target.js';
import { redactTargetText, redactUrl } from '../../targets/redact.js';
import type { Target, TargetScrape } from '../../targets/target.js';

/** How a job (or a bare --dns flag) turns addresses into URLs. */
export interface TargetTemplate {
  /** The `job` label; none for targets of the --dns flags. */
  readonly job?: string;
  readonly scheme: 'http' | 'https';
  readonly metricsPath: string;
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly scrape?: TargetScrape;
}

/** The --dns and --dns-srv flags' targets: node_exporter's defaults. */
export const PLAIN_TEMPLATE: TargetTemplate = { scheme: 'http', metricsPath: '/metrics', params: {} };

const ADDRESS = /^(\[[0-9A-Fa-f:.]+(?:%[\w.-]+)?\]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)(?::(\d{1,5}))?$/;

/**
 * `address` is what Prometheus calls `__address__`: host:port, [ipv6]:port, or a host alone (the
 * scheme's port). Group labels win over `job` and `instance`, as in Prometheus; of the `__` meta
 * labels, `__scheme__`, `__metrics_path__` and `__param_<name>` change the URL, the rest are
 * dropped. `connectHost` replaces the host in the URL (a name resolved through --dns-server) while
 * `instance` keeps the name. Throws a TargetError when the address is not one.
 */
export function discoveredTarget(template: TargetTemplate, address: string, groupLabels: Readonly<Record<string, string>> = {}, connectHost?: string): Target {
  const m = ADDRESS.exec(address);
  if (!m || (m[2] !== undefined && !(Number(m[2]) >= 1 && Number(m[2]) <= 65_535))) {
    // An address of user:password@host is no host:port, and is not echoed as one.
    throw new TargetError(`"${redactTargetText(address)}" is not host:port`);
  }
  const scheme = groupLabels.__scheme__ ?? template.scheme;
  if (scheme !== 'http' && scheme !== 'https') throw new TargetError(`${address}: __scheme__ must be http or https`);
  const path = groupLabels.__metrics_path__ ?? template.metricsPath;
  const host = connectHost === undefined ? m[1] : connectHost.includes(':') ? `[${connectHost}]` : connectHost;
  let url: URL;
  try {
    url = new URL(`${scheme}://${host}${m[2] === undefined ? '' : `:${m[2]}`}${path.startsWith('/') ? path : `/${path}`}`);
  } catch {
    throw new TargetError(`"${redactTargetText(address)}" is not host:port`);
  }
  const params: Record<string, readonly string[]> = { ...template.params };
  const labels: Record<string, string> = { ...(template.job === undefined ? {} : { job: template.job }), instance: address };
  for (const [name, value] of Object.entries(groupLabels)) {
    if (name.startsWith('__param_')) params[name.slice('__param_'.length)] = [value];
    else if (!name.startsWith('__')) labels[name] = value;
  }
  for (const [name, values] of Object.entries(params)) for (const v of values) url.searchParams.append(name, v);
  return {
    id: url.href,
    url,
    // A `__param_token` or a job's `params` may hold a secret.
    displayUrl: redactUrl(url),
    host: (m[1] ?? '').replace(/^\[(.*)\]$/, '$1'),
    labels,
    ...(template.scrape === undefined ? {} : { scrape: template.scrape }),
  };
}
