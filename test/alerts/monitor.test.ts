import { describe, expect, it } from 'vitest';
import { AlertMonitor } from '../../src/alerts/monitor.js';
import { BUILTIN_RULES } from '../../src/alerts/rules.js';
import { snapshotAlerts } from '../../src/cli/snapshot-alerts.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { makeFigures, NOW, upHealth } from '../ui/fixtures.js';

function storeWithHotNode(): ClusterStore {
  const store = new ClusterStore(10);
  store.upsert({ id: 'hot', name: 'hot', target: 'http://hot:9100/metrics' });
  store.upsert({ id: 'cool', name: 'cool', target: 'http://cool:9100/metrics' });
  store.record('hot', NOW, { name: 'hot', source: 'node_exporter', figures: makeFigures({ cpu: 97.25, mem: 20 }), health: upHealth(NOW) });
  store.record('cool', NOW, { name: 'cool', source: 'node_exporter', figures: makeFigures({ cpu: 10, mem: 20 }), health: upHealth(NOW) });
  return store;
}

describe('AlertMonitor', () => {
  it('evaluates the rules over the store\'s nodes on its clock', () => {
    const store = storeWithHotNode();
    let now = NOW;
    const monitor = new AlertMonitor(store, BUILTIN_RULES, () => now);
    monitor.evaluate();
    expect(monitor.list().map((a) => [a.node, a.rule.column, a.state])).toEqual([['hot', 'cpu', 'pending']]);
    now += 120_000; // the built-in cpu rule's `for`
    monitor.evaluate();
    expect(monitor.list()).toMatchObject([{ node: 'hot', state: 'firing', value: 97.25, firedAtMs: now }]);
  });
});

describe('alerts of a snapshot', () => {
  it('fires every condition that holds, `for` left out, and names the rule as given', () => {
    const alerts = snapshotAlerts(storeWithHotNode(), BUILTIN_RULES, NOW);
    expect(alerts).toEqual([
      { name: 'cpu', node: 'hot', target: 'http://hot:9100/metrics', value: 97.25, since: new Date(NOW).toISOString(), state: 'firing', rule: 'cpu>90 for 2m' },
    ]);
  });
});
