import { describe, expect, it } from 'vitest';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { hasUnsafe } from '../../src/util/visible-text.js';
import { EMPTY_FIGURES } from '../../src/metrics/node-figures.js';
import { UNKNOWN_HEALTH } from '../../src/scrape/types.js';

const EVIL = 'x\u001b]0;title\u0007\n\u009b\u202e';

/** Every string reachable from `value`, keys included. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'history' || k === 'columnHistory' || k === 'id') continue;
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

describe('ClusterStore: text from outside enters visible', () => {
  it('makes names, targets, labels, errors, Kubernetes facts, pods, columns and app families visible; the id stays a key', () => {
    const store = new ClusterStore(4, [`col${EVIL}`]);
    store.upsert({ id: EVIL, name: EVIL, target: EVIL, labels: { [EVIL]: EVIL } });
    expect(store.get(EVIL)).toBeDefined();
    store.record(EVIL, 1, {
      name: EVIL,
      source: 'app',
      figures: EMPTY_FIGURES,
      health: { ...UNKNOWN_HEALTH, up: true, lastError: EVIL },
      columns: { [`col${EVIL}`]: { value: 1, parts: [{ labels: EVIL, value: 1 }], partCount: 1 } },
      app: { families: [{ name: EVIL, type: 'gauge', series: [{ labels: EVIL, value: 1 }] }], samples: 1, capped: false },
    });
    store.setKube(EVIL, {
      roles: [EVIL], ready: true, problems: [EVIL], cordoned: false,
      capacity: { cpuCores: 1, memoryBytes: 1, pods: 1 }, allocatable: { cpuCores: 1, memoryBytes: 1, pods: 1 },
      kubeletVersion: EVIL, internalIP: EVIL, createdAtMs: 0, labels: { [EVIL]: EVIL },
    });
    store.setPods(EVIL, [{ namespace: EVIL, name: EVIL, cpuCores: 1, memoryBytes: 1, containers: [{ name: EVIL, cpuCores: 1, memoryBytes: 1 }] }]);
    const entry = store.get(EVIL);
    const all = strings(entry);
    expect(all).toContain('x\\x1b]0;title\\x07\\n\\u009b\\u202e');
    expect(all.filter(hasUnsafe)).toEqual([]);
    expect(store.columnNames.filter(hasUnsafe)).toEqual([]);
    // The column's history is kept under the name the readings carry.
    expect(entry?.columnHistory?.valueAt(store.columnNames[0] ?? '', 0)).toBe(1);
    store.recordDown(EVIL, 2, { ...UNKNOWN_HEALTH, lastError: EVIL });
    expect(hasUnsafe(store.get(EVIL)?.health.lastError ?? '')).toBe(false);
  });

  it('makes visible the name and labels a node is declared with again (a replay), and takes its source', () => {
    const store = new ClusterStore(4);
    store.upsert({ id: 'n', name: 'n', target: 't' });
    const entry = store.declare({ id: 'n', name: EVIL, target: 't', source: 'kubelet', labels: { [EVIL]: EVIL } });
    expect(entry).toBe(store.get('n'));
    expect(strings({ name: entry.name, labels: entry.labels }).filter(hasUnsafe)).toEqual([]);
    expect(entry.name).toBe('x\\x1b]0;title\\x07\\n\\u009b\\u202e');
    expect(entry.source).toBe('kubelet');
    // A scrape under the same name leaves it as it is.
    store.record('n', 1, { name: EVIL, source: 'kubelet', figures: EMPTY_FIGURES, health: { ...UNKNOWN_HEALTH, up: true } });
    expect(hasUnsafe(store.get('n')?.name ?? '')).toBe(false);
    expect(store.declare({ id: 'new', name: EVIL, target: EVIL }).name).toBe(entry.name);
  });

  it('keeps the objects a source gave when nothing needs it', () => {
    const store = new ClusterStore(4);
    const labels = { job: 'node' };
    const entry = store.upsert({ id: 'a', name: 'a', target: 'http://a/metrics', labels });
    expect(entry.labels).toBe(labels);
    const health = { ...UNKNOWN_HEALTH, up: true };
    store.record('a', 1, { name: 'a', source: 'node_exporter', figures: EMPTY_FIGURES, health });
    expect(entry.health).toBe(health);
  });
});

describe('ClusterStore: adding and removing nodes', () => {
  it('keeps the order nodes were added in, across removals, and hands out the same array until it changes', () => {
    const store = new ClusterStore(2);
    for (let i = 0; i < 5; i++) store.upsert({ id: `n${i}`, name: `n${i}`, target: `t${i}` });
    const first = store.nodes();
    expect(store.nodes()).toBe(first);
    expect(first.map((n) => n.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    store.remove('n2');
    store.remove('missing');
    store.upsert({ id: 'n5', name: 'n5', target: 't5' });
    store.upsert({ id: 'n1', name: 'again', target: 't1' });
    expect(store.nodes()).not.toBe(first);
    expect(store.nodes().map((n) => n.id)).toEqual(['n0', 'n1', 'n3', 'n4', 'n5']);
    expect(first.map((n) => n.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
  });
});

describe('ClusterStore: containers enter visible', () => {
  it("makes a container's id, name, image and compose labels visible, and keeps a clean table as it is", () => {
    const store = new ClusterStore(4);
    store.upsert({ id: 'n', name: 'n', target: 't' });
    const figures = { cpuPercent: 1, memoryBytes: 1, memoryLimitBytes: null, receiveBytesPerSecond: null, transmitBytesPerSecond: null, readBytesPerSecond: null, writtenBytesPerSecond: null, startedAtMs: null, restarts: null, restartsCounted: null };
    store.setContainers('n', { containers: [{ id: EVIL, name: EVIL, image: EVIL, composeProject: EVIL, composeService: EVIL, ...figures }], omitted: 0, unnamed: 0 });
    const shown = store.get('n')!.containers!.containers[0]!;
    for (const text of [shown.id, shown.name, shown.image, shown.composeProject, shown.composeService]) {
      expect(hasUnsafe(text ?? '')).toBe(false);
      expect(text).toContain('\\x1b]0;title\\x07');
    }
    const clean = { containers: [{ id: '/docker/a', name: 'web', image: null, composeProject: null, composeService: null, ...figures }], omitted: 0, unnamed: 2 };
    store.setContainers('n', clean);
    expect(store.get('n')!.containers).toBe(clean);
  });
});
