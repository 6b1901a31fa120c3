/**
 * Alert rules: a condition on a column of a target (built-in or `--column`), held for a duration.
 * The built-in rules and `--alert` / `--no-alert` are documented in docs/guide.md ("Alerts").
 */
import { formatDurationMs, parseDuration } from '../util/duration.js';

export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';

export interface AlertRule {
  /** The column it watches, which is also its name: one rule per column. */
  readonly column: string;
  readonly op: Comparison;
  readonly threshold: number;
  /** How long the condition must hold before the alert fires; 0 fires at once. */
  readonly forMs: number;
}

/**
 * Columns every target has, for rules: percentages, load1 per core, 1/0 for up and down; and of a
 * node's GPUs: the hottest one's °C, and how many raised an XID, lost rows to uncorrectable errors
 * or failed to remap one, and sit below 5 % while a pod or a process holds them.
 */
export const BUILTIN_COLUMNS = ['cpu', 'memory', 'fs', 'load_per_core', 'up', 'down', 'gpu_temp', 'gpu_xid', 'gpu_row_remap', 'gpu_idle_allocated'] as const;

/**
 * On by default. A target down for 30 s is no blip of one scrape; CPU and memory need 2 minutes,
 * as a build or a cache warm-up runs hot for a while; the root filesystem moves slowly, a minute
 * says it is real; load per core is itself a one-minute average, 5 minutes make it a trend.
 */
export const BUILTIN_RULES: readonly AlertRule[] = [
  { column: 'down', op: '>', threshold: 0, forMs: 30_000 },
  { column: 'cpu', op: '>', threshold: 90, forMs: 120_000 },
  { column: 'memory', op: '>', threshold: 90, forMs: 120_000 },
  { column: 'fs', op: '>', threshold: 90, forMs: 60_000 },
  { column: 'load_per_core', op: '>', threshold: 2, forMs: 300_000 },
  // GPUs: an XID or a lost row is news at once; heat for a minute is no spike; idle for ten
  // minutes while held is the costliest waste of a shared cluster.
  { column: 'gpu_xid', op: '>', threshold: 0, forMs: 0 },
  { column: 'gpu_temp', op: '>', threshold: 85, forMs: 60_000 },
  { column: 'gpu_row_remap', op: '>', threshold: 0, forMs: 0 },
  { column: 'gpu_idle_allocated', op: '>', threshold: 0, forMs: 600_000 },
];

export function holds(rule: AlertRule, value: number): boolean {
  switch (rule.op) {
    case '>':
      return value > rule.threshold;
    case '>=':
      return value >= rule.threshold;
    case '<':
      return value < rule.threshold;
    case '<=':
      return value <= rule.threshold;
    case '==':
      return value === rule.threshold;
    case '!=':
      return value !== rule.threshold;
  }
}

/** `cpu>90 for 2m`: the rule as `--alert` takes it. */
export function ruleText(rule: AlertRule): string {
  return `${rule.column}${rule.op}${rule.threshold}${rule.forMs > 0 ? ` for ${formatDurationMs(rule.forMs)}` : ''}`;
}

/** An `--alert` as written: a rule (its `for` absent when not given), or a column whose rule is off. */
export type AlertFlag = { readonly kind: 'rule'; readonly rule: Omit<AlertRule, 'forMs'>; readonly forMs: number | null } | { readonly kind: 'off'; readonly column: string };

const RULE = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*%?(?:\s+for\s+(\S+))?$/i;
const OFF = /^([a-zA-Z_][a-zA-Z0-9_]*)\s+off$/i;

/** Parses one `--alert`; a string is the message saying what is wrong with it. */
export function parseAlertFlag(text: string): AlertFlag | string {
  const t = text.trim();
  const off = OFF.exec(t);
  if (off) return { kind: 'off', column: off[1]! };
  const m = RULE.exec(t);
  if (!m) return 'expected "<column><op><number> [for <duration>]" (op: > >= < <= == !=) or "<column> off"';
  const forMs = m[4] === undefined ? null : parseDuration(m[4]);
  if (m[4] !== undefined && forMs === null) return `"${m[4]}" is no duration such as 30s, 1m or 1m30s`;
  return { kind: 'rule', rule: { column: m[1]!, op: m[2] as Comparison, threshold: Number(m[3]) }, forMs };
}

/**
 * The rules in force: the built-in ones, minus those turned off, with `--alert` rules replacing
 * the built-in rule of their column or added. A changed built-in keeps its `for` unless given;
 * a new rule without one fires at once. Returns a message for the first problem instead.
 */
export function resolveRules(flags: readonly AlertFlag[], off: readonly string[], columns: ReadonlySet<string>): AlertRule[] | string {
  const rules = new Map(BUILTIN_RULES.map((r) => [r.column, r] as const));
  const given = new Set<string>();
  const offColumns = [...off, ...flags.flatMap((f) => (f.kind === 'off' ? [f.column] : []))];
  for (const column of offColumns) {
    if (!rules.has(column)) return `no built-in alert "${column}" to turn off (they are ${BUILTIN_RULES.map((r) => r.column).join(', ')})`;
  }
  for (const flag of flags) {
    if (flag.kind === 'off') continue;
    const { column } = flag.rule;
    if (!columns.has(column)) return `--alert on "${column}": no such column (built-in columns are ${BUILTIN_COLUMNS.join(', ')}; --column adds others)`;
    if (given.has(column)) return `two --alert rules for "${column}": one rule per column`;
    if (offColumns.includes(column)) return `the alert on "${column}" is both turned off and given a rule`;
    given.add(column);
    rules.set(column, { ...flag.rule, forMs: flag.forMs ?? rules.get(column)?.forMs ?? 0 });
  }
  for (const column of offColumns) rules.delete(column);
  return [...rules.values()];
}
