/** Alerts in the `--once` snapshot: the rules evaluated once, on the snapshot's moment. */
import { AlertEvaluator, sinceMs, type AlertState } from '../alerts/evaluator.js';
import { subjectOf } from '../alerts/monitor.js';
import { ruleText, type AlertRule } from '../alerts/rules.js';
import type { ClusterStore } from '../store/cluster-store.js';

/** One alert of the snapshot; docs/reference.md documents this shape. */
export interface SnapshotAlert {
  /** The rule's name: the column it watches (`cpu`, `down`, a `--column`). */
  readonly name: string;
  readonly node: string;
  readonly target: string;
  readonly value: number;
  /** ISO 8601 time the alert entered its state. */
  readonly since: string;
  readonly state: AlertState;
  /** The rule as `--alert` writes it, `for` included. */
  readonly rule: string;
}

/**
 * A snapshot is one moment, so no condition can have held for a while in it: the rules are
 * evaluated once with `for` left out, and every condition that holds fires.
 */
export function snapshotAlerts(store: ClusterStore, rules: readonly AlertRule[], atMs: number): SnapshotAlert[] {
  const evaluator = new AlertEvaluator(rules.map((r) => ({ ...r, forMs: 0 })));
  evaluator.evaluate(store.nodes().map(subjectOf), atMs);
  return evaluator.list().map((alert) => ({
    name: alert.rule.column,
    node: alert.node,
    target: store.get(alert.nodeId)?.target ?? '',
    value: significant(alert.value),
    since: new Date(sinceMs(alert)).toISOString(),
    state: alert.state,
    rule: ruleText(rules.find((r) => r.column === alert.rule.column) ?? alert.rule),
  }));
}

/** Six significant digits: column values range from latencies in microseconds to bytes per second. */
export function significant(value: number): number {
  return Number(value.toPrecision(6));
}
