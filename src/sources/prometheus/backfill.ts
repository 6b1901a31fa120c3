/**
 * History from Prometheus on start (`/api/v1/query_range`), so sparklines and charts are full at
 * once instead of filling over the next --history. The same expressions as a refresh, evaluated
 * every interval; the cluster row's are summed across nodes by Prometheus itself, weighted as
 * clusterTotals weighs them (CPU by cores, memory by bytes).
 */
import type { ClusterSeriesKey, ClusterStore, NodeSeriesKey } from '../../store/cluster-store.js';
import { NODE_SERIES as N } from '../../metrics/node-exporter.js';
import type { PrometheusClient } from './client.js';
import type { RangeSeries } from './decode.js';
import { nodeKey } from './figures.js';
import type { NodeRef } from './nodes.js';
import { byteRate, cpuBusy, memoryUsed, NODE_LABELS } from './queries.js';
import { matchers } from './selector.js';
import { settleLimited } from './settle.js';

/** Prometheus refuses a range query of more than 11,000 points per series. */
const MAX_POINTS_PER_SERIES = 11_000;
/** Points per query across all series: about 16 MB of JSON, well inside the response cap. */
const MAX_POINTS_PER_QUERY = 500_000;

export interface BackfillPlan {
  readonly client: PrometheusClient;
  readonly store: ClusterStore;
  /** Nodes already in the store; others in the results are left out. */
  readonly nodes: readonly NodeRef[];
  readonly selector: string;
  /** The rate window, as a PromQL duration. */
  readonly window: string;
  readonly stepMs: number;
  /** Time of the last row; rows are `stepMs` apart, oldest first. */
  readonly endMs: number;
  readonly rows: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

type Transform = (v: number) => number;
const percent: Transform = (v) => Math.min(100, Math.max(0, 100 * v));
const same: Transform = (v) => v;

function nodeQueries(sel: string, window: string): Record<NodeSeriesKey, readonly [string, Transform]> {
  const by = NODE_LABELS;
  return {
    cpu: [cpuBusy(sel, window, by), percent],
    memory: [memoryUsed(sel, by), percent],
    load1: [`${N.load1}${matchers(sel)}`, same],
    rx: [byteRate('rx', sel, window, by), same],
    tx: [byteRate('tx', sel, window, by), same],
    read: [byteRate('read', sel, window, by), same],
    written: [byteRate('written', sel, window, by), same],
  };
}

function clusterQueries(sel: string, window: string): Record<ClusterSeriesKey, readonly [string, Transform]> {
  return {
    cpu: [cpuBusy(sel, window, []), percent],
    memory: [memoryUsed(sel, []), percent],
    rx: [byteRate('rx', sel, window, []), same],
    tx: [byteRate('tx', sel, window, []), same],
    read: [byteRate('read', sel, window, []), same],
    written: [byteRate('written', sel, window, []), same],
    up: [`count(${N.uname}${matchers(sel)})`, same],
  };
}

/** Rows per query: within Prometheus's per-series limit and the per-query budget for this many nodes. */
export function chunkRows(nodes: number): number {
  return Math.min(MAX_POINTS_PER_SERIES, Math.max(1, Math.floor(MAX_POINTS_PER_QUERY / Math.max(1, nodes))));
}

/** A range result as one column per node (by nodeKey), `count` rows from `startMs`; NaN where no point. */
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

/**
 * Pushes `rows` rows into every node's ring and the cluster ring, oldest first, chunk by chunk.
 * Returns the servers' warnings; throws the first query's PrometheusError (rows pushed stay).
 */
export async function backfill(plan: BackfillPlan): Promise<string[]> {
  const nodeQ = Object.entries(nodeQueries(plan.selector, plan.window)) as [NodeSeriesKey, readonly [string, Transform]][];
  const clusterQ = Object.entries(clusterQueries(plan.selector, plan.window)) as [ClusterSeriesKey, readonly [string, Transform]][];
  const firstMs = plan.endMs - (plan.rows - 1) * plan.stepMs;
  const size = chunkRows(plan.nodes.length);
  const warnings: string[] = [];
  for (let from = 0; from < plan.rows; from += size) {
    const count = Math.min(size, plan.rows - from);
    const startMs = firstMs + from * plan.stepMs;
    const endMs = startMs + (count - 1) * plan.stepMs;
    const settled = await settleLimited(
      [...nodeQ, ...clusterQ].map(([, [expr]]) => () => plan.client.queryRange(expr, startMs, endMs, plan.stepMs, plan.timeoutMs)),
      plan.concurrency,
    );
    const results = settled.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      warnings.push(...s.value.warnings);
      return s.value.result;
    });
    const column = (q: number, transform: Transform) => columns(results[q] ?? [], transform, startMs, plan.stepMs, count);
    const nodeColumns = nodeQ.map(([key, [, transform]], q) => [key, column(q, transform)] as const);
    // A cluster query answers with one series (the sum across nodes), or none.
    const clusterColumns = clusterQ.map(([key, [, transform]], q) => [key, [...column(nodeQ.length + q, transform).values()][0]] as const);
    for (const ref of plan.nodes) {
      const ring = plan.store.get(ref.id)?.history;
      for (let i = 0; ring && i < count; i++) {
        const row: Partial<Record<NodeSeriesKey, number>> = {};
        for (const [key, byNode] of nodeColumns) row[key] = byNode.get(ref.key)?.[i] ?? NaN;
        ring.push(startMs + i * plan.stepMs, row);
      }
    }
    for (let i = 0; i < count; i++) {
      const row: Partial<Record<ClusterSeriesKey, number>> = {};
      for (const [key, values] of clusterColumns) row[key] = values?.[i] ?? NaN;
      plan.store.cluster.push(startMs + i * plan.stepMs, row);
    }
  }
  return warnings;
}
