/** Alert rules over the store's nodes: the columns rules read, and evaluation on a timer. */
import type { ClusterStore, NodeEntry } from '../store/cluster-store.js';
import { AlertEvaluator, type Alert, type AlertSubject } from './evaluator.js';
import type { AlertRule } from './rules.js';
import { gpuAlertValue, type GpuColumn } from './gpu-columns.js';

/** Like Prometheus's evaluation interval: `for` durations are kept to within this. */
export const EVALUATE_EVERY_MS = 1000;

type Node = Pick<NodeEntry, 'id' | 'name' | 'health' | 'figures' | 'columns'> & Partial<Pick<NodeEntry, 'gpus' | 'kube' | 'pods'>>;

/** A built-in column's value for a node, or a `--column`'s; null when the node has none now. */
export function columnValue(node: Node, column: string): number | null {
  const f = node.figures;
  switch (column) {
    case 'cpu':
      return f.cpu?.usagePercent ?? null;
    case 'memory':
      return f.memory?.usedPercent ?? null;
    case 'fs':
      return f.filesystem && f.filesystem.sizeBytes > 0 ? (100 * f.filesystem.usedBytes) / f.filesystem.sizeBytes : null;
    case 'load_per_core':
      return f.load && f.cpu && f.cpu.cores > 0 ? f.load.load1 / f.cpu.cores : null;
    case 'up':
    case 'down': {
      // Not scraped yet is neither: a target is not down before its first answer is due.
      if (node.health.lastScrapeMs === null) return null;
      return node.health.up === (column === 'up') ? 1 : 0;
    }
    case 'gpu_temp':
    case 'gpu_xid':
    case 'gpu_row_remap':
    case 'gpu_idle_allocated':
      return gpuAlertValue(node.gpus ?? null, column as GpuColumn, { kube: node.kube ?? null, pods: node.pods ?? null });
    default:
      return Object.hasOwn(node.columns, column) ? (node.columns[column]?.value ?? null) : null;
  }
}

export function subjectOf(node: Node): AlertSubject {
  return { id: node.id, name: node.name, value: (column) => columnValue(node, column) };
}

/** What the UI reads of the alerts. */
export interface AlertList {
  list(): readonly Alert[];
}

/** Evaluates the rules over the store every EVALUATE_EVERY_MS while started. */
export class AlertMonitor implements AlertList {
  private readonly evaluator: AlertEvaluator;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: ClusterStore,
    rules: readonly AlertRule[],
    private readonly now: () => number = Date.now,
  ) {
    this.evaluator = new AlertEvaluator(rules);
  }

  evaluate(): void {
    this.evaluator.evaluate(this.store.nodes().map(subjectOf), this.now());
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => this.evaluate(), EVALUATE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  list(): readonly Alert[] {
    return this.evaluator.list();
  }
}
