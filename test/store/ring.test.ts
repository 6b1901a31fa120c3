import { describe, expect, it } from 'vitest';
import { Ring, RingPool } from '../../src/store/ring.js';
import { ClusterStore, clusterTotals } from '../../src/store/cluster-store.js';
import { UNKNOWN_HEALTH } from '../../src/scrape/types.js';
import { EMPTY_FIGURES, type NodeFigures } from '../../src/metrics/node-figures.js';

describe('Ring', () => {
  it('keeps the newest rows, oldest first, and wraps without growing', () => {
    const r = new Ring(3, ['a', 'b'] as const);
    const bytes = r.byteLength;
    for (let i = 1; i <= 5; i++) r.push(i * 1000, { a: i, b: i % 2 === 0 ? null : i * 10 });
    expect(r.length).toBe(3);
    expect(r.tail('a')).toEqual([3, 4, 5]);
    expect(r.tail('b').map((v) => (Number.isNaN(v) ? 'gap' : v))).toEqual([30, 'gap', 50]);
    expect(r.tail('a', 2)).toEqual([4, 5]);
    expect(r.timeAt(0)).toBe(3000);
    expect(r.latestTime()).toBe(5000);
    expect(r.byteLength).toBe(bytes);
    expect(bytes).toBe(3 * 8 + 2 * 3 * 4);
  });

  it('puts history before the rows held, keeping the newest capacity in all', () => {
    const r = new Ring(5, ['a', 'b'] as const);
    r.push(10_000, { a: 10, b: 100 });
    r.push(11_000, { a: 11 });
    // Six older rows and one not older than the oldest held (left out); column b only partly given.
    r.prepend([4000, 5000, 6000, 7000, 8000, 9000, 10_000], { a: [4, 5, 6, 7, 8, 9, 99], b: new Float32Array([NaN, NaN, NaN, 70, 80, 90, 99]) });
    expect(r.length).toBe(5);
    expect(Array.from({ length: 5 }, (_, i) => r.timeAt(i))).toEqual([7000, 8000, 9000, 10_000, 11_000]);
    expect(r.tail('a')).toEqual([7, 8, 9, 10, 11]);
    expect(r.tail('b').map((v) => (Number.isNaN(v) ? 'gap' : v))).toEqual([70, 80, 90, 100, 'gap']);
    r.push(12_000, { a: 12, b: 120 });
    expect(r.tail('a')).toEqual([8, 9, 10, 11, 12]);
    // Into an empty ring: the rows as given, a key without a column as gaps.
    const e = new Ring(3, ['a', 'b'] as const);
    e.prepend([1, 2], { a: [1, 2] });
    expect(e.tail('a')).toEqual([1, 2]);
    expect(e.tail('b').every(Number.isNaN)).toBe(true);
  });

  it('cuts rings from shared buffers, apart from each other, and reuses one given back empty', () => {
    const pool = new RingPool(3, ['a', 'b'] as const);
    const rings = Array.from({ length: 70 }, () => pool.take());
    rings.forEach((r, i) => r.push(i, { a: i, b: -i }));
    rings.forEach((r, i) => expect([r.timeAt(0), ...r.tail('a'), ...r.tail('b')]).toEqual([i, i, -i]));
    pool.give(rings[5]!);
    const again = pool.take();
    expect(again).toBe(rings[5]);
    expect(again.length).toBe(0);
  });

  it('rejects a capacity that cannot hold a rate', () => {
    expect(() => new Ring(1, ['a'] as const)).toThrow(RangeError);
  });
});

const figures = (cores: number, cpu: number, total: number, used: number): NodeFigures => ({
  ...EMPTY_FIGURES,
  cpu: { cores, usagePercent: cpu, perCoreUsagePercent: null },
  memory: { totalBytes: total, usedBytes: used, availableBytes: total - used, usedPercent: (100 * used) / total },
  network: { receiveBytesPerSecond: 10, transmitBytesPerSecond: 20 },
});

describe('ClusterStore', () => {
  it('records, marks down with a gap, and weights cluster CPU by cores', () => {
    const store = new ClusterStore(10);
    let notified = 0;
    store.subscribe(() => notified++);
    store.upsert({ id: 'a', name: 'a', target: 'http://a:9100/metrics' });
    store.upsert({ id: 'b', name: 'b', target: 'http://b:9100/metrics' });
    const up = { ...UNKNOWN_HEALTH, up: true };
    store.record('a', 1000, { name: 'node-a', source: 'node_exporter', figures: figures(2, 100, 1000, 500), health: up });
    store.record('b', 1000, { name: 'node-b', source: 'node_exporter', figures: figures(6, 0, 3000, 0), health: up });
    const t = clusterTotals(store.nodes());
    expect(t.cpuPercent).toBe(25); // 2 busy cores of 8
    expect(t.memoryPercent).toBe(12.5);
    expect(t.rxBytesPerSecond).toBe(20);
    store.recordDown('b', 2000, { ...UNKNOWN_HEALTH, lastError: 'connection refused' });
    expect(store.get('b')?.figures).toBe(EMPTY_FIGURES);
    expect(Number.isNaN(store.get('b')!.history.valueAt('cpu', 1))).toBe(true);
    expect(clusterTotals(store.nodes())).toMatchObject({ up: 1, total: 2, cpuPercent: 100 });
    store.appendClusterPoint(2000);
    expect(store.cluster.tail('up')).toEqual([1]);
    store.remove('a');
    expect(store.nodes().map((n) => n.id)).toEqual(['b']);
    expect(notified).toBeGreaterThanOrEqual(7);
    expect(store.bytesPerNode()).toBe(10 * 8 + 7 * 10 * 4);
  });

  it('takes a first look without a history row when told so', () => {
    const store = new ClusterStore(10);
    store.upsert({ id: 'a', name: 'a', target: 'http://a:9100/metrics' });
    const up = { ...UNKNOWN_HEALTH, up: true };
    store.record('a', 1000, { name: 'node-a', source: 'prometheus', figures: figures(2, 100, 1000, 500), health: up }, false);
    expect(store.get('a')?.figures.memory?.usedPercent).toBe(50);
    expect(store.get('a')?.history.length).toBe(0);
    store.recordDown('a', 1000, { ...UNKNOWN_HEALTH, lastError: 'down' }, false);
    expect(store.get('a')?.health.up).toBe(false);
    expect(store.get('a')?.history.length).toBe(0);
    store.record('a', 2000, { name: 'node-a', source: 'prometheus', figures: figures(2, 100, 1000, 500), health: up });
    expect(store.get('a')?.history.length).toBe(1);
  });
});
