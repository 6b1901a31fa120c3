import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { parseColumn } from '../../src/expr/column.js';
import { ColumnSet, TargetSeries } from '../../src/metrics/target-series.js';

/** One target with these columns; `scrape` feeds a payload at a time and returns the readings. */
function target(...specs: string[]) {
  const set = new ColumnSet(specs.map(parseColumn));
  const series = new TargetSeries(set);
  return {
    set,
    scrape(text: string, atMs: number) {
      const parsed = parseExposition(text, { families: set.nodeFamilies });
      return series.update(parsed, atMs).columns;
    },
  };
}

const requests = (ok: number, errors: number, extra = '') => `# TYPE http_requests_total counter
http_requests_total{code="200",method="GET"} ${ok}${extra}
http_requests_total{code="500",method="GET"} ${errors}${extra}
`;

describe('columns over scrapes', () => {
  it('has no rate after one scrape, then the increase per second over the interval', () => {
    const t = target('rps=rate(http_requests_total)');
    expect(t.scrape(requests(100, 10), 0).rps?.value).toBeNull();
    // (+20 + +4) over 2 s
    expect(t.scrape(requests(120, 14), 2000).rps?.value).toBeCloseTo(12, 9);
  });

  it('uses the samples\' own timestamps when they have them', () => {
    const t = target('rps=rate(http_requests_total)');
    t.scrape(requests(100, 0, ' 1000'), 50_000);
    // 40 more over the 4 s between the timestamps, whatever the scrape times say
    expect(t.scrape(requests(140, 0, ' 5000'), 50_500).rps?.value).toBeCloseTo(10, 9);
    // A timestamp that did not move keeps the last rate: no false zero.
    expect(t.scrape(requests(140, 0, ' 5000'), 51_000).rps?.value).toBeCloseTo(10, 9);
  });

  it('counts a counter that went down as reset: its increase is its new value', () => {
    const t = target('rps=rate(http_requests_total{code="200"})');
    t.scrape(requests(1000, 0), 0);
    expect(t.scrape(requests(30, 0), 1000).rps?.value).toBeCloseTo(30, 9);
  });

  it('filters by matchers, an absent label reading as ""', () => {
    const t = target('errors=rate(http_requests_total{code=~"5.."})', 'nopath=rate(http_requests_total{path=""})', 'none=rate(http_requests_total{code!~".*"})');
    t.scrape(requests(100, 10), 0);
    const r = t.scrape(requests(110, 16), 1000);
    expect(r.errors?.value).toBeCloseTo(6, 9);
    expect(r.nopath?.value).toBeCloseTo(16, 9);
    expect(r.none).toEqual({ value: null, parts: [], partCount: 0 });
  });

  it('sums a result of many series for the table and keeps them, labelled, for the detail', () => {
    const t = target('by_code=sum by (code) (rate(http_requests_total))', 'total=sum(rate(http_requests_total))');
    t.scrape(requests(100, 10), 0);
    const r = t.scrape(requests(110, 16), 1000);
    expect(r.by_code).toEqual({
      value: 16,
      parts: [
        { labels: 'code=200', value: 10 },
        { labels: 'code=500', value: 6 },
      ],
      partCount: 2,
    });
    expect(r.total).toEqual({ value: 16, parts: [], partCount: 0 });
  });

  it('computes ratios and scales, matching series on their labels', () => {
    const t = target(
      'err_pct=100 * sum(rate(http_requests_total{code="500"})) / sum(rate(http_requests_total))',
      'per_series=rate(http_requests_total) / rate(http_requests_total)',
      'zero=sum(rate(http_requests_total)) / 0',
    );
    t.scrape(requests(100, 10), 0);
    const r = t.scrape(requests(130, 20), 1000);
    expect(r.err_pct?.value).toBeCloseTo(25, 9);
    expect(r.per_series?.value).toBeCloseTo(2, 9); // 1 + 1: two series matched one to one
    expect(r.zero?.value).toBeNull(); // x / 0 is not finite: no value
  });

  it('reads gauges as they are, and aggregates with avg, min, max and count', () => {
    const gauges = `# TYPE queue_depth gauge
queue_depth{queue="a"} 4
queue_depth{queue="b"} 10
queue_depth{queue="c"} 1
`;
    const t = target('depth=queue_depth', 'avg=avg(queue_depth)', 'min=min(queue_depth)', 'max=max(queue_depth)', 'n=count(queue_depth)', 'neg=-queue_depth{queue="a"} + 1');
    const r = t.scrape(gauges, 0);
    expect([r.depth?.value, r.avg?.value, r.min?.value, r.max?.value, r.n?.value, r.neg?.value]).toEqual([15, 5, 1, 10, 3, -3]);
    expect(r.depth?.partCount).toBe(3);
  });

  it('estimates histogram_quantile from the buckets\' rates, over every series of the histogram', () => {
    const histogram = (n: number) => `# TYPE lat_seconds histogram
lat_seconds_bucket{handler="a",le="0.1"} ${10 * n}
lat_seconds_bucket{handler="a",le="1"} ${18 * n}
lat_seconds_bucket{handler="a",le="+Inf"} ${20 * n}
lat_seconds_bucket{handler="b",le="0.1"} ${0}
lat_seconds_bucket{handler="b",le="1"} ${0}
lat_seconds_bucket{handler="b",le="+Inf"} ${0}
lat_seconds_count{handler="a"} ${20 * n}
lat_seconds_sum{handler="a"} ${3 * n}
`;
    const t = target('p50=histogram_quantile(0.5, lat_seconds)', 'p99=histogram_quantile(0.99, lat_seconds_bucket{handler="a"})');
    expect(t.scrape(histogram(1), 0).p50?.value).toBeNull(); // no rates before a second scrape
    // Increases over 1 s: 0.1: 10, 1: 18, +Inf: 20 — the cumulative counts of the first scrape do not count.
    const r = t.scrape(histogram(2), 1000);
    expect(r.p50?.value).toBeCloseTo(0.1, 9);
    expect(r.p99?.value).toBeCloseTo(1, 9); // rank 19.8 is in +Inf: the second-highest bound
    // Nothing observed in the interval: no estimate, as Prometheus gives NaN.
    expect(t.scrape(histogram(2), 2000).p50?.value).toBeNull();
  });

  it('adds the columns\' sample names to the node filter, and keeps the node Set when there are none', async () => {
    const { NODE_EXPORTER_FAMILIES } = await import('../../src/metrics/node-exporter.js');
    const { NODE_VIEW_FAMILIES } = await import('../../src/metrics/target-series.js');
    // One Set for every run without columns: the node families, and the agent's container and process families.
    expect(new ColumnSet([]).nodeFamilies).toBe(NODE_VIEW_FAMILIES);
    for (const name of NODE_EXPORTER_FAMILIES) expect(NODE_VIEW_FAMILIES.has(name)).toBe(true);
    expect(NODE_VIEW_FAMILIES.has('container_cpu_usage_seconds')).toBe(true);
    expect(NODE_VIEW_FAMILIES.has('cluster_top_process_cpu_seconds')).toBe(true);
    expect(NODE_VIEW_FAMILIES.has('DCGM_FI_DEV_GPU_UTIL')).toBe(true);
    const set = target('ctx=rate(node_context_switches_total)', 'p=histogram_quantile(0.5, h)').set;
    expect(set.nodeFamilies.has('node_cpu_seconds')).toBe(true);
    expect(set.nodeFamilies.has('node_context_switches_total')).toBe(true);
    expect(set.nodeFamilies.has('h_bucket')).toBe(true);
  });
});
