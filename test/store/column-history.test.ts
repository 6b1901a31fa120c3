import { describe, expect, it } from 'vitest';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { UNKNOWN_HEALTH } from '../../src/scrape/types.js';
import { EMPTY_FIGURES } from '../../src/metrics/node-figures.js';
import { upHealth } from '../ui/fixtures.js';

const reading = (value: number | null) => ({ value, parts: [], partCount: 0 });

describe('the store\'s --column series', () => {
  it('keeps each column\'s history in a fixed ring, with a gap while the node is down', () => {
    const store = new ClusterStore(3, ['rps', 'p99']);
    const node = store.upsert({ id: 'a', name: 'a', target: 'http://a/metrics' });
    const up = (at: number, rps: number) => store.record('a', at, { name: 'a', source: 'app', figures: EMPTY_FIGURES, health: upHealth(at), columns: { rps: reading(rps), p99: reading(null) } });
    up(1000, 1);
    up(2000, 2);
    store.recordDown('a', 3000, { ...UNKNOWN_HEALTH, lastScrapeMs: 3000 });
    expect(node.columns).toEqual({});
    expect(node.columnHistory?.tail('rps')).toEqual([1, 2, NaN]);
    up(4000, 4);
    expect(node.columnHistory?.tail('rps')).toEqual([2, NaN, 4]); // three rows, the oldest gone
    expect(node.columnHistory?.tail('p99')).toEqual([NaN, NaN, NaN]);
    expect(node.columns.rps?.value).toBe(4);
  });

  it('costs nothing without columns, and a float32 per point and column with them', () => {
    const plain = new ClusterStore(100);
    expect(plain.upsert({ id: 'a', name: 'a', target: 'x' }).columnHistory).toBeNull();
    const withColumns = new ClusterStore(100, ['rps', 'p99']);
    expect(withColumns.bytesPerNode() - plain.bytesPerNode()).toBe(100 * 8 + 2 * 100 * 4); // its own time column, and two value columns
  });
});
