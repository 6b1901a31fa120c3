/**
 * A recorded cluster for the record/replay tests: four nodes over `ticks` refreshes one second
 * apart, with what a real run has: a node that renames itself (nodename arrives with the first
 * scrape), one down every third refresh, one scraped only every other refresh, one that joins
 * and leaves, groups a source cannot give, per-core figures with gaps.
 */
import { join } from 'node:path';
import type { ColumnReading } from '../../src/expr/column.js';
import type { NodeFigures } from '../../src/metrics/node-figures.js';
import { Recorder } from '../../src/record/recorder.js';
import type { TargetHealth } from '../../src/scrape/types.js';
import { ClusterStore, NODE_SERIES, type NodeEntry } from '../../src/store/cluster-store.js';
import { tempDir } from '../helpers/temp-dir.js';

export const T0 = Date.UTC(2026, 10, 21, 5, 0, 0);
export const STEP_MS = 1000;

/** `name` in a new folder of its own, removed when the test (or, outside a test, the file) is over. */
export function tempPath(name = 'cluster.rec'): string {
  return join(tempDir('rec'), name);
}

function figures(k: number, salt: number, partial: boolean): NodeFigures {
  const x = (k * 37 + salt * 11) % 100;
  return {
    cpu: partial ? null : { cores: 4, usagePercent: x + 0.123, perCoreUsagePercent: [x, k === 0 ? null : x / 3, 99.999, 0.001] },
    load: { load1: x / 10, load5: 1.25, load15: 0.333 },
    memory: { totalBytes: 17_179_869_184, usedBytes: 1e9 + k, availableBytes: 16_179_869_184 - k, usedPercent: 5.821 },
    swap: partial ? null : { totalBytes: 0, usedBytes: 0 },
    network: k === 0 ? null : { receiveBytesPerSecond: 1234.567 * x, transmitBytesPerSecond: 89.5 },
    disk: k === 0 ? null : { readBytesPerSecond: 0, writtenBytesPerSecond: 4096.25 * k },
    filesystem: { sizeBytes: 107_374_182_400, usedBytes: 42_949_672_960 + k },
    uptimeSeconds: 86_400.5 + k,
  };
}

function up(at: number, k: number): TargetHealth {
  return { up: true, lastSuccessMs: at, lastScrapeMs: at, lastDurationMs: 12.345678 + k, lastBodyBytes: 65_000, lastWireBytes: 9000 + k, lastSamples: 1800, lastError: null, consecutiveFailures: 0 };
}

function down(at: number, prev: TargetHealth): TargetHealth {
  return { ...prev, up: false, lastScrapeMs: at, lastDurationMs: 0.5, lastError: 'connection refused', consecutiveFailures: prev.consecutiveFailures + 1 };
}

/** Readings of the scenario's `--column`s, when the store has them: a plain value (none at first), and labelled parts. */
function readings(store: ClusterStore, k: number, salt: number): { columns?: Record<string, ColumnReading> } {
  if (store.columnNames.length === 0) return {};
  return {
    columns: {
      rps: { value: k === 0 ? null : 10.5 * k + salt, parts: [], partCount: 0 },
      errors: { value: 3.25 + k, parts: [{ labels: 'code="500"', value: 2.25 + k }, { labels: 'code="503"', value: 1 }], partCount: 2 + (salt % 2) },
    },
  };
}

/** Drives `store` through refresh `k`: what a source would do, then the cluster row. */
export function refresh(store: ClusterStore, k: number): void {
  const t = T0 + (k + 1) * STEP_MS;
  const scrape = t - 100;
  store.upsert({ id: 'http://a:9100/metrics', name: 'a', target: 'http://a:9100/metrics' });
  store.upsert({ id: 'http://b:9100/metrics', name: 'b', target: 'http://b:9100/metrics', source: 'kubelet', labels: { job: 'kube' } });
  store.upsert({ id: 'http://c:9100/metrics', name: 'c', target: 'http://c:9100/metrics' });
  if (k === 5) store.upsert({ id: 'http://d:9100/metrics', name: 'd', target: 'http://***@d:9100/metrics' });
  if (k === 12) store.remove('http://d:9100/metrics');
  store.record('http://a:9100/metrics', scrape, { name: k >= 3 ? 'alpha' : 'a', source: 'node_exporter', figures: figures(k, 1, false), health: up(scrape, k), ...readings(store, k, 1) });
  if (k % 2 === 0) store.record('http://b:9100/metrics', scrape, { name: 'b', source: 'kubelet', figures: figures(k, 2, true), health: up(scrape, k), ...readings(store, k, 2) });
  const c = store.get('http://c:9100/metrics')!;
  if (k % 3 === 2) store.recordDown(c.id, scrape, down(scrape, c.health));
  else store.record(c.id, scrape, { name: 'c', source: 'node_exporter', figures: figures(k, 3, false), health: up(scrape, k), ...readings(store, k, 3) });
  if (store.get('http://d:9100/metrics')) store.record('http://d:9100/metrics', scrape, { name: 'd', source: 'node_exporter', figures: figures(k, 4, false), health: up(scrape, k) });
  store.appendClusterPoint(t);
}

/** The time of refresh `k`. */
export const tickTime = (k: number): number => T0 + (k + 1) * STEP_MS;

/** Records `ticks` refreshes to `path`; returns the live store as it ended. */
export function recordScenario(path: string, ticks: number, options: { maxBytes?: number; capacity?: number; columns?: readonly string[] } = {}): ClusterStore {
  const store = new ClusterStore(options.capacity ?? 600, options.columns);
  const recorder = Recorder.open({ path, maxBytes: options.maxBytes ?? 1 << 30, store, intervalMs: STEP_MS, now: () => T0 });
  for (let k = 0; k < ticks; k++) refresh(store, k);
  recorder.close();
  return store;
}

/** A live store as it was after refresh `k`, history limited to the store's capacity. */
export function liveStoreAt(k: number, capacity = 600, columns: readonly string[] = []): ClusterStore {
  const store = new ClusterStore(capacity, columns);
  for (let i = 0; i <= k; i++) refresh(store, i);
  return store;
}

/** What a reader can compare of a node: everything but the ring object. */
export function nodeView(n: NodeEntry) {
  return { id: n.id, name: n.name, target: n.target, source: n.source, labels: n.labels, figures: n.figures, health: n.health };
}

/** A node's history rows after `sinceMs` as plain arrays: times and every series. */
export function ringRows(r: NodeEntry['history'], sinceMs = Number.NEGATIVE_INFINITY) {
  const rows = Array.from({ length: r.length }, (_, i) => i).filter((i) => r.timeAt(i) > sinceMs);
  return { times: rows.map((i) => r.timeAt(i)), ...Object.fromEntries(NODE_SERIES.map((key) => [key, rows.map((i) => r.valueAt(key, i))])) };
}

/** A store's history rows after `sinceMs`: every node's, and the cluster's. */
export function historyView(store: ClusterStore, sinceMs = Number.NEGATIVE_INFINITY) {
  const c = store.cluster;
  return {
    nodes: store.nodes().map((n) => [n.id, ringRows(n.history, sinceMs)]),
    cluster: Array.from({ length: c.length }, (_, i) => [c.timeAt(i), c.valueAt('cpu', i), c.valueAt('up', i)]).filter(([t]) => t! > sinceMs),
  };
}

/** A node's readings of the `--column`s named, and their history rows. */
export function columnsView(names: readonly string[]) {
  return (n: NodeEntry) => {
    const r = n.columnHistory;
    const rows = r === null ? [] : Array.from({ length: r.length }, (_, i) => [r.timeAt(i), ...names.map((name) => r.valueAt(name, i))]);
    return { id: n.id, columns: n.columns, rows };
  };
}
