/**
 * Node names that stay distinct in a narrow column. Cloud names differ at their end
 * (`gke-prod-default-pool-3f2a9c1e-x7kq`, `ip-10-0-12-34.eu-west-1.compute.internal`), so cutting
 * them at the right edge, as plain text is cut, makes every row read the same. Instead: the
 * prefix and suffix that all names on screen share are shown once, in the column's title (as k9s
 * shows a namespace), and a name still too long loses its middle, keeping the distinguishing tail.
 */

/** Where a shared prefix or suffix may end: names are cut between their parts, not inside one. */
const SEPARATOR = /[-._:/]/;

export interface NameFit {
  /** The column title's addition, e.g. `gke-prod-default-pool-*`; '' when nothing is shared. */
  readonly shared: string;
  /** A name as the column shows it, at most `width` cells. */
  show(name: string): string;
}

/** The longest prefix all names share that ends just after a separator. */
function sharedPrefix(names: readonly string[]): string {
  const first = names[0] ?? '';
  let end = first.length;
  for (const name of names) end = Math.min(end, commonPrefix(first, name));
  while (end > 0 && !SEPARATOR.test(first[end - 1] ?? '')) end--;
  return first.slice(0, end);
}

const reversed = (s: string): string => [...s].reverse().join('');

/** The longest suffix all names share that starts with a separator: the shared prefix of the names backwards. */
function sharedSuffix(names: readonly string[]): string {
  return reversed(sharedPrefix(names.map(reversed)));
}

/** The name with `head` cells from its start, an ellipsis, and its end: exactly `width` cells. */
function middleCut(name: string, width: number, head: number): string {
  if (name.length <= width) return name;
  if (width <= 1) return '…'.slice(0, width);
  const tail = width - 1 - head;
  return `${name.slice(0, head)}…${tail > 0 ? name.slice(-tail) : ''}`;
}

const identity: NameFit = { shared: '', show: (name) => name };

/** The part of each name to show: without the shared prefix and suffix, when two or more names share them. */
function strip(names: readonly string[]): { prefix: string; suffix: string } {
  const distinct = [...new Set(names)];
  if (distinct.length < 2) return { prefix: '', suffix: '' };
  const prefix = sharedPrefix(distinct);
  const rest = distinct.map((n) => n.slice(prefix.length));
  const suffix = sharedSuffix(rest);
  // Nothing may be left empty: a name that is the prefix itself keeps it.
  if (rest.some((r) => r.length <= suffix.length)) return { prefix: rest.some((r) => r.length === 0) ? '' : prefix, suffix: '' };
  return { prefix, suffix };
}

const longest = (names: readonly string[]): number => names.reduce((n, s) => Math.max(n, s.length), 0);

/**
 * The name column and the other columns for the names on screen: as wide as the full names when
 * there is room for them, else as wide as they are without what they share (the rest of the width
 * goes to figures), and how each name is then shown. `choose` lays out the columns for a wanted
 * name width and returns the name column's width with them.
 */
export function layoutNames<T>(names: readonly string[], choose: (nameWanted: number) => { columns: T; nameWidth: number }, atLeast = 0): { columns: T; names: NameFit } {
  const full = Math.max(atLeast, longest(names));
  let chosen = choose(full);
  if (chosen.nameWidth < full) {
    const { prefix, suffix } = strip(names);
    const core = names.reduce((n, s) => Math.max(n, s.startsWith(prefix) && s.endsWith(suffix) ? s.length - prefix.length - suffix.length : s.length), 0);
    if (Math.max(atLeast, core) < chosen.nameWidth) chosen = choose(Math.max(atLeast, core));
  }
  return { columns: chosen.columns, names: fitNames(names, chosen.nameWidth) };
}

/** The same nodes, with a distinct name for those whose name another node shares (see distinctNames). */
export function withDistinctNames<T extends NamedNode>(nodes: readonly T[]): readonly T[] {
  const names = distinctNames(nodes);
  if (names.size === 0) return nodes;
  return nodes.map((n) => {
    const name = names.get(n.id);
    return name === undefined ? n : { ...n, name };
  });
}

interface NamedNode {
  readonly id: string;
  readonly name: string;
  readonly target: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * How to show `names` (the ones on screen) in `width` cells, each distinct from the others where
 * the full names are: untouched when they fit; else without what they all share; else cut in the
 * middle, with as much of the end as keeps them apart.
 */
export function fitNames(names: readonly string[], width: number): NameFit {
  if (names.every((n) => n.length <= width)) return identity;
  const { prefix, suffix } = strip(names);
  const shared = prefix || suffix ? `${prefix}*${suffix}` : '';
  const core = (name: string): string =>
    prefix || suffix ? (name.startsWith(prefix) && name.endsWith(suffix) && name.length > prefix.length + suffix.length ? name.slice(prefix.length, name.length - suffix.length) : name) : name;
  const cores = [...new Set(names)].map(core);
  if (cores.every((c) => c.length <= width)) return { shared, show: core };
  // The head keeps the start readable; the tail tells names apart. Take the longest head that keeps them apart.
  const wanted = new Set(cores).size;
  for (let h = Math.floor((width - 1) / 2); h >= 0; h--) {
    if (new Set(cores.map((c) => middleCut(c, width, h))).size === wanted) return { shared, show: (name) => middleCut(core(name), width, h) };
  }
  // Names of several kinds (no one cut suits them all): each name shows the part where it
  // differs from the names most like it.
  const cuts = new Map(cores.map((c) => [c, distinguishingCut(c, cores, width)]));
  if (new Set(cuts.values()).size === wanted) return { shared, show: (name) => cuts.get(core(name)) ?? middleCut(core(name), width, 0) };
  return { shared, show: (name) => middleCut(core(name), width, 0) };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/**
 * `name` cut to `width` so that the part where it differs from every other name stays: the
 * middle cut when its head or tail holds that part, else the start, then that part between
 * ellipses (`ip-1…12-34.eu-we…`).
 */
function distinguishingCut(name: string, names: readonly string[], width: number): string {
  if (name.length <= width) return name;
  let prefix = 0;
  let suffix = 0;
  for (const other of names) {
    if (other === name) continue;
    prefix = Math.max(prefix, commonPrefix(name, other));
    suffix = Math.max(suffix, commonSuffix(name, other));
  }
  const start = prefix;
  const end = Math.max(start + 1, name.length - suffix);
  for (let h = Math.floor((width - 1) / 2); h >= 0; h--) {
    const tail = width - 1 - h;
    if (end <= h || name.length - tail <= start) return middleCut(name, width, h);
  }
  if (width < 6) return middleCut(name, width, 0);
  const head = Math.min(4, Math.floor(width / 4));
  const room = width - head - 2;
  const from = Math.max(head, Math.min(start - Math.floor((room - (end - start)) / 2), name.length - room));
  const window = name.slice(from, from + room);
  return from + room >= name.length ? `${name.slice(0, head)}…${name.slice(-(room + 1))}` : `${name.slice(0, head)}…${window}…`;
}

/**
 * Names that two or more nodes share (several exporters on one host, targets that only differ
 * by port) get what tells them apart: the target's port, else the `job` label, else the target.
 * Returns a name for every id whose name is shared; the others keep theirs.
 */
export function distinctNames(nodes: readonly NamedNode[]): Map<string, string> {
  const byName = new Map<string, (typeof nodes)[number][]>();
  for (const n of nodes) {
    const same = byName.get(n.name);
    if (same) same.push(n);
    else byName.set(n.name, [n]);
  }
  const out = new Map<string, string>();
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    const ports = same.map((n) => portOf(n.target));
    const jobs = same.map((n) => n.labels.job);
    const tell = (values: (string | undefined)[]): boolean => values.every((v) => v !== undefined) && new Set(values).size === values.length;
    same.forEach((n, i) => {
      const extra = tell(ports) ? `:${ports[i]}` : tell(jobs) ? ` (${jobs[i]})` : ` (${n.target})`;
      out.set(n.id, name.endsWith(extra) ? name : `${name}${extra}`);
    });
  }
  return out;
}

function portOf(target: string): string | undefined {
  try {
    const url = new URL(target);
    return url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : undefined);
  } catch {
    return undefined;
  }
}
