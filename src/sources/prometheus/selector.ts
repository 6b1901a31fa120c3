/**
 * The `--selector` label matchers, inserted into every series selector of every query. Checked
 * here against PromQL's matcher grammar, so a typo is a usage error at once rather than a query
 * error on every refresh, and nothing typed there can close the braces and change the query.
 * Regular expressions inside are left for the server to judge.
 */
import { CtError, EXIT_USAGE } from '../../util/errors.js';

const NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const VALUE = String.raw`"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|` + '`[^`]*`';
const MATCHER = `\\s*${NAME}\\s*(?:=~|!~|!=|=)\\s*(?:${VALUE})\\s*`;
const MATCHERS = new RegExp(`^${MATCHER}(?:,${MATCHER})*,?\\s*$`);

/** A --selector that is not PromQL label matchers. */
export class SelectorError extends CtError {
  override readonly name = 'SelectorError';
  readonly code = 'CT_ERR_SELECTOR';
  readonly exitStatus = EXIT_USAGE;
}

/**
 * Returns the matchers ready to join with a query's own (`job="node", env!="dev"`), or '' for an
 * empty selector. Surrounding braces are accepted, as people copy them from PromQL.
 */
export function parseSelector(text: string): string {
  let inner = text.trim();
  if (inner.startsWith('{') && inner.endsWith('}')) inner = inner.slice(1, -1).trim();
  if (inner === '') return '';
  if (!MATCHERS.test(inner)) {
    throw new SelectorError(`--selector takes PromQL label matchers such as job="node" or job=~"node|k8s",env!="dev", not ${JSON.stringify(text)}`);
  }
  return inner.replace(/,\s*$/, '');
}

/** Joins matchers into one selector body: `{a, b}` without empty parts, '' when all are empty. */
export function matchers(...parts: readonly string[]): string {
  const kept = parts.filter((p) => p !== '');
  return kept.length === 0 ? '' : `{${kept.join(', ')}}`;
}
