/** `--column`, `--alert`, `--no-alert` and `--fail-on-alert`: user columns and the alert rules over them. */
import { Option, type Command } from 'commander';
import { parseColumn, type UserColumn } from '../expr/column.js';
import { ExprError } from '../expr/ast.js';
import { collect } from '../util/flag-args.js';
import { BUILTIN_COLUMNS, parseAlertFlag, resolveRules, type AlertFlag, type AlertRule } from '../alerts/rules.js';

export interface RuleFlags {
  readonly columns: readonly UserColumn[];
  readonly alertRules: readonly AlertRule[];
  /** With a snapshot: exit 3 when an alert fires. */
  readonly failOnAlert: boolean;
}

export interface RawRuleFlags {
  column: string[];
  alert: string[];
  noAlert: string[];
  failOnAlert?: boolean;
}

export function addRuleOptions(program: Command): Command {
  // commander reads any --no-x as the negation of --x; this one takes a value of its own.
  const noAlert = new Option('--no-alert <name>', 'turn a built-in alert off (down, cpu, memory, fs, load_per_core, gpu_xid, gpu_temp, gpu_row_remap, gpu_idle_allocated); repeatable').argParser(collect).default([]);
  noAlert.negate = false;
  return program
    .option('--column <name=expr>', 'a table column from an expression such as rps=rate(http_requests_total); repeatable', collect, [])
    .option('--alert <rule>', 'an alert rule such as "cpu>80 for 1m", or "cpu off"; replaces the built-in rule of its column; repeatable', collect, [])
    .addOption(noAlert)
    .option('--fail-on-alert', 'with a snapshot (--once): exit with status 3 when an alert fires');
}

/** The flags checked and resolved; a string is the usage error's message. */
export function ruleFlags(raw: RawRuleFlags): RuleFlags | string {
  const columns: UserColumn[] = [];
  for (const spec of raw.column) {
    let column: UserColumn;
    try {
      column = parseColumn(spec);
    } catch (error) {
      if (error instanceof ExprError) return `--column '${spec}': ${error.message}`;
      throw error;
    }
    if ((BUILTIN_COLUMNS as readonly string[]).includes(column.name)) return `--column '${spec}': "${column.name}" is a built-in column`;
    if (columns.some((c) => c.name === column.name)) return `--column '${spec}': a column "${column.name}" is given twice`;
    columns.push(column);
  }
  const flags: AlertFlag[] = [];
  for (const text of raw.alert) {
    const flag = parseAlertFlag(text);
    if (typeof flag === 'string') return `--alert '${text}': ${flag}`;
    flags.push(flag);
  }
  const names = new Set<string>([...BUILTIN_COLUMNS, ...columns.map((c) => c.name)]);
  const rules = resolveRules(flags, raw.noAlert, names);
  return typeof rules === 'string' ? rules : { columns, alertRules: rules, failOnAlert: raw.failOnAlert === true };
}
