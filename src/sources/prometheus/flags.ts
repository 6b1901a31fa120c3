/**
 * Parsing and checking the --prometheus flags. The URL and the headers are checked after commander,
 * not as its argument parsers: commander quotes a rejected argument, and either may carry a
 * credential. Messages here never echo them.
 */
import { InvalidArgumentError } from 'commander';
import { parseSelector, SelectorError } from './selector.js';

export function selectorArg(text: string): string {
  try {
    return parseSelector(text);
  } catch (error) {
    if (error instanceof SelectorError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** `-H` is repeatable: commander collects the values, in order. */
export function collect(text: string, previous: readonly string[]): string[] {
  return [...previous, text];
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

/** The headers of valid `-H` values (prometheusConflict has checked them). */
export function headerPairs(texts: readonly string[]): [string, string][] {
  return texts.map(splitHeader).filter((h): h is [string, string] => h !== undefined);
}

export interface PrometheusFlags {
  readonly prometheus?: string;
  readonly selector?: string;
  readonly prometheusUser?: string;
  readonly prometheusPasswordFile?: string;
  readonly bearerTokenFile?: string;
  readonly header: readonly string[];
  readonly demo?: unknown;
  readonly replay?: unknown;
}

/** What is wrong with these flags, or undefined when they fit together. */
export function prometheusConflict(targets: readonly string[], targetsFile: string | undefined, f: PrometheusFlags): string | undefined {
  if (f.prometheus === undefined) {
    const orphan = f.selector !== undefined ? '--selector' : f.prometheusUser !== undefined ? '--prometheus-user' : f.prometheusPasswordFile !== undefined ? '--prometheus-password-file' : f.header.length > 0 ? '--header' : undefined;
    return orphan && `${orphan} goes with --prometheus <url>`;
  }
  const url = urlProblem(f.prometheus);
  if (url !== undefined) return url;
  if (f.header.some((h) => splitHeader(h) === undefined)) return '-H, --header takes "Name: value", such as "X-Scope-OrgID: tenant"';
  if (targets.length > 0 || targetsFile !== undefined) return '--prometheus reads every node from Prometheus: give no targets or --targets-file with it';
  if (f.demo !== undefined || f.replay !== undefined) return '--prometheus cannot be used with --demo or --replay';
  if ((f.prometheusUser === undefined) !== (f.prometheusPasswordFile === undefined)) return '--prometheus-user and --prometheus-password-file go together';
  if (f.prometheusUser !== undefined && f.bearerTokenFile !== undefined) return 'use --prometheus-user or --bearer-token-file, not both';
  return undefined;
}
