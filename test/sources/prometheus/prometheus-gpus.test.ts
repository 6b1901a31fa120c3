/**
 * --prometheus with GPU exporters: the real Prometheus scrapes the real node_exporter and two
 * captured GPU payloads served here (the busy T4 of dcgm-ericsson-t4-busy.metrics as this host's
 * dcgm-exporter would label it, and AMD's MI300X lines of hosts that are no node); cluster-top
 * reads the GPUs in one query per exporter and joins them to the node by host.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterStore } from '../../../src/store/cluster-store.js';
import { PrometheusClient } from '../../../src/sources/prometheus/client.js';
import { PrometheusSource } from '../../../src/sources/prometheus/prometheus-source.js';
import { instanceHost, PrometheusGpus } from '../../../src/sources/prometheus/gpus.js';
import { serve, type Endpoint } from '../../helpers/http-endpoints.js';
import { NODE_EXPORTER, startNodeExporter, type RunningExporter } from '../../helpers/node-exporter.js';
import { PROMETHEUS, startPrometheus, type RunningPrometheus } from '../../helpers/prometheus-server.js';
import { requireBinary } from '../../helpers/real-binary.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/gpu/${name}`, import.meta.url), 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the GPU join by host', () => {
  it('takes the host of an instance label', () => {
    expect(['10.0.0.5:9400', '[::1]:9400', 'GPU1', 'fe80::1'].map(instanceHost)).toEqual(['10.0.0.5', '::1', 'gpu1', 'fe80::1']);
  });

  it('joins by Hostname to the node name, else by instance host where one node has it', () => {
    const store = new ClusterStore(3);
    for (const id of ['a:9100', 'b:9100', 'c1:9100', 'c2:9100']) store.upsert({ id, name: id, target: id });
    const s = (labels: Record<string, string>, value: number) => ({ labels: { __name__: 'DCGM_FI_DEV_GPU_UTIL', gpu: '0', UUID: 'GPU-1', ...labels }, value });
    new PrometheusGpus().apply(
      [s({ Hostname: 'NODE-A', instance: 'x:9400' }, 10), s({ instance: 'b:9400' }, 20), s({ instance: 'c:9400' }, 30)],
      [
        { id: 'a:9100', name: 'node-a', instance: 'a:9100' },
        { id: 'b:9100', name: 'b', instance: 'b:9100' },
        { id: 'c1:9100', name: 'c1', instance: 'c:9100' },
        { id: 'c2:9100', name: 'c2', instance: 'c:9101' },
      ],
      store,
      1,
    );
    expect(store.get('a:9100')!.gpus!.gpus[0]!.figures.utilizationPercent).toBe(10);
    expect(store.get('b:9100')!.gpus!.gpus[0]!.figures.utilizationPercent).toBe(20);
    // Two nodes on host c: the instance alone cannot say whose the GPU is.
    expect(store.get('c1:9100')!.gpus).toBeNull();
    expect(store.get('c2:9100')!.gpus).toBeNull();
  });
});

describe.runIf(requireBinary(PROMETHEUS) && requireBinary(NODE_EXPORTER))('--prometheus with GPU exporters, against the real Prometheus', () => {
  let exporter: RunningExporter;
  let dcgm: Endpoint;
  let amd: Endpoint;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    exporter = await startNodeExporter();
    const t4 = fixture('dcgm-ericsson-t4-busy.metrics').replaceAll('Hostname="cp-bm14r7"', `Hostname="${hostname()}"`);
    dcgm = await serve((_req, res) => res.end(t4));
    const mi300x = fixture('amd-device-metrics-mi300x.metrics');
    amd = await serve((_req, res) => res.end(mi300x));
    prometheus = await startPrometheus(() =>
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s }',
        'scrape_configs:',
        '  - job_name: node',
        `    static_configs: [{ targets: ['127.0.0.1:${exporter.port}'] }]`,
        '  - job_name: dcgm',
        `    static_configs: [{ targets: ['127.0.0.1:${dcgm.port}'] }]`,
        '  - job_name: amd',
        `    static_configs: [{ targets: ['127.0.0.1:${amd.port}'] }]`,
        '',
      ].join('\n'),
    );
    for (let i = 0; i < 150; i++) {
      const ready = await prometheus.query('count(up{job=~"node|dcgm|amd"} == 1) == 3 and count(count_over_time(node_cpu_seconds_total[1m]) > 4) > 0');
      if (ready.length > 0) break;
      await sleep(200);
    }
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await amd?.close();
    await dcgm?.close();
    await exporter?.stop();
  });

  it("puts the dcgm-exporter's GPU in the node of its Hostname, and leaves out GPUs of hosts that are no node", async () => {
    const source = new PrometheusSource({
      client: new PrometheusClient({ baseUrl: new URL(prometheus.url), timeoutMs: 5000 }),
      displayUrl: prometheus.url,
      selector: 'job="node"',
      intervalMs: 1000,
      historyPoints: 4,
    });
    await source.collectOnce();
    await source.stop();
    expect(source.notice).toBeUndefined();
    const nodes = source.store.nodes();
    expect(nodes).toHaveLength(1);
    const gpus = nodes[0]!.gpus!.gpus.map((e) => e.figures);
    // The AMD GPUs' instance host is 127.0.0.1, as the node's; their hostname label (tw038, tw009) says they are not its.
    expect(gpus.map((g) => [g.model, g.utilizationPercent, g.temperatureCelsius, g.powerWatts])).toEqual([['Tesla T4', 91, 74, 68.244]]);
    expect(gpus[0]!.memoryTotalBytes).toBe(16_104_030_208);
  });
});
