import { describe, expect, it } from 'vitest';
import { AlertEvaluator, RESOLVED_KEEP_MS, sinceMs, type AlertSubject } from '../../src/alerts/evaluator.js';
import { columnValue } from '../../src/alerts/monitor.js';
import { BUILTIN_RULES } from '../../src/alerts/rules.js';
import { EMPTY_FIGURES } from '../../src/metrics/node-figures.js';
import { UNKNOWN_HEALTH } from '../../src/scrape/types.js';
import { makeFigures, upHealth } from '../ui/fixtures.js';

/** A fake clock and one node whose cpu the test sets before each evaluation. */
function setup(forMs = 60_000) {
  let now = 1_000_000;
  let cpu: number | null = 50;
  const evaluator = new AlertEvaluator([{ column: 'cpu', op: '>', threshold: 90, forMs }]);
  const node: AlertSubject = { id: 'n1', name: 'alpha', value: (column) => (column === 'cpu' ? cpu : null) };
  const at = (deltaMs: number, value: number | null) => {
    now += deltaMs;
    cpu = value;
    evaluator.evaluate([node], now);
    return evaluator.list();
  };
  return { at, evaluator, start: now };
}

describe('AlertEvaluator', () => {
  it('is pending until the condition held for `for`, then fires, then resolves when it stops', () => {
    const { at, start } = setup();
    expect(at(0, 50)).toEqual([]);
    const [pending] = at(10_000, 95);
    expect(pending).toMatchObject({ state: 'pending', node: 'alpha', value: 95, activeAtMs: start + 10_000, firedAtMs: null });
    expect(at(30_000, 96)[0]?.state).toBe('pending'); // 30 s of 60
    expect(at(29_999, 97)[0]?.state).toBe('pending');
    const [firing] = at(1, 98); // exactly 60 s since it began to hold
    expect(firing).toMatchObject({ state: 'firing', value: 98, activeAtMs: start + 10_000, firedAtMs: start + 70_000 });
    expect(sinceMs(firing!)).toBe(start + 70_000);
    expect(at(5000, 99)[0]).toMatchObject({ state: 'firing', value: 99, firedAtMs: start + 70_000 });
    const [resolved] = at(1000, 40);
    expect(resolved).toMatchObject({ state: 'resolved', value: 99, resolvedAtMs: start + 76_000 });
  });

  it('drops a pending alert whose condition stops, and starts over next time', () => {
    const { at, start } = setup();
    at(0, 95);
    expect(at(30_000, 80)).toEqual([]);
    expect(at(1000, 95)[0]).toMatchObject({ state: 'pending', activeAtMs: start + 31_000 });
  });

  it('fires at once with for 0, and resolves when the value is gone (a node down has no cpu)', () => {
    const { at } = setup(0);
    expect(at(0, 95)[0]?.state).toBe('firing');
    expect(at(1000, null)[0]?.state).toBe('resolved');
  });

  it('keeps a resolved alert listed for a while, and fires anew when the condition returns', () => {
    const { at, start } = setup(0);
    at(0, 95);
    at(1000, 10);
    expect(at(RESOLVED_KEEP_MS - 1, 10)[0]?.state).toBe('resolved');
    expect(at(1, 10)).toEqual([]);
    at(0, 10);
    at(1000, 95);
    const [again] = at(1000, 10);
    expect(again).toMatchObject({ state: 'resolved', firedAtMs: start + 1000 + RESOLVED_KEEP_MS + 1000 });
    expect(at(1000, 95)[0]).toMatchObject({ state: 'firing', firedAtMs: start + 1000 + RESOLVED_KEEP_MS + 3000 });
  });

  it('lists firing first, then pending, then resolved, the newest first in each', () => {
    const evaluator = new AlertEvaluator([{ column: 'x', op: '>', threshold: 0, forMs: 10_000 }]);
    const values = new Map<string, number | null>([['a', 1], ['b', 1], ['c', 1], ['d', 1]]);
    const subjects = [...values.keys()].map((id): AlertSubject => ({ id, name: id, value: () => values.get(id) ?? null }));
    evaluator.evaluate(subjects.slice(0, 2), 0); // a, b pending from 0
    evaluator.evaluate(subjects.slice(0, 3), 5000); // c pending from 5 s
    evaluator.evaluate(subjects.slice(0, 3), 10_000); // a, b fire at 10 s
    evaluator.evaluate(subjects, 15_000); // c fires at 15 s; d pending
    values.set('b', 0);
    evaluator.evaluate(subjects, 16_000); // b resolves
    expect(evaluator.list().map((a) => `${a.node}:${a.state}`)).toEqual(['c:firing', 'a:firing', 'd:pending', 'b:resolved']);
  });
});

describe('built-in columns', () => {
  const node = (figures = makeFigures({ cpu: 93, mem: 50, load1: 9, cores: 4 }), health = upHealth(0)) => ({ id: 'n', name: 'n', figures, health, columns: { rps: { value: 12, parts: [], partCount: 0 } } });

  it('reads cpu, memory, root fs, load per core, up and down, and user columns', () => {
    const n = node();
    expect(['cpu', 'memory', 'fs', 'load_per_core', 'up', 'down', 'rps', 'nope'].map((c) => columnValue(n, c))).toEqual([93, 50, 40, 2.25, 1, 0, 12, null]);
  });

  it('has no figures for a down node, down = 1, and neither up nor down before the first scrape', () => {
    const down = node(EMPTY_FIGURES, { ...UNKNOWN_HEALTH, lastScrapeMs: 5 });
    expect(['cpu', 'up', 'down'].map((c) => columnValue(down, c))).toEqual([null, 0, 1]);
    const waiting = node(EMPTY_FIGURES, UNKNOWN_HEALTH);
    expect(['up', 'down'].map((c) => columnValue(waiting, c))).toEqual([null, null]);
  });

  it('fires the built-in down rule after 30 s down, on a fake clock', () => {
    const evaluator = new AlertEvaluator(BUILTIN_RULES);
    const subject = (lastScrapeMs: number) => ({ id: 'n', name: 'n', value: (c: string) => columnValue(node(EMPTY_FIGURES, { ...UNKNOWN_HEALTH, lastScrapeMs }), c) });
    for (let t = 0; t < 30_000; t += 2000) {
      evaluator.evaluate([subject(t)], t);
      expect(evaluator.list().map((a) => a.state)).toEqual(['pending']);
    }
    evaluator.evaluate([subject(30_000)], 30_000);
    expect(evaluator.list()).toMatchObject([{ rule: { column: 'down' }, state: 'firing', value: 1 }]);
  });
});
