/**
 * Alert states as Prometheus keeps them, per rule and target: pending from the first evaluation
 * the condition holds, firing once it has held for the rule's `for`, resolved at the first
 * evaluation it no longer holds (a pending alert just goes away). Pure: the time is the caller's.
 */
import { holds, type AlertRule } from './rules.js';

export type AlertState = 'pending' | 'firing' | 'resolved';

export interface Alert {
  readonly rule: AlertRule;
  readonly nodeId: string;
  readonly node: string;
  /** The column's value at the last evaluation the condition held. */
  readonly value: number;
  readonly state: AlertState;
  /** When the condition began to hold. */
  readonly activeAtMs: number;
  readonly firedAtMs: number | null;
  readonly resolvedAtMs: number | null;
}

/** A target as rules see it: a value per column, null when it has none now. */
export interface AlertSubject {
  readonly id: string;
  readonly name: string;
  value(column: string): number | null;
}

/** Resolved alerts stay listed this long, so a short fire is not missed. */
export const RESOLVED_KEEP_MS = 5 * 60_000;

const STATE_ORDER: Readonly<Record<AlertState, number>> = { firing: 0, pending: 1, resolved: 2 };

export class AlertEvaluator {
  private readonly alerts = new Map<string, Alert>();
  private listed: Alert[] = [];

  constructor(readonly rules: readonly AlertRule[]) {}

  evaluate(subjects: Iterable<AlertSubject>, nowMs: number): void {
    const seen = new Set<string>();
    for (const subject of subjects) {
      for (const rule of this.rules) {
        const value = subject.value(rule.column);
        if (value === null || !holds(rule, value)) continue;
        const key = `${rule.column}\u0000${subject.id}`;
        seen.add(key);
        this.alerts.set(key, advance(this.alerts.get(key), rule, subject, value, nowMs));
      }
    }
    for (const [key, alert] of this.alerts) {
      if (seen.has(key)) continue;
      if (alert.state === 'firing') this.alerts.set(key, { ...alert, state: 'resolved', resolvedAtMs: nowMs });
      else if (alert.state === 'pending' || nowMs - (alert.resolvedAtMs ?? nowMs) >= RESOLVED_KEEP_MS) this.alerts.delete(key);
    }
    this.listed = [...this.alerts.values()].sort(byStateThenNewest);
  }

  /** Firing first, then pending, then resolved; the newest first within each. */
  list(): readonly Alert[] {
    return this.listed;
  }
}

function advance(alert: Alert | undefined, rule: AlertRule, subject: AlertSubject, value: number, nowMs: number): Alert {
  if (alert === undefined || alert.state === 'resolved') {
    const fires = rule.forMs <= 0;
    return { rule, nodeId: subject.id, node: subject.name, value, state: fires ? 'firing' : 'pending', activeAtMs: nowMs, firedAtMs: fires ? nowMs : null, resolvedAtMs: null };
  }
  if (alert.state === 'pending' && nowMs - alert.activeAtMs >= rule.forMs) return { ...alert, node: subject.name, value, state: 'firing', firedAtMs: nowMs };
  return { ...alert, node: subject.name, value };
}

/** When the alert entered its state: what "since" means in the panel and the snapshot. */
export function sinceMs(alert: Alert): number {
  return alert.resolvedAtMs ?? alert.firedAtMs ?? alert.activeAtMs;
}

function byStateThenNewest(a: Alert, b: Alert): number {
  return STATE_ORDER[a.state] - STATE_ORDER[b.state] || sinceMs(b) - sinceMs(a) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
}
