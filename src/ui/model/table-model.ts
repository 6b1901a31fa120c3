/** The node table's logic without rendering: sorting, filtering and keeping the selection. */
import { shownCpuPercent, shownMemoryPercent, type KubeNode } from './kube-model.js';
import { parseLabelFilter, type LabelledNode } from './label-filter.js';
import { gpuSummary, type GpuNode } from './gpu-model.js';
import { firstPress, type SortState as GenericSortState } from './sort-order.js';

/** `pods` is last of these, and offered only when some node has Kubernetes info. */
export const SORT_KEYS = ['name', 'cpu', 'memory', 'network', 'disk', 'load', 'pods'] as const;
/** A `--column`'s value, by its name; these come after the built-in keys. */
export type ColumnSortKey = `column:${string}`;
/** `gpu` (mean GPU utilisation) comes after `load`, offered only when some node has GPUs. */
export type SortKey = (typeof SORT_KEYS)[number] | 'gpu' | ColumnSortKey;

export function columnSortKey(name: string): ColumnSortKey {
  return `column:${name}`;
}

export type SortState = GenericSortState<SortKey>;

/** What sorting and filtering need of a node. */
export interface SortableNode extends KubeNode, LabelledNode, GpuNode {
  readonly id: string;
  readonly name: string;
  /** The `--column` readings by name. */
  readonly columns?: Readonly<Record<string, { readonly value: number | null }>>;
}

const naturalKeys = new Map<string, string>();
const NATURAL_KEYS_MAX = 100_000;

/**
 * A key that orders names naturally (node-2 before node-10, case ignored) with plain string
 * comparison: digit runs zero-padded to one width. Cached, as names rarely change and
 * Intl.Collator is too slow for 5,000 names a frame.
 */
export function naturalKey(name: string): string {
  let key = naturalKeys.get(name);
  if (key === undefined) {
    key = name.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(20, '0'));
    if (naturalKeys.size >= NATURAL_KEYS_MAX) naturalKeys.clear();
    naturalKeys.set(name, key);
  }
  return key;
}

/** The figure a sort orders by: the one the table shows, so CPU of a kubelet node is against allocatable. */
export function sortValue(key: Exclude<SortKey, 'name'>, node: SortableNode): number | null {
  const f = node.figures;
  if (key.startsWith('column:')) return node.columns?.[key.slice('column:'.length)]?.value ?? null;
  switch (key) {
    case 'cpu':
      return shownCpuPercent(node);
    case 'memory':
      return shownMemoryPercent(node);
    case 'network':
      return f.network ? f.network.receiveBytesPerSecond + f.network.transmitBytesPerSecond : null;
    case 'disk':
      return f.disk ? f.disk.readBytesPerSecond + f.disk.writtenBytesPerSecond : null;
    case 'load':
      return f.load?.load1 ?? null;
    case 'pods':
      return node.pods?.length ?? null;
    case 'gpu':
      return gpuSummary(node)?.utilizationPercent ?? null;
    default:
      return null;
  }
}

/** Figures sort busiest first by default, names A to Z; the first press of a key gives that. */
export function defaultSort(key: SortKey): SortState {
  return firstPress(key);
}

/** The key after `key` in the cycle `s` steps through: the built-in keys, then the `--column`s. */
export function nextSortKey(key: SortKey, kube = false, columns: readonly string[] = [], gpu = false): SortKey {
  const builtIn: SortKey[] = [...(kube ? SORT_KEYS : SORT_KEYS.filter((k) => k !== 'pods'))];
  if (gpu) builtIn.splice(builtIn.indexOf('load') + 1, 0, 'gpu');
  const keys: readonly SortKey[] = [...builtIn, ...columns.map(columnSortKey)];
  return keys[(keys.indexOf(key) + 1) % keys.length] ?? 'name';
}

/**
 * Every node's place in name order (natural, then id), kept between frames: names rarely change,
 * and comparing 10,000 long names that share their prefixes was most of a sort's time. Made
 * again when a node comes that has no place yet or whose name changed; the nodes themselves are
 * the keys, so nodes gone are forgotten with them.
 */
let nameRanks = new WeakMap<object, { readonly name: string; readonly rank: number }>();

function rankNames(nodes: readonly SortableNode[]): void {
  const order = nodes.map((node) => ({ node, key: naturalKey(node.name) }));
  order.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0));
  nameRanks = new WeakMap();
  order.forEach(({ node }, rank) => nameRanks.set(node, { name: node.name, rank }));
}

/** Name ranks of these nodes, consistent among them. */
function ranksOf(nodes: readonly SortableNode[]): Float64Array {
  const ranks = new Float64Array(nodes.length);
  for (let pass = 0; pass < 2; pass++) {
    let complete = true;
    for (let i = 0; i < nodes.length && complete; i++) {
      const known = nameRanks.get(nodes[i]!);
      if (known === undefined || known.name !== nodes[i]!.name) complete = false;
      else ranks[i] = known.rank;
    }
    if (complete) return ranks;
    rankNames(nodes);
  }
  return ranks;
}

/**
 * A sorted copy. Nodes without the figure (down, or a source that lacks it) always go last
 * whatever the direction, and ties fall back to the name so rows do not jump between frames.
 * Sorts indexes by numbers in typed arrays: 10,000 rows in a few milliseconds (docs/performance.md).
 */
export function sortNodes<T extends SortableNode>(nodes: readonly T[], sort: SortState): T[] {
  const key = sort.key;
  const sign = sort.descending ? -1 : 1;
  const ranks = ranksOf(nodes);
  const order = Array.from({ length: nodes.length }, (_, i) => i);
  if (key === 'name') {
    order.sort((a, b) => sign * (ranks[a]! - ranks[b]!));
  } else {
    // NaN for no figure: those go last in either direction.
    const values = new Float64Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      const v = sortValue(key, nodes[i]!);
      values[i] = v !== null && Number.isFinite(v) ? sign * v : NaN;
    }
    order.sort((a, b) => {
      const va = values[a]!;
      const vb = values[b]!;
      if (va !== vb) {
        if (Number.isNaN(va)) return Number.isNaN(vb) ? ranks[a]! - ranks[b]! : 1;
        if (Number.isNaN(vb)) return -1;
        return va - vb;
      }
      return ranks[a]! - ranks[b]!;
    });
  }
  return order.map((i) => nodes[i]!);
}

/** A name test that is also given the node, for label filters; without the node only names match. */
export type NodeFilter =
  | { readonly ok: true; readonly test: (name: string, node?: LabelledNode) => boolean }
  | { readonly ok: false; readonly error: string };

const REGEX_HINT = /[\^$*+?[\]{}()|\\]/;

/**
 * Filter text to a predicate on names, case-insensitive. `key=value` with a label name on the left
 * matches labels and roles (see label-filter.ts); /…/ or text with regex metacharacters is a
 * regular expression; anything else a plain substring, so "10.0.0.1" matches literally.
 */
export function parseFilter(text: string): NodeFilter {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, test: () => true };
  const labels = parseLabelFilter(trimmed);
  if (labels) return { ok: true, test: (_name, node) => node !== undefined && labels(node) };
  const slashed = trimmed.length >= 2 && trimmed.startsWith('/') && trimmed.endsWith('/');
  if (slashed || REGEX_HINT.test(trimmed)) {
    const source = slashed ? trimmed.slice(1, -1) : trimmed;
    try {
      const re = new RegExp(source, 'i');
      return { ok: true, test: (name) => re.test(name) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // V8 repeats the pattern ("Invalid regular expression: /[a/i: Unterminated …"); the prompt shows it already.
      return { ok: false, error: `invalid regex: ${message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}` };
    }
  }
  const needle = trimmed.toLowerCase();
  return { ok: true, test: (name) => name.toLowerCase().includes(needle) };
}

export function filterNodes<T extends SortableNode>(nodes: readonly T[], filter: NodeFilter): readonly T[] {
  if (!filter.ok) return nodes;
  return nodes.filter((n) => filter.test(n.name, n));
}

export interface Selection {
  /** The node the user picked; it stays selected wherever sorting moves it. */
  readonly id: string | null;
  /** Where it was: when the node is filtered out or removed, the row now at this index is taken. */
  readonly index: number;
}

/** Row index of the selection in the current rows, or -1 when there are no rows. */
export function selectedIndex(rows: readonly { readonly id: string }[], selection: Selection): number {
  if (rows.length === 0) return -1;
  if (selection.id !== null) {
    const i = rows.findIndex((r) => r.id === selection.id);
    if (i >= 0) return i;
  }
  return Math.min(Math.max(selection.index, 0), rows.length - 1);
}

export type Move = { readonly by: number } | { readonly to: 'first' | 'last' };

export function moveSelection(rows: readonly { readonly id: string }[], selection: Selection, move: Move): Selection {
  if (rows.length === 0) return selection;
  const from = selectedIndex(rows, selection);
  const target = 'to' in move ? (move.to === 'first' ? 0 : rows.length - 1) : from + move.by;
  const index = Math.min(Math.max(target, 0), rows.length - 1);
  return { id: rows[index]?.id ?? null, index };
}

/** First visible row: moves only as far as needed to keep the selected row on screen. */
export function scrollOffset(index: number, previous: number, visibleRows: number, total: number): number {
  if (visibleRows <= 0 || total <= 0) return 0;
  const maxOffset = Math.max(0, total - visibleRows);
  let offset = Math.min(Math.max(previous, 0), maxOffset);
  if (index < offset) offset = index;
  else if (index >= offset + visibleRows) offset = index - visibleRows + 1;
  return Math.min(Math.max(offset, 0), maxOffset);
}
