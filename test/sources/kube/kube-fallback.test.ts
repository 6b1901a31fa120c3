import { afterEach, describe, expect, it } from 'vitest';
import type { KubeSource } from '../../../src/sources/kube/kube-source.js';
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions, type PolicyRule } from './fake-apiserver/index.js';
import { kubeSource, nodeNamed, snapshot, T, WAIT } from './kube-helpers.js';

/** Without nodes/proxy: the metrics API; without that either: the bare node list, naming the missing permission. */

const NODES_READ: PolicyRule = { verbs: ['get', 'list', 'watch'], resources: ['nodes'] };
const PODS_READ: PolicyRule = { verbs: ['list', 'watch'], resources: ['pods'] };
const METRICS_READ: PolicyRule = { verbs: ['list'], resources: ['nodes', 'pods'], apiGroups: ['metrics.k8s.io'] };

function cluster(rules: PolicyRule[]): FakeApiServerOptions {
  return {
    startTime: T,
    nodes: [
      { name: 'n1', cpu: 4, memory: '8Gi', usage: { cpuCores: 1, memoryBytes: 2 * 2 ** 30 } },
      { name: 'n2', cpu: 2, memory: '4Gi', usage: { cpuCores: 0.5, memoryBytes: 2 ** 30 } },
    ],
    pods: [{ name: 'web', node: 'n1', containers: [{ name: 'app', cpuCores: 0.25, memoryBytes: 64 * 2 ** 20 }] }],
    users: [{ name: 'viewer', token: 'viewer-token', rules }],
  };
}

const proxied = (server: FakeApiServer) => server.requests.filter((r) => r.path.includes('/proxy/'));

describe('KubeSource: fallbacks', () => {
  let server: FakeApiServer;
  let source: KubeSource | undefined;
  afterEach(async () => {
    await source?.stop();
    await server?.close();
    source = undefined;
  });

  it('reads the metrics API when the proxy is forbidden, and says so', async () => {
    server = await startFakeApiServer(cluster([NODES_READ, PODS_READ, METRICS_READ]));
    source = await kubeSource(server, { concurrency: 1 });
    expect(await source.discover()).toBe(true);
    await source.refresh();
    expect(source.notice).toBe('metrics API figures: not allowed to get nodes/proxy (the kubelets)');
    // The first 403 ends the proxy attempts: the API server is not asked once per node.
    expect(proxied(server).map((r) => r.status)).toEqual([403]);
    const n1 = nodeNamed(source, 'n1');
    expect(n1).toMatchObject({
      up: true,
      source: 'kubelet',
      target: `${server.url}/apis/metrics.k8s.io/v1beta1/nodes/n1`,
      cpu: { cores: 4, usagePercent: 25, perCoreUsagePercent: null },
      memory: { totalBytes: 8 * 2 ** 30, usedBytes: 2 * 2 ** 30, availableBytes: 6 * 2 ** 30, usedPercent: 25 },
      kubernetes: { ready: true, podCount: 1 },
    });
    expect(source.store.get('n1')?.pods).toEqual([
      {
        namespace: 'default', name: 'web', cpuCores: 0.25, memoryBytes: 64 * 2 ** 20, containers: [{ name: 'app', cpuCores: 0.25, memoryBytes: 64 * 2 ** 20 }],
        phase: 'Running', gpus: 0, restarts: 0,
      },
    ]);
    expect(nodeNamed(source, 'n2').cpu?.usagePercent).toBe(25);
    expect(source.store.get('n2')?.pods).toEqual([]);
  });

  it('keeps reading the metrics API every interval while running, pods without permission to list them', async () => {
    server = await startFakeApiServer(cluster([NODES_READ, METRICS_READ]));
    source = await kubeSource(server, { intervalMs: 200 });
    source.start();
    await expect.poll(() => snapshot(source!).map((n) => n.up), WAIT).toEqual([true, true]);
    expect(source.store.get('n1')?.pods).toBeNull();
    server.setUsage({ node: 'n1' }, { cpuCores: 2 });
    server.clock.advance(10_000);
    server.collect();
    await expect.poll(() => nodeNamed(source!, 'n1').cpu?.usagePercent, WAIT).toBe(50);
  });

  it('lists the nodes and names the missing permissions when neither way is open', async () => {
    server = await startFakeApiServer(cluster([NODES_READ]));
    source = await kubeSource(server);
    await source.discover();
    await source.refresh();
    const problem = 'no metrics: not allowed to get nodes/proxy (the kubelets), nor to list nodes.metrics.k8s.io (the metrics API)';
    expect(source.notice).toBe(problem);
    expect(source.warning).toBe(problem);
    expect(snapshot(source).map((n) => [n.name, n.up, n.error, n.kubernetes?.ready, n.target])).toEqual([
      ['n1', false, problem, true, `${server.url}/api/v1/nodes/n1`],
      ['n2', false, problem, true, `${server.url}/api/v1/nodes/n2`],
    ]);
  });

  it('says when the metrics API is not installed', async () => {
    server = await startFakeApiServer({ ...cluster([NODES_READ, METRICS_READ]), metricsApi: false });
    source = await kubeSource(server);
    await source.discover();
    await source.refresh();
    expect(source.notice).toBe('no metrics: not allowed to get nodes/proxy (the kubelets), and the metrics API is not installed (metrics-server)');
  });

  it('names the permission when the nodes cannot be listed', async () => {
    server = await startFakeApiServer(cluster([{ verbs: ['get'], resources: ['nodes'] }]));
    source = await kubeSource(server);
    expect(await source.discover()).toBe(false);
    expect(source.notice).toBe(
      'cannot list nodes (needs list and watch on nodes): GET /api/v1/nodes?limit=500: 403 Forbidden: nodes is forbidden: User "viewer" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(snapshot(source)).toEqual([]);
  });

  it('re-lists the nodes when it may list but not watch them', async () => {
    server = await startFakeApiServer(cluster([{ verbs: ['list'], resources: ['nodes'] }, { verbs: ['get'], resources: ['nodes/proxy'] }]));
    source = await kubeSource(server, { intervalMs: 200 });
    source.start();
    await expect.poll(() => source!.notice, WAIT).toBe('nodes re-listed now and then: not allowed to watch nodes');
    server.addNode({ name: 'n3' });
    await expect.poll(() => snapshot(source!).some((n) => n.name === 'n3' && n.up), WAIT).toBe(true);
  });
});
