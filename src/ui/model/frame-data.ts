/**
 * What one frame shows: the store's nodes as they are (live), or as they were when the user
 * paused. Pausing copies each node's small latest-figures record and remembers how far each
 * history ring went, so rows added since are not drawn; the rings themselves are never copied.
 */
import type { ClusterSeriesKey, ClusterStore, NodeEntry, NodeSeriesKey } from '../../store/cluster-store.js';
import type { Ring } from '../../store/ring.js';

/** A node as a frame shows it: the store's entry, or a paused frame's copy of it. */
export interface ViewNode extends NodeEntry {
  /** Newest history time to draw; absent when live. */
  readonly historyUntilMs?: number;
}

export interface FrameData {
  readonly nodes: readonly ViewNode[];
  readonly cluster: Ring<ClusterSeriesKey>;
  readonly clusterUntilMs?: number;
  /** The time ages and the clock are shown for. */
  readonly atMs: number;
}

/** The node list of each store at its version when last asked (see liveNodes). */
const versioned = new WeakMap<ClusterStore, { readonly version: number; readonly nodes: readonly NodeEntry[] }>();

/**
 * The store's nodes as of its version now: a new list whenever the store changed, the same one
 * while it has not. The store changes its nodes in place, so a list of its own would look the same
 * to React after a refresh; with this one, what a frame derives from the nodes (sorted rows, totals)
 * is remembered for as long as the list, and made anew when the figures changed.
 */
export function liveNodes(store: ClusterStore): readonly NodeEntry[] {
  const known = versioned.get(store);
  if (known?.version === store.version) return known.nodes;
  const nodes = store.nodes().slice();
  versioned.set(store, { version: store.version, nodes });
  return nodes;
}

export function liveFrame(store: ClusterStore, atMs: number): FrameData {
  return { nodes: liveNodes(store), cluster: store.cluster, atMs };
}

export function frozenFrame(store: ClusterStore, atMs: number): FrameData {
  const nodes = store.nodes().map(
    (n: NodeEntry): ViewNode => ({ ...n, historyUntilMs: n.history.latestTime() ?? Number.NEGATIVE_INFINITY }),
  );
  return { nodes, cluster: store.cluster, clusterUntilMs: store.cluster.latestTime() ?? Number.NEGATIVE_INFINITY, atMs };
}

/** The last `n` values of a series up to `untilMs` (all when undefined), oldest first. */
export function historyTail<K extends string>(ring: Ring<K>, key: K, n: number, untilMs?: number): number[] {
  let end = ring.length;
  if (untilMs !== undefined) while (end > 0 && ring.timeAt(end - 1) > untilMs) end--;
  const start = Math.max(0, end - n);
  const out = new Array<number>(end - start);
  for (let i = start; i < end; i++) out[i - start] = ring.valueAt(key, i);
  return out;
}

export function nodeTail(node: ViewNode, key: NodeSeriesKey, n: number): number[] {
  return historyTail(node.history, key, n, node.historyUntilMs);
}

export interface ScrapeSummary {
  /** Targets whose last scrape failed; targets not scraped yet are not counted. */
  readonly failing: number;
  readonly slowestMs: number | null;
}

export function summarizeScrapes(nodes: readonly ViewNode[]): ScrapeSummary {
  let failing = 0;
  let slowestMs: number | null = null;
  for (const n of nodes) {
    if (!n.health.up && n.health.lastScrapeMs !== null) failing++;
    const d = n.health.lastDurationMs;
    if (d !== null && (slowestMs === null || d > slowestMs)) slowestMs = d;
  }
  return { failing, slowestMs };
}
