/**
 * Parsing and checking the --prometheus flags. The URL and the headers are checked after commander,
 * not as its argument parsers: commander quotes a rejected argument, and either may carry a
 * credential. Messages here never echo them.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ScrapeFlags } from '../node-list/flags.js';
import { collect } from '../../util/flag-args.js';
import { parseSelector, SelectorError } from './selector.js';

export function selectorArg(text: string): string {
  try {
    return parseSelector(text);
  } catch (error) {
    if (error instanceof SelectorError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "--prometheus takes the server's base URL, such as http://prometheus:9090 or https://mimir.example/prometheus";
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '--prometheus takes an http:// or https:// URL';
  if (url.username !== '' || url.password !== '') return '--prometheus: give credentials with --prometheus-user and --prometheus-password-file, not in the URL';
  if (url.search !== '' || url.hash !== '') return '--prometheus takes a base URL without ?query or #fragment';
  return undefined;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name: value` split in two; undefined when the name is not an HTTP token or the value spans lines. */
function splitHeader(text: string): [string, string] | undefined {
  const colon = text.indexOf(':');
  const name = text.slice(0, Math.max(0, colon)).trim();
  const value = text.slice(colon + 1).trim();
  return colon > 0 && TOKEN.test(name) && !/[\r\n\0]/.test(value) ? [name, value] : undefined;
}

/** The headers of valid `-H` values (prometheusProblem has checked them). */
function headerPairs(texts: readonly string[]): [string, string][] {
  return texts.map(splitHeader).filter((h): h is [string, string] => h !== undefined);
}

export interface PrometheusFlags {
  readonly kind: 'prometheus';
  /** Base URL of a Prometheus-compatible server to read every node from, instead of scraping. */
  readonly url: string;
  /** Validated label matchers for every query. */
  readonly selector?: string;
  readonly basicAuth?: { readonly user: string; readonly passwordFile: string };
  readonly headers: readonly (readonly [string, string])[];
  /** --no-partial-response: an error rather than an answer some stores or vmstorage nodes left out. */
  readonly denyPartial: boolean;
  readonly intervalMs: number;
  readonly timeoutMs?: number;
  readonly maxBodyBytes: number;
  readonly insecure: boolean;
  readonly caFile?: string;
  readonly bearerTokenFile?: string;
}

/** As commander gives them. */
export interface RawPrometheusFlags {
  prometheus?: string;
  selector?: string;
  prometheusUser?: string;
  prometheusPasswordFile?: string;
  header: string[];
  /** false with --no-partial-response. */
  partialResponse: boolean;
}

export function addPrometheusFlags(program: Command): Command {
  return program
    .option('--prometheus <url>', 'read every node from this Prometheus-compatible server (base URL) instead of scraping')
    .option('--selector <matchers>', 'with --prometheus: label matchers added to every query, such as job="node"', selectorArg)
    .addOption(new Option('--prometheus-user <name>', 'with --prometheus: basic auth user, with --prometheus-password-file').conflicts('bearerTokenFile'))
    .option('--prometheus-password-file <path>', 'with --prometheus: basic auth password, read from this file')
    .option('-H, --header <header>', 'with --prometheus: send this header ("Name: value"); repeatable', collect, [])
    .option('--no-partial-response', 'with --prometheus: ask Thanos and VictoriaMetrics for an error instead of a partial answer when a store or vmstorage node does not answer');
}

/** What commander cannot say of these flags, as a usage message naming the flag; undefined when they fit. */
export function prometheusProblem(hasTargets: boolean, f: RawPrometheusFlags): string | undefined {
  if (f.prometheus === undefined) {
    const orphan =
      f.selector !== undefined ? '--selector'
      : f.prometheusUser !== undefined ? '--prometheus-user'
      : f.prometheusPasswordFile !== undefined ? '--prometheus-password-file'
      : f.header.length > 0 ? '--header'
      : !f.partialResponse ? '--no-partial-response'
      : undefined;
    return orphan && `${orphan} goes with --prometheus <url>`;
  }
  const url = urlProblem(f.prometheus);
  if (url !== undefined) return url;
  if (f.header.some((h) => splitHeader(h) === undefined)) return '-H, --header takes "Name: value", such as "X-Scope-OrgID: tenant"';
  if (hasTargets) return '--prometheus reads every node from Prometheus: give no targets or --targets-file with it';
  if ((f.prometheusUser === undefined) !== (f.prometheusPasswordFile === undefined)) return '--prometheus-user and --prometheus-password-file go together';
  return undefined;
}

/** The flags of a --prometheus run (prometheusProblem has passed them). */
export function prometheusFlags(raw: RawPrometheusFlags & { prometheus: string }, scrape: ScrapeFlags): PrometheusFlags {
  const { intervalMs, timeoutMs, maxBodyBytes, insecure, caFile, bearerTokenFile } = scrape;
  return {
    kind: 'prometheus',
    url: raw.prometheus,
    selector: raw.selector,
    basicAuth: raw.prometheusUser !== undefined && raw.prometheusPasswordFile !== undefined ? { user: raw.prometheusUser, passwordFile: raw.prometheusPasswordFile } : undefined,
    headers: headerPairs(raw.header),
    denyPartial: !raw.partialResponse,
    intervalMs,
    timeoutMs,
    maxBodyBytes,
    insecure,
    caFile,
    bearerTokenFile,
  };
}
