import { afterEach, describe, expect, it } from 'vitest';
import type { KubeSource } from '../../../src/sources/kube/kube-source.js';
import { serve } from '../../helpers/http-endpoints.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver/index.js';
import { kubeSource, nodeNamed, snapshot, T } from './kube-helpers.js';

/** Discovery and the kubelets' figures through the API server's proxy, against the fake API server. */

describe('KubeSource: nodes and kubelet metrics', () => {
  let server: FakeApiServer | undefined;
  let source: KubeSource | undefined;
  afterEach(async () => {
    await source?.stop();
    await server?.close();
    source = undefined;
    server = undefined;
  });

  it('lists the nodes with their Kubernetes facts', async () => {
    server = await startFakeApiServer({
      startTime: T,
      nodes: [
        { name: 'cp1', roles: ['control-plane'], cpu: 8, memory: '16Gi', ageSeconds: 86_400, kubeletVersion: 'v1.31.6' },
        { name: 'w1', ready: false, unschedulable: true, memoryPressure: true, diskPressure: true, labels: { 'kubernetes.io/role': 'worker' }, maxPods: 30 },
        { name: 'w2', ready: 'unknown' },
      ],
    });
    source = await kubeSource(server);
    expect(await source.discover()).toBe(true);
    await source.refresh();
    const [cp1, w1, w2] = snapshot(source);
    expect(cp1).toMatchObject({
      name: 'cp1',
      source: 'kubelet',
      target: `${server.url}/api/v1/nodes/cp1/proxy/metrics/resource`,
      up: true,
      kubernetes: {
        roles: ['control-plane'], ready: true, problems: [], cordoned: false,
        capacity: { cpuCores: 8, memoryBytes: 16 * 2 ** 30, pods: 110 },
        allocatable: { cpuCores: 8, memoryBytes: 16 * 2 ** 30 - 100 * 2 ** 20, pods: 110 },
        kubeletVersion: 'v1.31.6', internalIP: '10.0.0.1', createdAt: new Date(T - 86_400_000).toISOString(), podCount: 0,
      },
    });
    expect(w1?.kubernetes).toMatchObject({
      roles: ['worker'], ready: false, problems: ['MemoryPressure', 'DiskPressure'], cordoned: true,
      capacity: { cpuCores: 4, memoryBytes: 16323552 * 1024, pods: 30 },
    });
    // The kubelet of a node whose status is Unknown cannot be reached: the node is down, and says why.
    expect(w2).toMatchObject({ up: false, error: 'kubelet: HTTP 503 Service Unavailable', kubernetes: { ready: null } });
  });

  it('computes CPU from the kubelet\'s sample times: exact after the kubelet collects again', async () => {
    server = await startFakeApiServer({
      startTime: T,
      nodes: [{ name: 'n1', cpu: 4, memory: '8Gi', usage: { cpuCores: 0.5, memoryBytes: 2 * 2 ** 30 } }],
      pods: [{ name: 'web', node: 'n1', containers: [{ name: 'app', cpuCores: 0.25, memoryBytes: 64 * 2 ** 20 }, { name: 'log', cpuCores: 0.001, memoryBytes: 2 ** 20 }] }],
    });
    source = await kubeSource(server);
    await source.discover();
    await source.refresh();
    expect(nodeNamed(source, 'n1').cpu).toEqual({ cores: 4, usagePercent: null, perCoreUsagePercent: null });
    expect(nodeNamed(source, 'n1').memory).toEqual({ totalBytes: 8 * 2 ** 30, usedBytes: 2 * 2 ** 30, availableBytes: 6 * 2 ** 30, usedPercent: 25 });

    server.setUsage({ node: 'n1' }, { cpuCores: 3 });
    server.setUsage({ pod: 'web', container: 'app' }, { cpuCores: 1.5 });
    server.clock.advance(15_000);
    // Scraped again before the kubelet collects: same samples, still no rate (not a false zero).
    await source.refresh();
    expect(nodeNamed(source, 'n1').cpu?.usagePercent).toBeNull();
    server.collect();
    await source.refresh();
    expect(nodeNamed(source, 'n1').cpu?.usagePercent).toBe(75);
    const [web] = source.store.get('n1')?.pods ?? [];
    expect(web).toEqual({
      namespace: 'default', name: 'web', cpuCores: 1.501, memoryBytes: 65 * 2 ** 20,
      containers: [{ name: 'app', cpuCores: 1.5, memoryBytes: 64 * 2 ** 20 }, { name: 'log', cpuCores: 0.001, memoryBytes: 2 ** 20 }],
    });
    expect(nodeNamed(source, 'n1').kubernetes?.podCount).toBe(1);
  });

  it('never has more proxy requests in flight than the concurrency limit', async () => {
    const limit = 3;
    let inFlight = 0;
    let maxInFlight = 0;
    let maxAtServer = 0;
    const exporter = await serve((_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // What the API server has open through its proxy at this moment (this request included).
      const open = server?.requests.filter((r) => r.path.includes('/proxy/') && r.status === 0).length ?? 0;
      maxAtServer = Math.max(maxAtServer, open);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
        res.end('node_load1 0.5\nnode_load5 0.4\nnode_load15 0.3\n');
      }, 30);
    });
    try {
      const nodes = Array.from({ length: 40 }, (_, i) => ({ name: `n${String(i).padStart(2, '0')}`, exporters: { 9100: `http://127.0.0.1:${exporter.port}` } }));
      server = await startFakeApiServer({ startTime: T, nodes });
      source = await kubeSource(server, { concurrency: limit, nodeExporterPort: 9100 });
      await source.discover();
      await source.refresh();
      expect(exporter.requests.length).toBe(40);
      expect(snapshot(source).every((n) => n.up && n.source === 'node_exporter')).toBe(true);
      expect(maxInFlight).toBeLessThanOrEqual(limit);
      expect(maxAtServer).toBeLessThanOrEqual(limit);
      expect(maxInFlight).toBeGreaterThan(1);
    } finally {
      await exporter.close();
    }
  });
});
