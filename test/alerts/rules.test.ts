import { describe, expect, it } from 'vitest';
import { BUILTIN_COLUMNS, BUILTIN_RULES, holds, parseAlertFlag, resolveRules, ruleText, type AlertFlag } from '../../src/alerts/rules.js';

const COLUMNS = new Set<string>([...BUILTIN_COLUMNS, 'rps']);

function flags(...texts: string[]): AlertFlag[] {
  return texts.map((t) => {
    const f = parseAlertFlag(t);
    if (typeof f === 'string') throw new Error(f);
    return f;
  });
}

describe('alert rules', () => {
  it('has the built-in rules on by default, with their for durations', () => {
    expect(BUILTIN_RULES.map(ruleText)).toEqual([
      'down>0 for 30s',
      'cpu>90 for 2m',
      'memory>90 for 2m',
      'fs>90 for 1m',
      'load_per_core>2 for 5m',
      'gpu_xid>0',
      'gpu_temp>85 for 1m',
      'gpu_row_remap>0',
      'gpu_idle_allocated>0 for 10m',
    ]);
  });

  it('parses rules with any comparison, a % after the number, and an optional for', () => {
    expect(parseAlertFlag('cpu>80 for 1m')).toEqual({ kind: 'rule', rule: { column: 'cpu', op: '>', threshold: 80 }, forMs: 60_000 });
    expect(parseAlertFlag(' memory >= 95% for 1m30s ')).toEqual({ kind: 'rule', rule: { column: 'memory', op: '>=', threshold: 95 }, forMs: 90_000 });
    expect(parseAlertFlag('rps<0.5')).toEqual({ kind: 'rule', rule: { column: 'rps', op: '<', threshold: 0.5 }, forMs: null });
    expect(parseAlertFlag('cpu off')).toEqual({ kind: 'off', column: 'cpu' });
    expect(parseAlertFlag('cpu>')).toMatch(/^expected "<column><op><number>/);
    expect(parseAlertFlag('cpu>80 for soon')).toBe('"soon" is no duration such as 30s, 1m or 1m30s');
  });

  it('compares as the operator says', () => {
    const rule = (op: '>' | '>=' | '<' | '<=' | '==' | '!=') => ({ column: 'x', op, threshold: 2, forMs: 0 });
    expect([1, 2, 3].map((v) => holds(rule('>'), v))).toEqual([false, false, true]);
    expect([1, 2, 3].map((v) => holds(rule('>='), v))).toEqual([false, true, true]);
    expect([1, 2, 3].map((v) => holds(rule('<'), v))).toEqual([true, false, false]);
    expect([1, 2, 3].map((v) => holds(rule('<='), v))).toEqual([true, true, false]);
    expect([1, 2, 3].map((v) => holds(rule('=='), v))).toEqual([false, true, false]);
    expect([1, 2, 3].map((v) => holds(rule('!='), v))).toEqual([true, false, true]);
  });

  it('changes a built-in rule (keeping its for unless given), turns one off, adds one over a user column', () => {
    const rules = resolveRules(flags('memory>95', 'cpu>80 for 1m', 'fs off', 'rps>100'), ['load_per_core'], COLUMNS);
    if (typeof rules === 'string') throw new Error(rules);
    expect(rules.map(ruleText)).toEqual(['down>0 for 30s', 'cpu>80 for 1m', 'memory>95 for 2m', 'gpu_xid>0', 'gpu_temp>85 for 1m', 'gpu_row_remap>0', 'gpu_idle_allocated>0 for 10m', 'rps>100']);
  });

  it.each([
    [['cpu>80', 'cpu>90'], [], 'two --alert rules for "cpu": one rule per column'],
    [['cpu off', 'cpu>80'], [], 'the alert on "cpu" is both turned off and given a rule'],
    [['latency>1'], [], '--alert on "latency": no such column (built-in columns are cpu, memory, fs, load_per_core, up, down, gpu_temp, gpu_xid, gpu_row_remap, gpu_idle_allocated; --column adds others)'],
    [[], ['up'], 'no built-in alert "up" to turn off (they are down, cpu, memory, fs, load_per_core, gpu_xid, gpu_temp, gpu_row_remap, gpu_idle_allocated)'],
  ])('%j with --no-alert %j: %s', (alerts, off, message) => {
    expect(resolveRules(flags(...alerts), off, COLUMNS)).toBe(message);
  });
});
