import type { ListMeta, ObjectMeta } from './k8s-types.js';
import { badRequest, expired, StatusError } from './status.js';

/** Label and field selectors, limit and continue: the list options the apiserver applies. */

type Predicate<T> = (o: T) => boolean;

function labelRequirement(term: string): Predicate<Record<string, string>> {
  let m = /^(!?)([\w./-]+)$/.exec(term);
  if (m) {
    const [, not, key = ''] = m;
    return (labels) => (key in labels) !== (not === '!');
  }
  m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term);
  if (m) {
    const [, key = '', op, value] = m;
    return (labels) => (labels[key] === value) === (op !== '!=');
  }
  m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) {
    const [, key = '', op, list = ''] = m;
    const values = list.split(',').map((v) => v.trim());
    return (labels) => (labels[key] !== undefined && values.includes(labels[key] ?? '')) === (op === 'in');
  }
  throw new StatusError(badRequest(`unable to parse requirement: ${term}`));
}

/** Splits on the commas between requirements, not those inside `in (a,b)`. */
function terms(selector: string): string[] {
  return selector.split(/,(?![^(]*\))/).map((t) => t.trim()).filter((t) => t !== '');
}

export function labelSelector<T extends { metadata: { labels?: Record<string, string> } }>(selector: string | null): Predicate<T> | undefined {
  if (!selector) return undefined;
  const requirements = terms(selector).map(labelRequirement);
  return (o) => requirements.every((r) => r(o.metadata.labels ?? {}));
}

/** `fields` maps the field labels this resource supports to their values on an object. */
export function fieldSelector<T>(selector: string | null, fields: Record<string, (o: T) => string>): Predicate<T> | undefined {
  if (!selector) return undefined;
  const requirements = terms(selector).map((term): Predicate<T> => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new StatusError(badRequest(`invalid selector: '${selector}'; can't understand '${term}'`));
    const [, field = '', op, value] = m;
    const get = fields[field];
    if (!get) throw new StatusError(badRequest(`field label not supported: ${field}`));
    return (o) => (get(o) === value) === (op !== '!=');
  });
  return (o) => requirements.every((r) => r(o));
}

export function selected<T extends { metadata: ObjectMeta }>(query: URLSearchParams, fields: Record<string, (o: T) => string>): Predicate<T> {
  const byLabel = labelSelector<T>(query.get('labelSelector'));
  const byField = fieldSelector(query.get('fieldSelector'), fields);
  return (o) => (byLabel?.(o) ?? true) && (byField?.(o) ?? true);
}

const keyOf = (m: ObjectMeta): string => (m.namespace ? `${m.namespace}/${m.name}` : m.name);

const CONTINUE_EXPIRED = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/**
 * One page of `items` (already sorted by key) and its ListMeta. The continue token has the apiserver's shape;
 * later pages are cut from the current state rather than a snapshot at the first page's revision, but a token
 * from before a compaction is refused with 410, as etcd would refuse it.
 */
export function paginate<T extends { metadata: ObjectMeta }>(
  items: T[], query: URLSearchParams, rv: string, filtered: boolean, isExpired: (rv: number) => boolean,
): { items: T[]; metadata: ListMeta } {
  let start = 0;
  const token = query.get('continue');
  if (token) {
    let decoded: { start?: unknown; rv?: unknown } = {};
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as typeof decoded;
    } catch {
      // falls through to the invalid-token answer
    }
    const from = decoded.start;
    if (typeof from !== 'string' || typeof decoded.rv !== 'number') {
      throw new StatusError(badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'));
    }
    if (isExpired(decoded.rv)) throw new StatusError(expired(CONTINUE_EXPIRED));
    const key = from.replace(/\0$/, '');
    start = items.findIndex((o) => keyOf(o.metadata) > key);
    if (start < 0) start = items.length;
  }
  const limit = Number(query.get('limit') ?? '0');
  const end = limit > 0 ? Math.min(items.length, start + limit) : items.length;
  const page = items.slice(start, end);
  const metadata: ListMeta = { resourceVersion: rv };
  const last = page.at(-1);
  if (end < items.length && last) {
    metadata.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: `${keyOf(last.metadata)}\0` })).toString('base64');
    if (!filtered) metadata.remainingItemCount = items.length - end;
  }
  return { items: page, metadata };
}
