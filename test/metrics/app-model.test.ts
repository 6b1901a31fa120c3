import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import type { ExpositionFormat } from '../../src/exposition/types.js';
import { APP_SERIES_CAP, type AppView } from '../../src/metrics/app-model.js';
import { ColumnSet, TargetSeries } from '../../src/metrics/target-series.js';

function appTarget() {
  const series = new TargetSeries(new ColumnSet([]));
  expect(series.decide('app')).toBe(true); // the node-filtered first parse must be redone in full
  expect(series.families).toBeUndefined();
  return (text: string, atMs: number, format: ExpositionFormat = 'prometheus'): AppView => {
    const parsed = parseExposition(text, { format });
    const view = series.update(parsed, atMs).app;
    if (!view) throw new Error('no app view');
    return view;
  };
}

const payload = (n: number) => `# TYPE http_requests_total counter
http_requests_total{code="200",method="GET"} ${100 + 20 * n}
http_requests_total{code="500",method="GET"} ${5 + 2 * n}
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} ${10 * n}
http_request_duration_seconds_bucket{le="0.5"} ${18 * n}
http_request_duration_seconds_bucket{le="1"} ${20 * n}
http_request_duration_seconds_bucket{le="+Inf"} ${20 * n}
http_request_duration_seconds_sum ${5 * n}
http_request_duration_seconds_count ${20 * n}
# TYPE rpc_seconds summary
rpc_seconds{service="a",quantile="0.5"} 0.05
rpc_seconds{service="a",quantile="0.99"} 0.3
rpc_seconds_sum{service="a"} 10
rpc_seconds_count{service="a"} ${4 * n}
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 45000000
build_info{version="1.2.3"} 1
`;

describe('the app target model', () => {
  it('shows counters as rates, gauges as values, histograms as p50/p90/p99 and summaries as their quantiles', () => {
    const scrape = appTarget();
    const first = scrape(payload(1), 0);
    expect(first.families.map((f) => [f.name, f.type])).toEqual([
      ['http_requests_total', 'counter'],
      ['http_request_duration_seconds', 'histogram'],
      ['rpc_seconds', 'summary'],
      ['process_resident_memory_bytes', 'gauge'],
      ['build_info', 'untyped'],
    ]);
    expect(first.families[0]?.series[0]).toEqual({ labels: 'code=200 method=GET', value: null }); // no rate yet
    const view = scrape(payload(2), 2000);
    expect(view.samples).toBe(14);
    expect(view.capped).toBe(false);
    const [requests, latency, rpc, memory, info] = view.families;
    expect(requests?.series).toEqual([
      { labels: 'code=200 method=GET', value: 10 },
      { labels: 'code=500 method=GET', value: 1 },
    ]);
    // Bucket increases over 2 s: 10, 18, 20, 20 — as in the hand-checked histogram test.
    expect(latency?.series).toHaveLength(1);
    const quantiles = latency?.series[0]?.quantiles ?? [];
    expect(quantiles.map(([q]) => q)).toEqual([0.5, 0.9, 0.99]);
    expect(quantiles[0]?.[1]).toBeCloseTo(0.1, 9);
    expect(quantiles[1]?.[1]).toBeCloseTo(0.5, 9);
    expect(quantiles[2]?.[1]).toBeCloseTo(0.95, 9);
    expect(latency?.series[0]?.value).toBeCloseTo(10, 9); // observations per second, from _count
    expect(rpc?.series).toEqual([{ labels: 'service=a', value: 2, quantiles: [[0.5, 0.05], [0.99, 0.3]] }]);
    expect(memory?.series).toEqual([{ labels: '', value: 45_000_000 }]);
    expect(info?.series).toEqual([{ labels: 'version=1.2.3', value: 1 }]);
  });

  it('reads OpenMetrics families, whose counter samples carry _total and _created', () => {
    const scrape = appTarget();
    const om = (n: number) => `# TYPE jobs counter
jobs_total{queue="a"} ${n}
jobs_created{queue="a"} 1700000000
# EOF
`;
    scrape(om(10), 0, 'openmetrics');
    const view = scrape(om(15), 1000, 'openmetrics');
    expect(view.families).toEqual([{ name: 'jobs', type: 'counter', series: [{ labels: 'queue=a', value: 5 }] }]);
  });

  it(`models the first ${APP_SERIES_CAP} series of a payload and says it left the rest out`, () => {
    const scrape = appTarget();
    const lines = Array.from({ length: APP_SERIES_CAP + 500 }, (_, i) => `things{id="${i}"} ${i}`);
    const view = scrape(`# TYPE things gauge\n${lines.join('\n')}\n`, 0);
    expect(view.samples).toBe(APP_SERIES_CAP + 500);
    expect(view.capped).toBe(true);
    expect(view.families[0]?.series).toHaveLength(APP_SERIES_CAP);
  });

  it('stays a node_exporter target once decided so, with no app model', () => {
    const series = new TargetSeries(new ColumnSet([]));
    expect(series.decide('node_exporter')).toBe(false);
    expect(series.decide('app')).toBe(false); // decided at the first scrape, for good
    expect(series.isApp).toBe(false);
    const parsed = parseExposition(payload(1));
    expect(series.update(parsed, 0)).toEqual({ columns: {}, app: null });
  });
});
