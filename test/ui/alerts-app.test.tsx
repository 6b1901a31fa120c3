import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { chooseColumns } from '../../src/ui/model/columns.js';
import { AlertMonitor } from '../../src/alerts/monitor.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { parseColumn } from '../../src/expr/column.js';
import { EMPTY_FIGURES } from '../../src/metrics/node-figures.js';
import { ColumnSet, TargetSeries } from '../../src/metrics/target-series.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { frameLines, makeFigures, NOW, tick, upHealth, type } from './fixtures.js';
import { renderSized } from './terminal.js';
import { appDetailLines } from '../../src/ui/render/app-detail.js';
import { lineText } from '../../src/ui/render/segments.js';
import { APP_SERIES_CAP } from '../../src/metrics/app-model.js';

afterEach(() => cleanup());

const ESC = '\u001B';

/** Many families, so the detail's list is longer than the screen. */
function appPayload(n: number): string {
  const gauges = Array.from({ length: 30 }, (_, i) => `# TYPE pool_${String(i).padStart(2, '0')}_size gauge\npool_${String(i).padStart(2, '0')}_size ${i}`);
  return `# TYPE http_requests_total counter
http_requests_total{code="200"} ${100 * n}
http_requests_total{code="500"} ${10 * n}
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} ${10 * n}
http_request_duration_seconds_bucket{le="0.5"} ${18 * n}
http_request_duration_seconds_bucket{le="+Inf"} ${20 * n}
http_request_duration_seconds_count ${20 * n}
${gauges.join('\n')}
`;
}

/** Two node_exporter nodes and an app target, scraped three times a second apart, with an `rps` column. */
function buildStore(): ClusterStore {
  const store = new ClusterStore(60, ['rps']);
  store.upsert({ id: 'alpha', name: 'alpha', target: 'http://alpha:9100/metrics' });
  store.upsert({ id: 'charlie', name: 'charlie', target: 'http://charlie:9100/metrics' });
  store.upsert({ id: 'api', name: 'api', target: 'http://api:8080/metrics' });
  const series = new TargetSeries(new ColumnSet([parseColumn('rps=rate(http_requests_total)')]));
  series.decide('app');
  for (let i = 0; i < 3; i++) {
    const at = NOW - (2 - i) * 1000;
    const parsed = parseExposition(appPayload(i + 1));
    store.record('api', at, { name: 'api', source: 'app', figures: EMPTY_FIGURES, health: upHealth(at, { lastSamples: parsed.sampleLines }), ...series.update(parsed, at) });
    store.record('alpha', at, { name: 'alpha', source: 'node_exporter', figures: makeFigures({ cpu: 20, mem: 30 }), health: upHealth(at), columns: { rps: { value: 12.5, parts: [], partCount: 0 } } });
    store.record('charlie', at, { name: 'charlie', source: 'node_exporter', figures: makeFigures({ cpu: 95, mem: 50 }), health: upHealth(at) });
  }
  return store;
}

/** cpu > 90 fires after a minute (charlie), memory > 40 is pending for 5 minutes (charlie too). */
function alertsFor(store: ClusterStore): AlertMonitor {
  let now = NOW - 60_000;
  const monitor = new AlertMonitor(
    store,
    [
      { column: 'cpu', op: '>', threshold: 90, forMs: 60_000 },
      { column: 'memory', op: '>', threshold: 40, forMs: 300_000 },
    ],
    () => now,
  );
  monitor.evaluate();
  now = NOW;
  monitor.evaluate();
  return monitor;
}

describe('alerts in the UI', () => {
  it('counts firing alerts in the header, lists them in a panel and marks their rows; `a` hides the panel', async () => {
    const store = buildStore();
    const { lastFrame, stdin, unmount } = renderSized(<App store={store} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} alerts={alertsFor(store)} />, 140, 30);
    await tick();
    const lines = frameLines(lastFrame());
    expect(lines[0]).toContain('1 alert');
    const panelAt = lines.findIndex((l) => l.startsWith('ALERTS'));
    expect(lines[panelAt]).toMatch(/ALERTS\s+1 firing\s+1 pending\s+a hide$/);
    expect(lines[panelAt + 1]).toMatch(/^! cpu\s+charlie\s+95\s+firing 0s\s+cpu>90 for 1m$/);
    expect(lines[panelAt + 2]).toMatch(/^~ memory\s+charlie\s+50\s+pending 1m\s+memory>40 for 5m$/);
    expect(lines.find((l) => l.includes('charlie') && l.includes('%'))).toMatch(/charlie\s+!/);
    expect(lines.find((l) => l.includes('alpha') && l.includes('%'))).not.toContain('!');
    await type(stdin, 'a');
    expect(lastFrame()).not.toContain('ALERTS');
    expect(frameLines(lastFrame())[0]).toContain('1 alert');
    await type(stdin, 'a');
    expect(lastFrame()).toContain('ALERTS');
    unmount();
  });

  it('shows no panel and no count without alerts', async () => {
    const { lastFrame } = render(<App store={buildStore()} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} />);
    await tick();
    expect(lastFrame()).not.toContain('ALERTS');
    expect(lastFrame()).not.toMatch(/\d alerts?\b/);
  });
});

describe('user columns in the table', () => {
  it('come after the built-in columns, and outlast the history, uptime and disk when the terminal narrows', () => {
    const ids = (width: number) => chooseColumns(width, false, ['rps', 'p99_latency']).map((c) => c.user ?? c.id);
    expect(ids(200)).toEqual(['name', 'status', 'cpu', 'spark', 'mem', 'load', 'rx', 'tx', 'read', 'write', 'uptime', 'rps', 'p99_latency']);
    expect(ids(110)).toEqual(['name', 'status', 'cpu', 'mem', 'load', 'rx', 'tx', 'read', 'write', 'uptime', 'rps', 'p99_latency']);
    expect(ids(90)).toEqual(['name', 'status', 'cpu', 'mem', 'load', 'rx', 'tx', 'rps', 'p99_latency']);
    expect(ids(80)).toEqual(['name', 'status', 'cpu', 'mem', 'load', 'rx', 'tx', 'rps']);
    expect(chooseColumns(200, false, ['p99_latency']).at(-1)).toMatchObject({ title: 'P99_LATENCY', width: 11, align: 'right' });
  });

  it('shows each node\'s value, and an app target\'s scrape in place of the node figures', async () => {
    const { lastFrame, unmount } = renderSized(<App store={buildStore()} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} />, 140, 30);
    await tick();
    const lines = frameLines(lastFrame());
    expect(lines.find((l) => l.includes('NODE'))).toMatch(/UPTIME\s+RPS$/);
    expect(lines.find((l) => l.includes('alpha'))).toMatch(/\s12\.5$/);
    // 110 requests a second, from the app's counter; its row tells its scrape instead of node figures.
    expect(lines.find((l) => l.includes('api'))).toMatch(/^.api\s+up\s+app {2}120ms {2}36 series\s+110$/);
    expect(lines.find((l) => l.includes('charlie'))).toMatch(/\s-$/);
    unmount();
  });

  it('are sort keys too: `s` reaches them after the built-in ones, `S` reverses, a node without a value stays last', async () => {
    const { lastFrame, stdin, unmount } = renderSized(<App store={buildStore()} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} />, 140, 30);
    await tick();
    const sortShown = (): string | undefined => frameLines(lastFrame()).find((l) => /sort \S+[▼▲]/.test(l))?.match(/sort \S+[▼▲]/)?.[0];
    const order = (): string[] => frameLines(lastFrame()).filter((l) => /^.(alpha|api|charlie)\s/.test(l)).map((l) => l.slice(1).split(/\s+/)[0] ?? '');
    expect(order()).toEqual(['alpha', 'api', 'charlie']);
    // name, cpu, memory, network, disk, load: the sixth press reaches rps.
    await type(stdin, 's', 's', 's', 's', 's');
    expect(frameLines(lastFrame()).find((l) => l.includes('NODE'))).toMatch(/RPS$/);
    await type(stdin, 's');
    const lines = frameLines(lastFrame());
    expect(lines.find((l) => l.includes('NODE'))).toMatch(/RPS▼$/);
    expect(sortShown()).toBe('sort rps▼');
    expect(order()).toEqual(['api', 'alpha', 'charlie']);
    await type(stdin, 'S');
    expect(order()).toEqual(['alpha', 'api', 'charlie']);
    expect(sortShown()).toBe('sort rps▲');
    // And round again to the name.
    await type(stdin, 's');
    expect(sortShown()).toBe('sort name▲');
    unmount();
  });
});

describe('an app target\'s detail', () => {
  it('lists its families with live figures and scrolls them', async () => {
    const { lastFrame, stdin } = render(<App store={buildStore()} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} />);
    await tick();
    await type(stdin, 'j', '\r'); // alpha, api, charlie by name
    let frame = lastFrame() ?? '';
    expect(frame).toContain('api');
    expect(frame).toMatch(/Metrics\s+32 families\s+36 samples\s+lines 1-\d+ of 34/);
    expect(frame).toMatch(/rps\s+\S*\s+110\s+rps\{code=200\} 100\s+rps\{code=500\} 10/);
    expect(frame).toMatch(/http_requests_total counter {2}2 series/);
    expect(frame).toMatch(/code=200\s+100\/s/);
    expect(frame).toMatch(/http_request_duration_seconds histogram\s+p50 0\.1 {2}p90 0\.5 {2}p99 0\.5 {2}20\/s/);
    expect(frame).toContain('↑↓ scroll');
    expect(frame).not.toContain('pool_29_size');
    await type(stdin, 'j', 'j');
    frame = lastFrame() ?? '';
    expect(frame).toMatch(/lines 3-\d+ of 34/);
    expect(frame).not.toContain('http_requests_total counter');
    await type(stdin, 'G');
    frame = lastFrame() ?? '';
    expect(frame).toMatch(/pool_29_size gauge\s+29/);
    expect(frame).toMatch(/lines \d+-34 of 34/);
    await type(stdin, ESC);
    expect(lastFrame()).toContain('NODE▲');
  });

  it('says when the target has more series than it models', () => {
    const store = new ClusterStore(60);
    store.upsert({ id: 'big', name: 'big', target: 'http://big:8080/metrics' });
    const series = new TargetSeries(new ColumnSet([]));
    series.decide('app');
    const lines = Array.from({ length: APP_SERIES_CAP + 1 }, (_, i) => `things{id="${i}"} ${i}`).join('\n');
    const parsed = parseExposition(`# TYPE things gauge\n${lines}\n`);
    store.record('big', NOW, { name: 'big', source: 'app', figures: EMPTY_FIGURES, health: upHealth(NOW), ...series.update(parsed, NOW) });
    const node = store.get('big')!;
    const text = appDetailLines(node, node.app!, 160, 20, NOW, 0).map(lineText);
    expect(text).toHaveLength(20);
    expect(text.find((l) => l.startsWith('Metrics'))).toMatch(/1 families {2}2001 samples {2}lines 1-\d+ of 2001 {2}only the first 2000 series are shown \(the cap per target\)/);
  });
});
