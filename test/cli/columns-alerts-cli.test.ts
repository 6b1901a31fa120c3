import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { serve, type Endpoint } from '../helpers/http-endpoints.js';
import { freePort } from '../helpers/node-exporter.js';
import type { Snapshot } from '../../src/cli/snapshot.js';

const NODE_PAYLOAD = readFileSync(new URL('../fixtures/node-exporter.prom', import.meta.url), 'utf8');

/** An app's metrics after `n` requests: 10 requests (one a 500) and their latencies per scrape. */
function appPayload(n: number): string {
  return `# TYPE http_requests_total counter
http_requests_total{code="200"} ${9 * n}
http_requests_total{code="500"} ${n}
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} ${5 * n}
http_request_duration_seconds_bucket{le="0.5"} ${9 * n}
http_request_duration_seconds_bucket{le="1"} ${10 * n}
http_request_duration_seconds_bucket{le="+Inf"} ${10 * n}
http_request_duration_seconds_sum ${2 * n}
http_request_duration_seconds_count ${10 * n}
`;
}

const COLUMNS = [
  '--column', 'rps=rate(http_requests_total)',
  '--column', 'p90=histogram_quantile(0.9, http_request_duration_seconds)',
  '--column', 'err_pct=100 * sum(rate(http_requests_total{code=~"5.."})) / sum(rate(http_requests_total))',
  '--column', 'ctx=rate(node_context_switches_total)',
  '--column', 'procs=node_procs_running',
];

describe('command line: --column and alerts in a snapshot', () => {
  let app: Endpoint;
  let node: Endpoint;
  let closedPort: number;

  beforeAll(async () => {
    let appScrapes = 0;
    app = await serve((_req, res) => res.end(appPayload(++appScrapes)));
    let nodeScrapes = 0;
    // The context switch counter moves between scrapes; everything else in the fixture stands still.
    node = await serve((_req, res) => res.end(NODE_PAYLOAD.replace('node_context_switches_total 510996', `node_context_switches_total ${510_996 + 1000 * ++nodeScrapes}`)));
    closedPort = await freePort();
  });
  afterAll(async () => {
    await app?.close();
    await node?.close();
  });

  it('gives every node its columns in the JSON, for app and node_exporter targets alike', async () => {
    const r = await runCli(['--once', '-o', 'json', '-i', '300ms', ...COLUMNS, '--no-alert', 'down', app.url, node.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as Snapshot;
    const [appNode, nodeNode] = snap.nodes;
    expect(appNode).toMatchObject({ source: 'app', up: true, cpu: null });
    expect(Object.keys(appNode!.columns)).toEqual(['rps', 'p90', 'err_pct', 'ctx', 'procs']);
    expect(appNode!.columns.rps).toBeGreaterThan(0);
    // Bucket increases 5, 9, 10, 10 per scrape: rank 9 ends exactly at 0.5.
    expect(appNode!.columns.p90).toBeCloseTo(0.5, 6);
    expect(appNode!.columns.err_pct).toBeCloseTo(10, 6);
    expect(appNode!.columns.ctx).toBeNull();
    // node_ families a column names are kept by the node_exporter target's parser filter.
    expect(nodeNode).toMatchObject({ source: 'node_exporter', up: true });
    expect(nodeNode!.columns.ctx).toBeGreaterThan(0);
    expect(nodeNode!.columns.procs).toBe(2);
    expect(nodeNode!.columns.rps).toBeNull();
    expect(snap.alerts).toEqual([]);
  });

  it('reports alerts (for is left out in a snapshot) and exits 3 with --fail-on-alert', async () => {
    const base = ['--once', '-o', 'json', '-i', '300ms', '--column', 'rps=rate(http_requests_total)'];
    const args = [...base, '--alert', 'rps>0.5 for 10m', app.url, `127.0.0.1:${closedPort}`];
    const plain = await runCli(args);
    expect(plain.code).toBe(0);
    const snap = JSON.parse(plain.stdout) as Snapshot;
    expect(snap.alerts).toHaveLength(2);
    const down = snap.alerts.find((a) => a.name === 'down');
    const rps = snap.alerts.find((a) => a.name === 'rps');
    expect(down).toMatchObject({ node: '127.0.0.1', target: `http://127.0.0.1:${closedPort}/metrics`, value: 1, state: 'firing', rule: 'down>0 for 30s', since: snap.collectedAt });
    expect(rps).toMatchObject({ node: '127.0.0.1', target: app.url, state: 'firing', rule: 'rps>0.5 for 10m' });
    expect(rps!.value).toBeGreaterThan(0.5);

    const failing = await runCli([...args, '--fail-on-alert']);
    expect(failing.code).toBe(3);
    const quiet = await runCli([...base, '--alert', 'rps>1e9', '--no-alert', 'down', '--fail-on-alert', app.url, `127.0.0.1:${closedPort}`]);
    expect(quiet.code).toBe(0);
    expect((JSON.parse(quiet.stdout) as Snapshot).alerts).toEqual([]);
  });

  it('shows the columns and the alerts in the table', async () => {
    const r = await runCli(['--once', '-i', '300ms', '--column', 'err_pct=100 * sum(rate(http_requests_total{code="500"})) / sum(rate(http_requests_total))', '--alert', 'err_pct>=5', app.url]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/\bUPTIME\s+ERR_PCT$/);
    expect(lines[1]).toMatch(/\s10$/);
    expect(r.stdout).toContain('ALERT firing err_pct on 127.0.0.1: 10 (err_pct>=5)');
  });

  it.each([
    ["p99=histogram_quantile(0.99 http_x)", `cluster-top: --column 'p99=histogram_quantile(0.99 http_x)': expected "," at character 29`],
    ['rps=rate(x[5m])', `cluster-top: --column 'rps=rate(x[5m])': no range selectors: rate() is over the last scrape interval at character 11`],
    ['cpu=rate(x)', `cluster-top: --column 'cpu=rate(x)': "cpu" is a built-in column`],
  ])('a bad --column %j is a usage error naming the character', async (spec, message) => {
    const r = await runCli(['--once', '--column', spec, app.url]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(message);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['--alert', 'cpu>'], /--alert 'cpu>': expected "<column><op><number>/],
    [['--alert', 'rps>1'], /--alert on "rps": no such column/],
    [['--no-alert', 'rps'], /no built-in alert "rps" to turn off/],
    [['--column', 'x=up', '--prometheus', 'http://127.0.0.1:9'], /^cluster-top: --column needs scraped targets: /],
  ])('%j is a usage error', async (args, message) => {
    const r = await runCli(['--once', ...args, ...(args.includes('--prometheus') ? [] : [app.url])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
