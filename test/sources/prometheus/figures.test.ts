import { describe, expect, it } from 'vitest';
import { EMPTY_FIGURES } from '../../../src/metrics/node-figures.js';
import { UNKNOWN_HEALTH } from '../../../src/scrape/types.js';
import type { InstantSample } from '../../../src/sources/prometheus/decode.js';
import { RefreshIndex, StaticIndex, type RefreshResults, type StaticResults } from '../../../src/sources/prometheus/figures.js';
import { NodeBook } from '../../../src/sources/prometheus/nodes.js';

const A = { job: 'node', instance: 'a:9100' };
const KEY = A;
const s = (labels: Record<string, string>, value: number): InstantSample => ({ labels: { ...A, ...labels }, value });
const gauge = (name: string, value: number) => s({ __name__: name }, value);
const AT = 1_700_000_000_000;

function fullResults(): RefreshResults {
  return {
    health: [gauge('up', 1), gauge('scrape_duration_seconds', 0.012), gauge('scrape_samples_scraped', 1234)],
    // CPU seconds per second by core: busy shares 0.5, 1 and 0.1; the node's is 1.6 / 3.
    cpuIdle: [s({ cpu: '10' }, 0.5), s({ cpu: '2' }, 0), s({ cpu: '1' }, 0.9)],
    cpuOther: [s({ cpu: '1' }, 0.1), s({ cpu: '10' }, 0.5), s({ cpu: '2' }, 1)],
    gauges: [gauge('node_load1', 0.5), gauge('node_load5', 0.4), gauge('node_load15', 0.3), gauge('node_memory_MemAvailable_bytes', 750), gauge('node_memory_SwapFree_bytes', 40), gauge('node_time_seconds', 1_700_000_100.5)],
    filesystem: [s({ __name__: 'node_filesystem_avail_bytes', device: 'overlay' }, 1), s({ __name__: 'node_filesystem_avail_bytes', device: '/dev/sda1' }, 200)],
    rx: [s({}, 1000.12345)],
    tx: [s({}, 10)],
    read: [s({}, 5)],
    written: [s({}, 6)],
  };
}

function staticResults(): StaticResults {
  return {
    uname: [s({ __name__: 'node_uname_info', nodename: 'alpha' }, 1)],
    cores: [s({}, 3)],
    staticGauges: [gauge('node_memory_MemTotal_bytes', 1000), gauge('node_memory_SwapTotal_bytes', 100), gauge('node_boot_time_seconds', 1_700_000_000)],
    filesystemSize: [s({ __name__: 'node_filesystem_size_bytes', device: '/dev/sda1' }, 500)],
  };
}

const STATICS = new StaticIndex(staticResults());

describe('figures from query results', () => {
  it('derives every group as the scrape path does', () => {
    const f = new RefreshIndex(fullResults(), STATICS, AT).figures(KEY);
    expect(f).toEqual({
      cpu: { cores: 3, usagePercent: 53.333, perCoreUsagePercent: [10, 100, 50] },
      load: { load1: 0.5, load5: 0.4, load15: 0.3 },
      memory: { totalBytes: 1000, usedBytes: 250, availableBytes: 750, usedPercent: 25 },
      swap: { totalBytes: 100, usedBytes: 60 },
      network: { receiveBytesPerSecond: 1000.123, transmitBytesPerSecond: 10 },
      disk: { readBytesPerSecond: 5, writtenBytesPerSecond: 6 },
      filesystem: { sizeBytes: 500, usedBytes: 300 },
      uptimeSeconds: 100.5,
    });
  });

  it('gives null groups for missing series, failed queries and NaN', () => {
    const r = fullResults();
    // Before two samples no CPU series has a rate.
    r.cpuIdle = [];
    r.cpuOther = [];
    delete r.rx;
    delete r.filesystem;
    r.gauges = r.gauges!.filter((g) => !['node_load15', 'node_memory_SwapFree_bytes', 'node_time_seconds'].includes(g.labels.__name__ ?? ''));
    r.read = [];
    r.written = [];
    const f = new RefreshIndex(r, STATICS, AT).figures(KEY);
    expect(f.cpu).toEqual({ cores: 3, usagePercent: null, perCoreUsagePercent: [null, null, null] });
    expect(f.load).toBeNull();
    expect(f.swap).toBeNull();
    expect(f.network).toEqual({ receiveBytesPerSecond: 0, transmitBytesPerSecond: 10 });
    expect(f.disk).toBeNull();
    expect(f.filesystem).toBeNull();
    // No node_time_seconds: the query's own time stands in, as the scrape time does when scraping.
    expect(f.uptimeSeconds).toBe(AT / 1000 - 1_700_000_000);
    expect(new RefreshIndex({}, new StaticIndex({}), AT).figures({ job: 'node', instance: 'other' })).toEqual(EMPTY_FIGURES);
  });

  it('joins the static figures kept from an earlier answer with this refresh\'s', () => {
    // No static answer for the node (it appeared since): sizes, cores and uptime wait for one.
    const f = new RefreshIndex(fullResults(), new StaticIndex({}), AT).figures(KEY);
    expect(f.memory).toBeNull();
    expect(f.swap).toBeNull();
    expect(f.filesystem).toBeNull();
    expect(f.uptimeSeconds).toBeNull();
    expect(f.cpu).toEqual({ cores: 3, usagePercent: 53.333, perCoreUsagePercent: [10, 100, 50] });
    expect(f.load).toEqual({ load1: 0.5, load5: 0.4, load15: 0.3 });
    expect(STATICS.fleetCores).toBe(3);
    expect(new StaticIndex({}).fleetCores).toBeUndefined();
  });

  it('sums CPU halves asked per node, with no per-core figures', () => {
    const r = fullResults();
    r.cpuIdle = [s({}, 3)];
    r.cpuOther = [s({}, 1)];
    expect(new RefreshIndex(r, STATICS, AT, false).figures(KEY).cpu).toEqual({ cores: 3, usagePercent: 25, perCoreUsagePercent: null });
    // One half missing (its query failed): no figure rather than a wrong one.
    delete r.cpuOther;
    expect(new RefreshIndex(r, STATICS, AT, false).figures(KEY).cpu).toEqual({ cores: 3, usagePercent: null, perCoreUsagePercent: null });
  });

  it('reads health from up and the scrape series', () => {
    const index = new RefreshIndex(fullResults(), STATICS, AT);
    expect(index.health(KEY, UNKNOWN_HEALTH)).toEqual({
      ...UNKNOWN_HEALTH,
      up: true,
      lastSuccessMs: AT,
      lastScrapeMs: AT,
      lastDurationMs: 12,
      lastSamples: 1234,
    });
    const down = new RefreshIndex({ health: [gauge('up', 0), gauge('scrape_duration_seconds', 0.5)] }, STATICS, AT + 1000);
    const previous = index.health(KEY, UNKNOWN_HEALTH);
    expect(down.health(KEY, previous)).toEqual({
      ...previous,
      up: false,
      lastScrapeMs: AT + 1000,
      lastDurationMs: 500,
      lastError: 'down in Prometheus (up is 0)',
      consecutiveFailures: 1,
    });
  });
});

describe('which series are nodes', () => {
  const up = (job: string, instance: string, value = 1) => ({ labels: { __name__: 'up', job, instance }, value });
  const uname = (job: string, instance: string, nodename: string) => ({ labels: { __name__: 'node_uname_info', job, instance, nodename }, value: 1 });

  it('lists the targets of node jobs, down ones too, and leaves other jobs out', () => {
    const book = new NodeBook();
    book.learn([uname('node', 'a:9100', 'alpha')]);
    const refs = book.nodes([up('node', 'a:9100'), up('node', 'b:9100', 0), up('prometheus', 'localhost:9090')], [uname('node', 'a:9100', 'alpha')]);
    expect(refs.map((r) => [r.id, book.name(r)])).toEqual([
      ['a:9100', 'alpha'],
      ['b:9100', 'b:9100'],
    ]);
  });

  it('keeps a name learnt earlier (from the inventory) while the node is down', () => {
    const book = new NodeBook();
    book.learn([uname('node', 'b:9100', 'beta')]);
    const [ref] = book.nodes([up('node', 'b:9100', 0)], []);
    expect(ref && book.name(ref)).toBe('beta');
  });

  it('adds the job to the id only when one instance is scraped by several node jobs', () => {
    const book = new NodeBook();
    const unames = [uname('node', 'a:9100', 'alpha'), uname('node-fast', 'a:9100', 'alpha'), uname('node', 'b:9100', 'beta')];
    book.learn(unames);
    const refs = book.nodes([], unames);
    expect(refs.map((r) => r.id)).toEqual(['a:9100 job=node', 'a:9100 job=node-fast', 'b:9100']);
  });

  it('sorts ids with numbers in numeric order', () => {
    const book = new NodeBook();
    const unames = ['node10:9100', 'node9:9100', 'node1:9100'].map((i) => uname('n', i, i));
    book.learn(unames);
    expect(book.nodes([], unames).map((r) => r.id)).toEqual(['node1:9100', 'node9:9100', 'node10:9100']);
  });
});
