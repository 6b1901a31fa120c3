import { describe, expect, it } from 'vitest';
import { detailCharts } from '../../src/ui/render/detail-charts.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { lineText } from '../../src/ui/render/segments.js';
import { makeFigures, NOW, upHealth } from './fixtures.js';

describe('byte units', () => {
  it('an all-zero network chart has distinct axis labels, not 1B 1B 1B 0B', () => {
    const store = new ClusterStore(30);
    store.upsert({ id: 'a', name: 'a', target: 'http://a:9100/metrics' });
    for (let i = 0; i < 20; i++) store.record('a', NOW + i * 1000, { name: 'a', source: 'node_exporter', figures: makeFigures({ cpu: 1, mem: 1, rx: 0, tx: 0, read: 0, written: 0 }), health: upHealth(NOW + i * 1000) });
    const node = store.get('a');
    if (!node) throw new Error('no node');
    const lines = detailCharts(node, 100, 20).map(lineText);
    const network = lines.findIndex((l) => l.includes('Network'));
    const labels = lines.slice(network + 1, network + 6).map((l) => l.slice(0, 49).trim().split(/[┤╶]/)[0]?.trim()).filter((l) => l);
    expect(labels.length).toBeGreaterThan(2);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).not.toContain('1B');
  });
});
