/**
 * `--gpu-port`: a GPU exporter on every node's host. Node lists: the real node_exporter and a
 * captured dcgm-exporter payload on another loopback port of the same host; Kubernetes: the same
 * payload behind the fake API server's node proxy. The snapshots hold the schema.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { runMain } from '../security/hostile.js';
import { serve, type Endpoint } from '../helpers/http-endpoints.js';
import { NODE_EXPORTER, startNodeExporter } from '../helpers/node-exporter.js';
import { requireBinary } from '../helpers/real-binary.js';
import { startFakeApiServer } from '../sources/kube/fake-apiserver/index.js';
import { kubeSource, nodeNamed, T } from '../sources/kube/kube-helpers.js';

const DCGM = readFileSync(new URL('../fixtures/gpu/dcgm-kops-l4.metrics', import.meta.url), 'utf8');
const schema: unknown = JSON.parse(readFileSync(new URL('../../docs/snapshot.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
const addFormats = (formats as unknown as { default: typeof formats.default }).default ?? formats;
addFormats(ajv);
const validate = ajv.compile(schema as object);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function dcgmExporter(): Promise<Endpoint> {
  const e = await serve((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(DCGM);
  });
  cleanups.push(() => e.close());
  return e;
}

const L4 = {
  index: 0,
  uuid: 'GPU-c2f76b33-7953-256e-8f33-1343419b1a1c',
  model: 'NVIDIA L4',
  migProfile: null,
  utilizationPercent: 0,
  memoryUsedBytes: 0,
  memoryTotalBytes: 23033 * 1_048_576,
  temperatureCelsius: 31,
  powerWatts: 16.365,
  powerLimitWatts: null,
  xid: null,
  pod: null,
};

describe.runIf(requireBinary(NODE_EXPORTER))('--gpu-port with a node list', () => {
  it('scrapes the port on every target host and puts the GPUs in the node of that host', { timeout: 30_000 }, async () => {
    const node = await startNodeExporter();
    cleanups.push(() => node.stop());
    const dcgm = await dcgmExporter();
    const r = await runMain([`127.0.0.1:${node.port}`, '--gpu-port', String(dcgm.port), '-i', '500ms', '--once', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const snapshot = JSON.parse(r.stdout) as { nodes: { source: string; gpus: unknown }[] };
    expect(validate(snapshot), ajv.errorsText(validate.errors)).toBe(true);
    expect(snapshot.nodes).toHaveLength(1);
    expect(snapshot.nodes[0]!.source).toBe('node_exporter');
    expect(snapshot.nodes[0]!.gpus).toEqual([L4]);
  });
});

describe('--gpu-port with --kubeconfig', () => {
  it("reads each node's GPU exporter through the API server's node proxy; a node without one has none", { timeout: 30_000 }, async () => {
    const dcgm = await dcgmExporter();
    const server = await startFakeApiServer({ startTime: T, nodes: [{ name: 'gpu1', exporters: { 9400: `http://127.0.0.1:${dcgm.port}` } }, { name: 'cpu1' }] });
    cleanups.push(() => server.close());
    const source = await kubeSource(server, { gpuPort: 9400, intervalMs: 1000 });
    cleanups.push(() => source.stop());
    await source.collectOnce();
    expect(nodeNamed(source, 'gpu1').gpus).toEqual([L4]);
    expect(nodeNamed(source, 'cpu1').gpus).toBeNull();
    expect(source.store.get('cpu1')?.gpus).toBeNull(); // its proxy answers 503: no exporter, no GPUs
    expect(server.requests.map((q) => q.path)).toContain('/api/v1/nodes/gpu1:9400/proxy/metrics');
  });

  it('joins the pods holding GPUs to the exporter\'s pod labels: allocation, the GPU\'s pod, and the idle-allocation alert', { timeout: 30_000 }, async () => {
    // The same L4 at 0 %, mapped by dcgm-exporter's pod labels to ml/train-0, which holds it by its limit.
    const mapped = DCGM.replace(/^(DCGM_FI_DEV_\w+\{)/gm, '$1pod="train-0",namespace="ml",container="trainer",');
    const dcgm = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(mapped));
    cleanups.push(() => dcgm.close());
    const server = await startFakeApiServer({
      startTime: T,
      nodes: [{ name: 'gpu1', gpus: { capacity: 1 }, exporters: { 9400: `http://127.0.0.1:${dcgm.port}` } }],
      pods: [{ name: 'train-0', namespace: 'ml', node: 'gpu1', containers: [{ name: 'trainer', resources: { limits: { 'nvidia.com/gpu': '1' } }, restartCount: 2 }] }],
    });
    cleanups.push(() => server.close());
    // The kubelet collects as a real one does, so that --once has its rates without waiting for them.
    const kubelet = setInterval(() => {
      server.clock.advance(1000);
      server.collect();
    }, 100);
    cleanups.push(async () => clearInterval(kubelet));
    const r = await runMain(['--kubeconfig', await server.kubeconfig(), '--gpu-port', '9400', '--interval', '300ms', '--once', '-o', 'json']);
    const snapshot: unknown = JSON.parse(r.stdout);
    expect(validate(snapshot), ajv.errorsText(validate.errors)).toBe(true);
    const { nodes, alerts } = snapshot as { nodes: { kubernetes: { allocatedGpus: number; podRestarts: number; capacity: { gpus: number } }; gpus: { pod: unknown }[] }[]; alerts: { name: string; value: number }[] };
    expect(nodes[0]!.kubernetes).toMatchObject({ allocatedGpus: 1, podRestarts: 2, capacity: { gpus: 1 } });
    expect(nodes[0]!.gpus[0]!.pod).toEqual({ namespace: 'ml', pod: 'train-0', container: 'trainer' });
    // A snapshot evaluates the rules without their `for`: the held GPU at 0 % is the alert.
    expect(alerts.filter((a) => a.name === 'gpu_idle_allocated').map((a) => a.value)).toEqual([1]);
  });

  it('refuses --gpu-port where it has no nodes to go with', async () => {
    const r = await runMain(['--gpu-port', '9400', '--once']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--gpu-port goes with targets');
  });
});
