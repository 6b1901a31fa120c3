/**
 * History from Prometheus on start (`/api/v1/query_range`), so sparklines and charts are full at
 * once instead of filling over the next --history. It runs after the first refresh has shown
 * figures, and its rows go before that refresh's (Ring.prepend).
 *
 * The step is chosen for the charts, not the refresh interval: a chart draws at most CHART_POINTS
 * points, so asking for 300 rows of 2 s each is waste. The cluster's series come at that chart
 * resolution; each node's at a coarser one when the fleet is large, within a budget of points per
 * query, so 10,000 nodes cost about what 2,500 do (NODE_POINTS_BUDGET). Each coarse point (a rate
 * over its whole step) is held over the rows of its step. The cluster row's series are summed
 * across nodes by the server itself, weighted as clusterTotals weighs them (CPU by cores, memory
 * by bytes): one series each, whatever the fleet.
 */
import type { ClusterSeriesKey, ClusterStore, NodeSeriesKey } from '../../store/cluster-store.js';
import { NODE_SERIES as N } from '../../metrics/node-exporter.js';
import type { PrometheusClient } from './client.js';
import type { RangeSeries } from './decode.js';
import { nodeKey } from './figures.js';
import type { NodeRef } from './nodes.js';
import { byteRate, cpuSeconds, memoryUsed, NODE_LABELS, promDuration } from './queries.js';
import { matchers } from './selector.js';
import { settleLimited } from './settle.js';

/** The widest chart cluster-top draws has about this many points (a detail chart at 240 columns). */
export const CHART_POINTS = 120;
/** Points of one node query across all nodes: about 7 MB of JSON, whatever the fleet. */
export const NODE_POINTS_BUDGET = 300_000;
/** Fewer points than this per node draw no shape: the budget gives way to it beyond 30,000 nodes. */
const MIN_NODE_POINTS = 10;

export interface BackfillPlan {
  readonly client: PrometheusClient;
  readonly store: ClusterStore;
  /** Nodes already in the store; others in the results are left out. */
  readonly nodes: readonly NodeRef[];
  readonly selector: string;
  /** The refresh's rate window (ms): a coarse step's rate covers at least its whole step. */
  readonly windowMs: number;
  readonly stepMs: number;
  /** Time of the last row; rows are `stepMs` apart, oldest first. */
  readonly endMs: number;
  readonly rows: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

type Transform = (v: number) => number;
const same: Transform = (v) => v;
const percent: Transform = (v) => Math.min(100, Math.max(0, 100 * v));

/**
 * What is asked for a series key: one query, or (CPU) the two halves of refreshQueries, idle and
 * the rest, each CPU series read once; the busy share is 1 − idle / (idle + rest).
 */
type Asked = readonly [(window: string) => string, Transform] | { readonly idle: (window: string) => string; readonly other: (window: string) => string };
type Queries<K extends string> = Record<K, Asked>;

function nodeQueries(sel: string): Queries<NodeSeriesKey> {
  const by = NODE_LABELS;
  return {
    cpu: { idle: (w) => cpuSeconds('idle', sel, w, by), other: (w) => cpuSeconds('other', sel, w, by) },
    memory: [() => memoryUsed(sel, by), percent],
    load1: [() => `${N.load1}${matchers(sel)}`, same],
    rx: [(w) => byteRate('rx', sel, w, by), same],
    tx: [(w) => byteRate('tx', sel, w, by), same],
    read: [(w) => byteRate('read', sel, w, by), same],
    written: [(w) => byteRate('written', sel, w, by), same],
  };
}

function clusterQueries(sel: string): Queries<ClusterSeriesKey> {
  return {
    cpu: { idle: (w) => cpuSeconds('idle', sel, w, []), other: (w) => cpuSeconds('other', sel, w, []) },
    memory: [() => memoryUsed(sel, []), percent],
    rx: [(w) => byteRate('rx', sel, w, []), same],
    tx: [(w) => byteRate('tx', sel, w, []), same],
    read: [(w) => byteRate('read', sel, w, []), same],
    written: [(w) => byteRate('written', sel, w, []), same],
    up: [() => `count(${N.uname}${matchers(sel)})`, same],
  };
}

/** Rows per point: the cluster's for the chart width, each node's within the budget as well. */
export function backfillEvery(rows: number, nodes: number): { readonly node: number; readonly cluster: number } {
  const clusterPoints = Math.max(1, Math.min(rows, CHART_POINTS));
  const nodePoints = Math.min(clusterPoints, Math.max(MIN_NODE_POINTS, Math.floor(NODE_POINTS_BUDGET / Math.max(1, nodes))));
  return { node: Math.ceil(rows / nodePoints), cluster: Math.ceil(rows / clusterPoints) };
}

/**
 * One range query's layout: `points` points `every` rows apart, the last on the last row. Row r
 * takes the first point at or after it (a rate over the span that ends there), so only rows past
 * the last point, never any, are without one.
 */
class Coarse {
  readonly points: number;
  private readonly firstRow: number;

  constructor(
    readonly rows: number,
    readonly every: number,
  ) {
    this.points = Math.ceil(rows / every);
    this.firstRow = rows - 1 - (this.points - 1) * every;
  }

  pointOf(row: number): number {
    return Math.min(this.points - 1, Math.max(0, Math.ceil((row - this.firstRow) / this.every)));
  }

  startMs(plan: BackfillPlan): number {
    return plan.endMs - (this.points - 1) * this.every * plan.stepMs;
  }
}

/** A range result as one column of points per node (by nodeKey); NaN where no point. */
function columns(series: readonly RangeSeries[], transform: Transform, startMs: number, stepMs: number, count: number): Map<string, Float64Array> {
  const byNode = new Map<string, Float64Array>();
  for (const { labels, points } of series) {
    const values = new Float64Array(count).fill(NaN);
    for (const [t, v] of points) {
      const i = Math.round((t * 1000 - startMs) / stepMs);
      if (i >= 0 && i < count && Number.isFinite(v)) values[i] = transform(v);
    }
    byNode.set(nodeKey(labels), values);
  }
  return byNode;
}

/** Busy percent columns from the idle and other halves' columns, node by node. */
function busyColumns(idle: Map<string, Float64Array>, other: Map<string, Float64Array>): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [key, idles] of idle) {
    const others = other.get(key);
    if (others === undefined) continue;
    const column = new Float64Array(idles.length);
    for (let i = 0; i < column.length; i++) {
      const all = idles[i]! + others[i]!;
      column[i] = all > 0 ? percent(1 - idles[i]! / all) : NaN;
    }
    out.set(key, column);
  }
  return out;
}

async function ranges<K extends string>(plan: BackfillPlan, queries: Queries<K>, layout: Coarse, warnings: string[]): Promise<[K, Map<string, Float64Array>][]> {
  const stepMs = layout.every * plan.stepMs;
  const startMs = layout.startMs(plan);
  const window = promDuration(Math.max(plan.windowMs, stepMs));
  // Every query of every key, in one list: each key's one, or CPU's two halves.
  const sent: { readonly key: K; readonly expr: string; readonly transform: Transform }[] = [];
  for (const [key, asked] of Object.entries(queries) as [K, Asked][]) {
    if ('idle' in asked) sent.push({ key, expr: asked.idle(window), transform: same }, { key, expr: asked.other(window), transform: same });
    else sent.push({ key, expr: asked[0](window), transform: asked[1] });
  }
  // Each answer becomes its columns as soon as it comes: 10,000 nodes' decoded points (arrays of
  // pairs, about 20 MB an answer) are not all held until the last query is in.
  const settled = await settleLimited(
    sent.map(({ expr, transform }) => async () => {
      const answer = await plan.client.queryRange(expr, startMs, plan.endMs, stepMs, plan.timeoutMs);
      return { warnings: answer.warnings, columns: columns(answer.result, transform, startMs, stepMs, layout.points) };
    }),
    plan.concurrency,
  );
  const byKey = new Map<K, Map<string, Float64Array>[]>();
  sent.forEach(({ key }, q) => {
    const s = settled[q]!;
    if (s.status === 'rejected') throw s.reason;
    warnings.push(...s.value.warnings);
    const list = byKey.get(key) ?? [];
    list.push(s.value.columns);
    byKey.set(key, list);
  });
  return [...byKey].map(([key, [first, second]]) => [key, second === undefined ? first! : busyColumns(first!, second)]);
}

/** Row columns from point columns: each row holds its point's value. */
function spread<K extends string>(byKey: readonly (readonly [K, Float64Array | undefined])[], layout: Coarse, scratch: Map<K, Float32Array>): Partial<Record<K, Float32Array>> {
  const out: Partial<Record<K, Float32Array>> = {};
  for (const [key, points] of byKey) {
    let column = scratch.get(key);
    if (column === undefined) scratch.set(key, (column = new Float32Array(layout.rows)));
    for (let r = 0; r < layout.rows; r++) column[r] = points?.[layout.pointOf(r)] ?? NaN;
    out[key] = column;
  }
  return out;
}

/**
 * Puts `rows` rows before every node's ring and the cluster ring's rows. Returns the servers'
 * warnings; throws the first failed query's PrometheusError, with no rows put.
 */
export async function backfill(plan: BackfillPlan): Promise<string[]> {
  const every = backfillEvery(plan.rows, plan.nodes.length);
  const nodeLayout = new Coarse(plan.rows, every.node);
  const clusterLayout = new Coarse(plan.rows, every.cluster);
  const warnings: string[] = [];
  const [nodeColumns, clusterColumns] = await Promise.all([
    ranges(plan, nodeQueries(plan.selector), nodeLayout, warnings),
    ranges(plan, clusterQueries(plan.selector), clusterLayout, warnings),
  ]);
  const firstMs = plan.endMs - (plan.rows - 1) * plan.stepMs;
  const times = Float64Array.from({ length: plan.rows }, (_, r) => firstMs + r * plan.stepMs);
  // The rows' columns are copied into each ring: one scratch set serves every node.
  const scratch = new Map<NodeSeriesKey, Float32Array>();
  for (const ref of plan.nodes) {
    const ring = plan.store.get(ref.id)?.history;
    if (ring) ring.prepend(times, spread(nodeColumns.map(([key, byNode]) => [key, byNode.get(ref.key)] as const), nodeLayout, scratch));
  }
  // A cluster query answers with one series (the sum across nodes), or none.
  const cluster = clusterColumns.map(([key, bySeries]) => [key, [...bySeries.values()][0]] as const);
  plan.store.cluster.prepend(times, spread(cluster, clusterLayout, new Map()));
  plan.store.historyChanged();
  return warnings;
}
