import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '../../helpers/http-endpoints.js';
import { NODE_EXPORTER, startNodeExporter } from '../../helpers/node-exporter.js';
import { requireBinary } from '../../helpers/real-binary.js';
import { get, getJson } from './client.js';
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions, type NodeMetrics, type PodMetrics } from './fake-apiserver/index.js';

/** The kubelet behind the node proxy, node_exporters behind node:port proxies, and metrics.k8s.io. */

const T = 1_700_000_000_000;
const RESOURCE = '/api/v1/nodes/n1/proxy/metrics/resource';

const GOLDEN_1_32 = `# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
# TYPE container_cpu_usage_seconds_total counter
container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 10 1700000000000
container_cpu_usage_seconds_total{container="sidecar",namespace="default",pod="web"} 0.08 1700000000000
# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
# TYPE container_memory_working_set_bytes gauge
container_memory_working_set_bytes{container="app",namespace="default",pod="web"} 1.048576e+07 1700000000000
container_memory_working_set_bytes{container="sidecar",namespace="default",pod="web"} 4096 1700000000000
# HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds
# TYPE container_start_time_seconds gauge
container_start_time_seconds{container="app",namespace="default",pod="web"} 1.69999996e+09
container_start_time_seconds{container="sidecar",namespace="default",pod="web"} 1.69999996e+09
# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
# TYPE node_cpu_usage_seconds_total counter
node_cpu_usage_seconds_total 50 1700000000000
# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
# TYPE node_memory_working_set_bytes gauge
node_memory_working_set_bytes 1.610612736e+09 1700000000000
# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds
# TYPE pod_cpu_usage_seconds_total counter
pod_cpu_usage_seconds_total{namespace="default",pod="web"} 10.08 1700000000000
# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes
# TYPE pod_memory_working_set_bytes gauge
pod_memory_working_set_bytes{namespace="default",pod="web"} 1.0489856e+07 1700000000000
# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
# TYPE resource_scrape_error gauge
resource_scrape_error 0
`;

function cluster(extra: Partial<FakeApiServerOptions> = {}): FakeApiServerOptions {
  return {
    startTime: T,
    nodes: [{ name: 'n1', ageSeconds: 100, usage: { cpuCores: 0.5, memoryBytes: 1.5 * 2 ** 30 } }],
    pods: [{
      name: 'web', node: 'n1', ageSeconds: 40,
      containers: [{ name: 'sidecar', cpuCores: 0.002, memoryBytes: 4096 }, { name: 'app', cpuCores: 0.25, memoryBytes: 10 * 2 ** 20 }],
    }],
    ...extra,
  };
}

describe('fake apiserver: metrics', () => {
  let server: FakeApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the kubelet resource metrics exactly as a 1.32 kubelet writes them', async () => {
    server = await startFakeApiServer(cluster());
    const r = await get(server, RESOURCE);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.body).toBe(GOLDEN_1_32);
  });

  it('moves values and timestamps only when the kubelet collects, by what the clock says was used', async () => {
    server = await startFakeApiServer(cluster());
    const before = (await get(server, RESOURCE)).body;
    server.clock.advance(4_000);
    expect((await get(server, RESOURCE)).body).toBe(before);
    server.setUsage({ node: 'n1' }, { cpuCores: 2 });
    server.clock.advance(6_000);
    server.collect();
    const after = (await get(server, RESOURCE)).body;
    // 0.5 cores for 4 s then 2 cores for 6 s on top of 50 core-seconds, stamped at the collection.
    expect(after).toContain('\nnode_cpu_usage_seconds_total 64 1700000010000\n');
    expect(after).toContain('\ncontainer_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 12.5 1700000010000\n');
    expect(after).toContain('\ncontainer_start_time_seconds{container="app",namespace="default",pod="web"} 1.69999996e+09\n');
    server.collect();
    expect((await get(server, RESOURCE)).body).toBe(after);
  });

  it.each([
    ['v1.28.12', ['[ALPHA] Cumulative cpu time', 'container_start_time_seconds{container="app",namespace="default",pod="web"} 1.69999996e+09 1699999960000', '# HELP scrape_error [ALPHA] 1 if'], ['resource_scrape_error']],
    ['v1.29.7', ['[STABLE] Cumulative cpu time', '# HELP resource_scrape_error [STABLE]', '# HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise\n# TYPE scrape_error gauge\nscrape_error 0\n'], []],
    ['v1.31.6', ['[STABLE] Cumulative cpu time', 'resource_scrape_error 0\n'], ['scrape_error 0', 'Deprecated']],
  ])('writes what a %s kubelet writes', async (kubeletVersion, present, absent) => {
    server = await startFakeApiServer(cluster({ nodes: [{ name: 'n1', kubeletVersion, ageSeconds: 100 }] }));
    const body = (await get(server, RESOURCE)).body;
    for (const text of present) expect(body).toContain(text);
    for (const text of absent) expect(body).not.toContain(`\n${text}`);
  });

  it('reports a kubelet that cannot get stats, and a kubelet that cannot be reached', async () => {
    server = await startFakeApiServer(cluster({ nodes: [{ name: 'n1', scrapeError: true }, { name: 'n2', ready: 'unknown' }] }));
    expect((await get(server, RESOURCE)).body).toBe(
      '# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise\n# TYPE resource_scrape_error gauge\nresource_scrape_error 1\n',
    );
    const down = await get(server, '/api/v1/nodes/n2/proxy/metrics/resource');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ reason: 'ServiceUnavailable', message: 'error trying to reach service: dial tcp 10.0.0.2:10250: connect: no route to host' });
    const elsewhere = await get(server, '/api/v1/nodes/n1/proxy/stats/summary');
    expect([elsewhere.status, elsewhere.body]).toEqual([404, '404 page not found\n']);
  });

  it('serves metrics.k8s.io from the last two collections: the CPU rate over their window, the latest memory', async () => {
    server = await startFakeApiServer(cluster());
    const initial = await getJson<NodeMetrics>(server, '/apis/metrics.k8s.io/v1beta1/nodes/n1');
    expect(initial).toMatchObject({
      kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', timestamp: '2023-11-14T22:13:20Z', window: '10s',
      usage: { cpu: '500m', memory: '1536Mi' }, metadata: { name: 'n1' },
    });
    server.setUsage({ node: 'n1' }, { cpuCores: 1.234567891, memoryBytes: 3 * 2 ** 30 + 4096 });
    server.setUsage({ pod: 'web', container: 'app' }, { cpuCores: 0.0015 });
    server.clock.advance(15_500);
    server.collect();
    const list = await getJson<{ kind: string; items: NodeMetrics[] }>(server, '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(list.kind).toBe('NodeMetricsList');
    expect(list.items.map((m) => [m.timestamp, m.window, m.usage])).toEqual([
      ['2023-11-14T22:13:35Z', '15.5s', { cpu: '1234567891n', memory: '3145732Ki' }],
    ]);
    const pods = await getJson<{ items: PodMetrics[] }>(server, '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    expect(pods.items.map((p) => [p.metadata.name, p.containers])).toEqual([
      ['web', [{ name: 'app', usage: { cpu: '1500u', memory: '10Mi' } }, { name: 'sidecar', usage: { cpu: '2m', memory: '4Ki' } }]],
    ]);
    const missing = await get(server, '/apis/metrics.k8s.io/v1beta1/nodes/zz');
    expect(JSON.parse(missing.body)).toMatchObject({ code: 404, message: 'nodemetrics.metrics.k8s.io "zz" not found' });
  });

  it('can run without the metrics API, as a cluster without metrics-server does', async () => {
    server = await startFakeApiServer(cluster());
    server.setMetricsApi(false);
    const r = await get(server, '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    expect((await getJson<{ groups: unknown[] }>(server, '/apis')).groups).toEqual([]);
  });

  it('proxies node:port to the exporter registered for it, and refuses ports with none', async () => {
    const exporter = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end('node_load1 0.5\n');
    });
    try {
      server = await startFakeApiServer(cluster({ nodes: [{ name: 'n1', exporters: { 9100: `http://127.0.0.1:${exporter.port}` } }] }));
      const r = await get(server, '/api/v1/nodes/n1:9100/proxy/metrics?name%5B%5D=node_load1');
      expect([r.status, r.headers['content-type'], r.body]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8', 'node_load1 0.5\n']);
      expect(exporter.requests.map((q) => q.url)).toEqual(['/metrics?name%5B%5D=node_load1']);
      const refused = await get(server, '/api/v1/nodes/n1:9101/proxy/metrics');
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body)).toMatchObject({ message: 'error trying to reach service: dial tcp 10.0.0.1:9101: connect: connection refused' });
    } finally {
      await exporter.close();
    }
  });

  it.runIf(requireBinary(NODE_EXPORTER))('reaches a real node_exporter through the proxy', async () => {
    const exporter = await startNodeExporter();
    try {
      server = await startFakeApiServer({ nodes: [{ name: 'n1', exporters: { 9100: `http://127.0.0.1:${exporter.port}` } }] });
      const r = await get(server, '/api/v1/nodes/n1:9100/proxy/metrics');
      expect(r.status).toBe(200);
      expect(r.body).toMatch(/^node_cpu_seconds_total\{cpu="0",mode="idle"\} /m);
    } finally {
      await exporter.stop();
    }
  });
});
