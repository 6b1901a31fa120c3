/**
 * What one frame shows: the store's nodes as they are (live), or as they were when the user
 * paused. Pausing copies each node's small latest-figures record and remembers how far each
 * history ring went, so rows added since are not drawn; the rings themselves are never copied.
 */
import type { ClusterSeriesKey, ClusterStore, NodeEntry, NodeSeriesKey } from '../../store/cluster-store.js';
import type { Ring } from '../../store/ring.js';
import type { NodeFigures, NodeSource } from '../../metrics/node-figures.js';
import type { TargetHealth } from '../../scrape/types.js';
import type { KubeNodeInfo, PodFigures } from '../../metrics/kube-figures.js';
import type { ColumnReading } from '../../expr/column.js';
import type { AppView } from '../../metrics/app-model.js';
import type { NodeGpus } from '../../store/gpu-entries.js';

export interface ViewNode {
  readonly id: string;
  readonly name: string;
  readonly target: string;
  readonly source: NodeSource;
  readonly labels: Readonly<Record<string, string>>;
  readonly figures: NodeFigures;
  readonly health: TargetHealth;
  readonly history: Ring<NodeSeriesKey>;
  readonly kube: KubeNodeInfo | null;
  readonly pods: readonly PodFigures[] | null;
  readonly columns: Readonly<Record<string, ColumnReading>>;
  readonly columnHistory: Ring<string> | null;
  readonly app: AppView | null;
  /** The node's GPUs; absent or null for a node without. */
  readonly gpus?: NodeGpus | null;
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

export function liveFrame(store: ClusterStore, atMs: number): FrameData {
  return { nodes: store.nodes(), cluster: store.cluster, atMs };
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
