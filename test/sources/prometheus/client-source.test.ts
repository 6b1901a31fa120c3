import { afterEach, describe, expect, vi } from 'vitest';
import { it } from '../../helpers/temp-dir.js';
import { makePki } from '../kube/fake-apiserver/pki.js';
import { freePort } from '../../helpers/node-exporter.js';
import { buildSnapshot } from '../../../src/cli/snapshot.js';
import { PrometheusClient, type PrometheusClientOptions } from '../../../src/sources/prometheus/client.js';
import { GPU_QUERIES } from '../../../src/sources/prometheus/gpus.js';
import { PrometheusSource } from '../../../src/sources/prometheus/prometheus-source.js';
import { STATIC_EVERY_MS } from '../../../src/sources/prometheus/statics.js';
import { oneNodeAnswer, startFakePrometheus, type Answer, type FakePrometheus, type RecordedRequest } from './fake-prometheus.js';

let fake: FakePrometheus | undefined;
const sources: PrometheusSource[] = [];

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop()));
  await fake?.close();
  fake = undefined;
});

async function serveFake(answer: (req: RecordedRequest) => Answer | Promise<Answer>): Promise<FakePrometheus> {
  fake = await startFakePrometheus(answer);
  return fake;
}

function source(url: string, client: Partial<PrometheusClientOptions> = {}, historyPoints = 10): PrometheusSource {
  const s = new PrometheusSource({
    client: new PrometheusClient({ baseUrl: new URL(url), timeoutMs: 2000, ...client }),
    displayUrl: url,
    selector: '',
    intervalMs: 1000,
    historyPoints,
  });
  sources.push(s);
  return s;
}

const apiError = (status: number, errorType: string, error: string): Answer => ({ status, body: JSON.stringify({ status: 'error', errorType, error }) });

describe('the API client', () => {
  it('POSTs a form to the path prefix, with basic auth and the extra headers', async () => {
    const f = await serveFake(oneNodeAnswer);
    const client = new PrometheusClient({
      baseUrl: new URL(`${f.url}/prometheus/`),
      timeoutMs: 3000,
      auth: { basic: { user: 'ops', password: 'pa:ss' } },
      headers: [['X-Scope-OrgID', 'tenant-1']],
    });
    try {
      const decoded = await client.query('node_uname_info');
      expect(decoded.result[0]?.labels.nodename).toBe('alpha');
    } finally {
      await client.close();
    }
    const [req] = f.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/prometheus/api/v1/query');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from('ops:pa:ss').toString('base64')}`);
    expect(req?.headers['x-scope-orgid']).toBe('tenant-1');
    expect(req?.form.get('query')).toBe('node_uname_info');
    expect(req?.form.get('time')).toBeNull();
    expect(req?.form.get('timeout')).toBe('3s');
  });

  it('sends the bearer token, asked for at each request', async () => {
    const f = await serveFake(oneNodeAnswer);
    let token = 'one';
    const client = new PrometheusClient({ baseUrl: new URL(f.url), timeoutMs: 2000, auth: { bearer: () => token } });
    try {
      await client.query('node_uname_info');
      token = 'two';
      await client.queryRange('node_load1', 0, 2000, 1000);
    } finally {
      await client.close();
    }
    expect(f.requests.map((r) => r.headers.authorization)).toEqual(['Bearer one', 'Bearer two']);
    expect(f.requests[1]?.path).toBe('/api/v1/query_range');
    expect(Object.fromEntries(f.requests[1]?.form ?? [])).toMatchObject({ start: '0.000', end: '2.000', step: '1.000' });
  });

  it('verifies TLS against the system roots plus --ca-file, unless --insecure', async ({ tmp }) => {
    const pki = await makePki(tmp);
    fake = await startFakePrometheus(oneNodeAnswer, pki.server);
    const attempt = async (tls: PrometheusClientOptions['tls']) => {
      const client = new PrometheusClient({ baseUrl: new URL(fake!.url), timeoutMs: 3000, tls });
      try {
        return (await client.query('node_uname_info')).result.length;
      } finally {
        await client.close();
      }
    };
    await expect(attempt({})).rejects.toThrow('TLS: certificate signed by unknown authority (use --ca-file or --insecure)');
    expect(await attempt({ ca: pki.caPem })).toBe(1);
    expect(await attempt({ insecure: true })).toBe(1);
  });

  it('caps the answer size and says so', async () => {
    const f = await serveFake(() => ({ body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] }, pad: 'x'.repeat(10_000) }) }));
    const client = new PrometheusClient({ baseUrl: new URL(f.url), timeoutMs: 2000, maxBodyBytes: 4096 });
    await expect(client.query('up')).rejects.toThrow('response larger than 4 KiB');
    await client.close();
  });

  it('gives up at its deadline', async () => {
    const f = await serveFake(() => 'hang');
    const client = new PrometheusClient({ baseUrl: new URL(f.url), timeoutMs: 300 });
    await expect(client.query('up')).rejects.toThrow('timed out after 0.3 s');
    await client.close();
  });
});

describe('PrometheusSource against a fake server', () => {
  it('reads a node with nine queries per refresh and four static ones', async () => {
    const f = await serveFake(oneNodeAnswer);
    const s = source(f.url);
    await s.collectOnce();
    const [node] = buildSnapshot(s.store, Date.now()).nodes;
    expect(node).toMatchObject({
      name: 'alpha',
      target: `${f.url} instance=a:9100`,
      source: 'prometheus',
      up: true,
      error: null,
      scrapeDurationSeconds: 0.01,
      cpu: { cores: 2, usagePercent: 50, perCoreUsagePercent: [25, 75] },
      load: { load1: 1, load5: 2, load15: 3 },
      memory: { totalBytes: 1000, usedBytes: 600, availableBytes: 400, usedPercent: 60 },
      network: { receiveBytesPerSecond: 100, transmitBytesPerSecond: 200 },
      disk: { readBytesPerSecond: 300, writtenBytesPerSecond: 400 },
      filesystem: { sizeBytes: 100, usedBytes: 40 },
      uptimeSeconds: 1000,
    });
    expect(s.notice).toBeUndefined();
    // Two on start (scrape interval, inventory), then one refresh: nine node queries, four static and two GPU ones.
    expect(f.requests.length).toBe(2 + 9 + 4 + 2);
    // The fake says Prometheus scrapes every 15 s: four of those make the window.
    expect(s.rateWindowMs).toBe(60_000);
    expect(f.requests.at(-1)?.form.get('query')).toContain('[60000ms]');
  });

  it.each([
    ['a query error', apiError(400, 'bad_data', 'invalid regular expression in matcher'), 'Prometheus: bad_data: invalid regular expression in matcher'],
    ['an HTTP error without the API body', { status: 503, body: 'upstream connect error', contentType: 'text/plain' }, 'Prometheus: HTTP 503 Service Unavailable'],
    ['a page that is not the API', { body: '<!doctype html><title>Grafana</title>', contentType: 'text/html' }, 'Prometheus: the answer is not JSON (is this a Prometheus API URL?)'],
  ] as const)('puts %s in one line and reads nothing', async (_what, answer, notice) => {
    const f = await serveFake(() => answer);
    const s = source(f.url);
    await s.collectOnce();
    expect(s.store.nodes()).toHaveLength(0);
    expect(s.notice).toBe(notice);
    expect(s.warning).toBe(notice);
  });

  it('says when Prometheus cannot be reached', async () => {
    const s = source(`http://127.0.0.1:${await freePort()}`);
    await s.collectOnce();
    expect(s.notice).toBe('Prometheus: connection refused');
  });

  it('keeps nodes and their figures when Prometheus stops answering', async () => {
    const f = await serveFake(oneNodeAnswer);
    const s = source(f.url);
    await s.collectOnce();
    f.answer = () => apiError(503, 'unavailable', 'too many queries');
    await s.collectOnce();
    expect(s.notice).toMatch(/^Prometheus: unavailable: too many queries \(figures from \d\d:\d\d:\d\d\)$/);
    const [node] = s.store.nodes();
    expect(node?.health.up).toBe(true);
    expect(node?.figures.load?.load1).toBe(1);
  });

  it('shows what it could read when one figure query fails, and names the failure', async () => {
    const f = await serveFake((req) => ((req.form.get('query') ?? '').includes('{mode=~"idle|iowait|steal"}') ? apiError(422, 'execution', 'query processing would load too many samples') : oneNodeAnswer(req)));
    const s = source(f.url);
    await s.collectOnce();
    expect(s.notice).toBe('Prometheus: cpuIdle query failed: execution: query processing would load too many samples');
    const { cpu, memory } = s.store.nodes()[0]!.figures;
    // Half the CPU time is no figure; the cores are counted apart, and the rest is there.
    expect(cpu).toEqual({ cores: 2, usagePercent: null, perCoreUsagePercent: [null, null] });
    expect(memory?.usedPercent).toBe(60);
  });

  it('shows the server\'s warnings', async () => {
    const f = await serveFake((req) => {
      const a = oneNodeAnswer(req);
      if (a === 'hang' || !(req.form.get('query') ?? '').startsWith('count by')) return a;
      return { body: JSON.stringify({ ...(JSON.parse(a.body) as object), warnings: ['partial response: store eu-1 unreachable'] }) };
    });
    const s = source(f.url);
    await s.collectOnce();
    expect(s.notice).toBe('Prometheus: answer may be incomplete: partial response: store eu-1 unreachable');
    expect(s.partial).toBe('partial response: store eu-1 unreachable');
    expect(s.store.nodes()[0]?.figures.cpu?.cores).toBe(2);
    // An incomplete static answer is asked again at the next refresh, and said so while in use.
    await s.collectOnce();
    expect(f.requests.filter((r) => (r.form.get('query') ?? '').startsWith('count by'))).toHaveLength(2);
    expect(s.partial).toBe('partial response: store eu-1 unreachable');
    f.answer = oneNodeAnswer;
    await s.collectOnce();
    expect(s.partial).toBeUndefined();
    expect(s.notice).toBeUndefined();
  });

  it('shows the nodes and every figure but CPU before the CPU queries are in, on the first refresh only', async () => {
    let release = (): void => undefined;
    const cpuHeld = new Promise<void>((resolve) => (release = resolve));
    const isCpu = (req: RecordedRequest) => (req.form.get('query') ?? '').startsWith('sum by (job, instance, cpu) (rate(node_cpu_seconds_total');
    const f = await serveFake(async (req) => {
      if (isCpu(req)) await cpuHeld;
      return oneNodeAnswer(req);
    });
    // --once shows only the end: nothing before the CPU queries are in.
    const onceFake = await startFakePrometheus(f.answer);
    try {
      const once = source(onceFake.url);
      const collected = once.collectOnce();
      const s = source(f.url);
      s.start();
      await expect.poll(() => s.store.nodes()[0]?.figures.memory?.usedPercent, { timeout: 5000, interval: 10 }).toBe(60);
      const [first] = s.store.nodes();
      // No CPU figure yet (the cores count may be in, or not).
      expect(first?.figures.cpu?.usagePercent ?? null).toBeNull();
      // A first look, not a history row: the whole refresh adds that.
      expect(first?.history.length).toBe(0);
      expect(once.store.nodes()).toHaveLength(0);
      // The light queries went first, the CPU halves and the cores count last.
      const asked = f.requests.map((r) => r.form.get('query') ?? '').filter((q) => !/DCGM|gpu_/.test(q));
      expect(asked.slice(-3).every((q) => q.includes('(node_cpu_seconds_total'))).toBe(true);
      release();
      await collected;
      expect(once.store.nodes()[0]?.history.length).toBe(1);
      await expect.poll(() => s.store.nodes()[0]?.figures.cpu?.usagePercent, { timeout: 5000, interval: 10 }).toBe(50);
      const [node] = s.store.nodes();
      expect(node?.figures.cpu).toEqual({ cores: 2, usagePercent: 50, perCoreUsagePercent: [25, 75] });
      // One row for the refresh, after the history loaded behind it: no gap where the first look was.
      const cpu = node?.history.tail('cpu') ?? [];
      expect(cpu.at(-1)).toBe(50);
      expect(cpu.every((v) => Number.isFinite(v))).toBe(true);
    } finally {
      await onceFake.close();
    }
  });

  it('asks the static figures on the first refresh, for a node that appears, and otherwise once a minute', async () => {
    let second = false;
    const f = await serveFake((req) => {
      const a = oneNodeAnswer(req);
      if (!second || a === 'hang' || !(req.form.get('query') ?? '').startsWith('{__name__=~"up|')) return a;
      const body = JSON.parse(a.body) as { data: { result: unknown[] } };
      body.data.result.push({ metric: { __name__: 'up', job: 'node', instance: 'b:9100' }, value: [Date.now() / 1000, '1'] });
      return { body: JSON.stringify(body) };
    });
    const s = source(f.url);
    const staticAsks = () => f.requests.filter((r) => (r.form.get('query') ?? '').startsWith('count by')).length;
    await s.collectOnce();
    await s.collectOnce();
    expect(staticAsks()).toBe(1);
    // Kept from the first answer: the memory's size, the cores, the name.
    expect(buildSnapshot(s.store, Date.now()).nodes[0]).toMatchObject({ name: 'alpha', cpu: { cores: 2 }, memory: { totalBytes: 1000 }, uptimeSeconds: 1000 });
    second = true;
    await s.collectOnce();
    expect(s.store.nodes()).toHaveLength(2);
    expect(staticAsks()).toBe(1);
    await s.collectOnce();
    expect(staticAsks()).toBe(2);
    await s.collectOnce();
    expect(staticAsks()).toBe(2);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + STATIC_EVERY_MS);
      await s.collectOnce();
      expect(staticAsks()).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says so when no series match', async () => {
    const f = await serveFake(() => ({ body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }) }));
    const s = new PrometheusSource({
      client: new PrometheusClient({ baseUrl: new URL(f.url), timeoutMs: 2000 }),
      displayUrl: f.url,
      selector: 'job="nope"',
      intervalMs: 1000,
      historyPoints: 10,
    });
    sources.push(s);
    await s.collectOnce();
    expect(s.notice).toBe('Prometheus has no node_exporter series matching {job="nope"}');
    // Every node query has the selector; the GPU queries, of other jobs, are joined to the nodes by host instead.
    const gpuQueries: string[] = Object.values(GPU_QUERIES);
    expect(f.requests.every((r) => gpuQueries.includes(r.form.get('query') ?? '') || (r.form.get('query') ?? '').includes('job="nope"'))).toBe(true);
  });

  it('backfills history on start: node rings and the cluster ring are full at once', async () => {
    const f = await serveFake(oneNodeAnswer);
    const s = source(f.url, {}, 10);
    s.start();
    await expect.poll(() => s.store.cluster.length >= 10 && s.store.nodes().length > 0, { timeout: 2000, interval: 20 }).toBe(true);
    const node = s.store.nodes()[0];
    expect(node?.history.length).toBe(10);
    // Nine rows from query_range (0.42 at every step), then the first refresh's own row.
    expect(node?.history.tail('cpu').slice(0, 9).map((v) => Math.round(v))).toEqual(Array(9).fill(42));
    expect(node?.history.tail('load1').slice(0, 9).every((v) => Math.abs(v - 0.42) < 1e-6)).toBe(true);
    expect(node?.history.tail('cpu').at(-1)).toBe(50);
    expect(s.store.cluster.tail('memory').slice(0, 9).map((v) => Math.round(v))).toEqual(Array(9).fill(42));
    const ranges = f.requests.filter((r) => r.path === '/api/v1/query_range');
    expect(ranges).toHaveLength(16); // seven node series and seven cluster series, CPU's in two halves each
    const { start, end, step } = Object.fromEntries(ranges[0]?.form ?? []);
    expect(Number(end) - Number(start)).toBeCloseTo(8, 3);
    expect(step).toBe('1.000');
  });

  it('leaves the per-core query out once the fleet has more cores than it is worth', async () => {
    // The one node reports 60,000 cores: a fleet's worth.
    const f = await serveFake((req) => ((req.form.get('query') ?? '').startsWith('count by') ? { body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'node', instance: 'a:9100' }, value: [Date.now() / 1000, '60000'] }] } }) } : oneNodeAnswer(req)));
    const s = source(f.url);
    const perCore = () => f.requests.filter((r) => (r.form.get('query') ?? '').startsWith('sum by (job, instance, cpu)')).length;
    await s.collectOnce();
    // The first refresh asks both halves per core (the inventory is one node): the answer says 60,000 cores.
    expect(perCore()).toBe(2);
    expect(s.store.nodes()[0]?.figures.cpu?.perCoreUsagePercent).toEqual([25, 75]);
    await s.collectOnce();
    expect(perCore()).toBe(2);
    expect(s.notice).toBeUndefined();
    expect(s.store.nodes()[0]?.figures.cpu).toMatchObject({ cores: 60000, usagePercent: 50, perCoreUsagePercent: null });
  });
});
