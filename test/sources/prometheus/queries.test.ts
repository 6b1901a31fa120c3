import { describe, expect, it } from 'vitest';
import { VIRTUAL_INTERFACE } from '../../../src/metrics/node-exporter.js';
import { backfillEvery, CHART_POINTS, NODE_POINTS_BUDGET } from '../../../src/sources/prometheus/backfill.js';
import { cpuSeconds, inventoryQuery, memoryUsed, promDuration, refreshQueries, scrapeIntervalQuery, staticQueries, virtualInterfaceRegex } from '../../../src/sources/prometheus/queries.js';
import { matchers, parseSelector } from '../../../src/sources/prometheus/selector.js';

describe('--selector', () => {
  it.each([
    ['job="node"', 'job="node"'],
    ['{job="node"}', 'job="node"'],
    [' job =~ "node|k8s" , env!="dev", ', 'job =~ "node|k8s" , env!="dev"'],
    ["zone!~'eu-.*'", "zone!~'eu-.*'"],
    ['path=`C:\\x`', 'path=`C:\\x`'],
    ['name="a \\" quote, and } brace"', 'name="a \\" quote, and } brace"'],
    ['', ''],
    ['{}', ''],
  ])('accepts %j', (text, normalised) => {
    expect(parseSelector(text)).toBe(normalised);
  });

  it.each(['node', 'job=node', 'job="node"}) or vector(1', 'job="node" or up', '1job="x"', 'job=="x"', 'job="x",,env="y"', 'job="unterminated', '"x"="y"'])(
    'rejects %j with a message naming the flag',
    (text) => {
      expect(() => parseSelector(text)).toThrow(/^--selector takes PromQL label matchers/);
    },
  );

  it('joins matchers without empty parts', () => {
    expect(matchers()).toBe('');
    expect(matchers('', '')).toBe('');
    expect(matchers('mode="idle"', '')).toBe('{mode="idle"}');
    expect(matchers('mode="idle"', 'job="node"')).toBe('{mode="idle", job="node"}');
  });
});

describe('queries', () => {
  it('builds the interface rule from the one in node-exporter.ts', () => {
    const re = virtualInterfaceRegex();
    expect(re).toBe(`${VIRTUAL_INTERFACE.source.slice(1)}.*`);
    // PromQL anchors the regex at both ends.
    const anchored = new RegExp(`^(?:${re})$`);
    for (const name of ['eth0', 'ens3', 'bond0', 'wlp2s0', 'enp0s31f6', 'ib0']) {
      expect(anchored.test(name), name).toBe(false);
      expect(VIRTUAL_INTERFACE.test(name), name).toBe(false);
    }
    for (const name of ['lo', 'veth12ab', 'docker0', 'br-1234', 'cni0', 'flannel.1', 'cali9f', 'tun0', 'wg0', 'tailscale0']) {
      expect(anchored.test(name), name).toBe(true);
      expect(VIRTUAL_INTERFACE.test(name), name).toBe(true);
    }
  });

  it('aggregates CPU per node, per core and across the cluster', () => {
    expect(cpuSeconds('idle', 'job="node"', '1m', ['job', 'instance', 'cpu'])).toBe('sum by (job, instance, cpu) (rate(node_cpu_seconds_total{mode=~"idle|iowait|steal", job="node"}[1m]))');
    expect(cpuSeconds('other', '', '1m', ['job', 'instance'])).toBe('sum by (job, instance) (rate(node_cpu_seconds_total{mode!~"idle|iowait|steal"}[1m]))');
    expect(cpuSeconds('idle', '', '4s', [])).toBe('sum (rate(node_cpu_seconds_total{mode=~"idle|iowait|steal"}[4s]))');
    expect(memoryUsed('', [])).toBe('1 - sum (node_memory_MemAvailable_bytes) / sum (node_memory_MemTotal_bytes)');
  });

  it('sends nine queries per refresh and four static ones, the heaviest first, every one carrying the selector', () => {
    const q = refreshQueries('job="node"', '1m');
    const fixed = staticQueries('job="node"');
    expect(Object.keys(q)).toEqual(['cpuOther', 'cpuIdle', 'health', 'gauges', 'filesystem', 'rx', 'tx', 'read', 'written']);
    expect(Object.keys(fixed)).toEqual(['cores', 'uname', 'staticGauges', 'filesystemSize']);
    for (const [name, expr] of [...Object.entries(q), ...Object.entries(fixed)]) {
      const selectors = expr.match(/[a-z_]*\{[^}]*\}/g) ?? [];
      expect(selectors.length, name).toBeGreaterThan(0);
      for (const s of selectors) expect(s, name).toContain('job="node"');
    }
    expect(q.cpuIdle).toBe(cpuSeconds('idle', 'job="node"', '1m', ['job', 'instance']));
    expect(refreshQueries('', '1m', true).cpuOther).toBe(cpuSeconds('other', '', '1m', ['job', 'instance', 'cpu']));
    expect(fixed.uname).toBe('max by (job, instance, nodename) (node_uname_info{job="node"})');
    expect(q.health).toBe('{__name__=~"up|scrape_duration_seconds|scrape_samples_scraped", job="node"}');
    expect(q.gauges).toBe('{__name__=~"node_load1|node_load5|node_load15|node_memory_MemAvailable_bytes|node_memory_SwapFree_bytes|node_time_seconds", job="node"}');
    expect(fixed.staticGauges).toBe('{__name__=~"node_memory_MemTotal_bytes|node_memory_SwapTotal_bytes|node_boot_time_seconds", job="node"}');
    expect(fixed.cores).toBe('count by (job, instance) (node_cpu_seconds_total{mode="idle", job="node"})');
    expect(q.filesystem).toBe('node_filesystem_avail_bytes{mountpoint="/", job="node"}');
    expect(fixed.filesystemSize).toBe('node_filesystem_size_bytes{mountpoint="/", job="node"}');
    expect(q.rx).toBe(`sum by (job, instance) (rate(node_network_receive_bytes_total{device!~"${virtualInterfaceRegex()}", job="node"}[1m]))`);
    expect(q.written).toBe('sum by (job, instance) (rate(node_disk_written_bytes_total{job="node"}[1m]))');
    expect(inventoryQuery('', '10m')).toBe('max by (job, instance, nodename) (last_over_time(node_uname_info[10m]))');
    expect(scrapeIntervalQuery('job="node"')).toBe('max(idelta(node_time_seconds{job="node"}[5m]))');
  });

  it('writes durations in whole milliseconds', () => {
    expect(promDuration(4000)).toBe('4000ms');
    expect(promDuration(4004.0007)).toBe('4005ms');
    expect(promDuration(0)).toBe('1ms');
  });

  it('backfills at the chart width, each node within a budget of points per query', () => {
    // 10 minutes of 2 s refreshes: 299 rows, at most CHART_POINTS points.
    expect(backfillEvery(299, 10)).toEqual({ node: 3, cluster: 3 });
    expect(backfillEvery(9, 1)).toEqual({ node: 1, cluster: 1 });
    // 10,000 nodes: 30 points each (a 20 s step); the cluster's one series keeps the chart width.
    expect(backfillEvery(299, 10_000)).toEqual({ node: 10, cluster: 3 });
    expect(NODE_POINTS_BUDGET / 10_000).toBeLessThanOrEqual(Math.ceil(299 / 10));
    // Never fewer than 10 points per node, whatever the fleet.
    expect(backfillEvery(299, 1_000_000)).toEqual({ node: 30, cluster: 3 });
    expect(CHART_POINTS).toBeGreaterThanOrEqual(100);
  });
});
