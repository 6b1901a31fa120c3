import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../../helpers/real-binary.js';
import { get, getJson } from './client.js';
import { startFakeApiServer, type FakeApiServer, type Node, type NodeSpec } from './fake-apiserver/index.js';
import { KUBECTL, kubectl, kubectlUntil } from './kubectl.js';

/**
 * The fake apiserver checked against the real kubectl: if kubectl reads it as it reads a cluster, a client
 * tested against it is tested against what a cluster says.
 */

const NODES: NodeSpec[] = [
  { name: 'cp1', roles: ['control-plane'], cpu: 4, usage: { cpuCores: 1.5, memoryBytes: 4 * 2 ** 30 } },
  { name: 'w1', ageSeconds: 30 * 3600, kubeletVersion: 'v1.31.6', usage: { cpuCores: 0.25, memoryBytes: 1024 * 2 ** 20 } },
  { name: 'w2', ready: false, ageSeconds: 2 * 86_400 + 3 * 3600 },
  { name: 'w3', unschedulable: true, ageSeconds: 90 },
  { name: 'w4', ready: 'unknown', ageSeconds: 400 * 86_400 },
];

const USERS = [
  { name: 'admin', token: 'admin-token' },
  { name: 'exec-user', token: 'exec-token' },
  { name: 'viewer', token: 'viewer-token', rules: [{ verbs: ['get', 'list'], resources: ['nodes'] }] },
];

describe.runIf(requireBinary(KUBECTL))('the fake apiserver, read by the real kubectl', () => {
  let server: FakeApiServer;
  let config: string;

  beforeAll(async () => {
    server = await startFakeApiServer({
      nodes: NODES,
      pods: [{ name: 'coredns-5d78c9869d-x2x8f', namespace: 'kube-system', node: 'cp1', containers: [{ name: 'coredns', cpuCores: 0.004, memoryBytes: 18 * 2 ** 20 }] }],
      users: USERS,
    });
    config = await server.kubeconfig();
  });
  afterAll(() => server?.close());

  it('lists the nodes with the STATUS, ROLES, AGE and VERSION a cluster shows', async () => {
    const r = await kubectl(config, ['get', 'nodes']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'NAME   STATUS                     ROLES           AGE    VERSION\n' +
      'cp1    Ready                      control-plane   5d     v1.32.4\n' +
      'w1     Ready                      <none>          30h    v1.31.6\n' +
      'w2     NotReady                   <none>          2d3h   v1.32.4\n' +
      'w3     Ready,SchedulingDisabled   <none>          90s    v1.32.4\n' +
      'w4     NotReady                   <none>          400d   v1.32.4\n',
    );
  });

  it('shows the wide columns from the same server-side table', async () => {
    const r = await kubectl(config, ['get', 'node', 'cp1', '-o', 'wide']);
    expect(r.stdout.split('\n')[1]).toMatch(/^cp1 +Ready +control-plane +5d +v1\.32\.4 +10\.0\.0\.1 +<none> +Debian GNU\/Linux 12 \(bookworm\) +6\.1\.0-31-amd64 +containerd:\/\/1\.7\.24$/);
  });

  it('round-trips the Node objects through -o json', async () => {
    const r = await kubectl(config, ['get', 'nodes', '-o', 'json']);
    const printed = JSON.parse(r.stdout) as { kind: string; items: (Node & { kind: string; apiVersion: string })[] };
    const served = await getJson<{ items: Node[] }>(server, '/api/v1/nodes');
    expect(printed.kind).toBe('List');
    expect(printed.items.map(({ kind, apiVersion, ...node }) => ({ kind, apiVersion, node }))).toEqual(
      served.items.map((node) => ({ kind: 'Node', apiVersion: 'v1', node })),
    );
  });

  it('gets one node, and says NotFound for a node that is not there', async () => {
    const one = await kubectl(config, ['get', 'node', 'w3']);
    expect(one.stdout).toBe('NAME   STATUS                     ROLES    AGE   VERSION\nw3     Ready,SchedulingDisabled   <none>   90s   v1.32.4\n');
    const none = await kubectl(config, ['get', 'node', 'nope']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('Error from server (NotFound): nodes "nope" not found\n');
  });

  it('reads the kubelet resource metrics through the node proxy', async () => {
    const r = await kubectl(config, ['get', '--raw', '/api/v1/nodes/cp1/proxy/metrics/resource']);
    const direct = await get(server, '/api/v1/nodes/cp1/proxy/metrics/resource');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(direct.body);
    expect(r.stdout).toContain('# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds\n');
    const down = await kubectl(config, ['get', '--raw', '/api/v1/nodes/w4/proxy/metrics/resource']);
    expect(down.stderr).toBe('Error from server (ServiceUnavailable): error trying to reach service: dial tcp 10.0.0.5:10250: connect: no route to host\n');
  });

  it('reads the metrics API raw and through kubectl top', async () => {
    const raw = await kubectl(config, ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
    const list = JSON.parse(raw.stdout) as { kind: string; items: { metadata: { name: string }; usage: { cpu: string; memory: string } }[] };
    expect(list.kind).toBe('NodeMetricsList');
    expect(list.items.map((m) => [m.metadata.name, m.usage.cpu, m.usage.memory])).toEqual([
      ['cp1', '1500m', '4Gi'], ['w1', '250m', '1Gi'], ['w2', '500m', '2Gi'], ['w3', '500m', '2Gi'],
    ]);
    const top = await kubectl(config, ['top', 'nodes']);
    expect(top.stderr).toBe('');
    // Percentages are of allocatable; a node whose kubelet cannot be scraped has no metrics.
    expect(top.stdout).toBe(
      'NAME   CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   \n' +
      'cp1    1500m        37%         4096Mi          25%         \n' +
      'w1     250m         6%          1024Mi          6%          \n' +
      'w2     500m         12%         2048Mi          12%         \n' +
      'w3     500m         12%         2048Mi          12%         \n' +
      'w4     <unknown>    <unknown>   <unknown>       <unknown>   \n',
    );
    const pods = await kubectl(config, ['top', 'pods', '-A']);
    expect(pods.stderr).toBe('');
    expect(pods.stdout).toBe(
      'NAMESPACE     NAME                       CPU(cores)   MEMORY(bytes)   \n' +
      'kube-system   coredns-5d78c9869d-x2x8f   4m           18Mi            \n',
    );
  });

  it('lists pods and namespaces with the columns a cluster prints', async () => {
    const pods = await kubectl(config, ['get', 'pods', '-A', '-o', 'wide']);
    expect(pods.stdout).toBe(
      'NAMESPACE     NAME                       READY   STATUS    RESTARTS   AGE   IP            NODE   NOMINATED NODE   READINESS GATES\n' +
      'kube-system   coredns-5d78c9869d-x2x8f   1/1     Running   0          60m   10.244.0.10   cp1    <none>           <none>\n',
    );
    const namespaces = await kubectl(config, ['get', 'namespaces', '-o', 'name']);
    expect(namespaces.stdout).toBe('namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n');
  });

  it.each([
    ['token', 'admin', 'token'],
    ['cert', 'admin', 'certificate'],
    ['exec', 'exec-user', 'token'],
  ] as const)('authenticates kubectl with the %s context', async (context, user, via) => {
    const execConfig = await server.kubeconfig({ context, execToken: 'exec-token' });
    const before = server.requests.length;
    const r = await kubectl(execConfig, ['get', 'nodes', '-o', 'name']);
    expect(r.stdout).toBe('node/cp1\nnode/w1\nnode/w2\nnode/w3\nnode/w4\n');
    const seen = server.requests.slice(before).filter((q) => q.path.startsWith('/api/v1/nodes'));
    expect(seen.map((q) => [q.user, q.via])).toEqual([[user, via]]);
  });

  it('gives kubectl its "must be logged in" error for a bad token', async () => {
    const bad = await server.kubeconfig({ token: 'not-a-token' });
    // Discovery fails first, as against a real cluster: client-go words a 401 there its own way.
    const r = await kubectl(bad, ['get', 'nodes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/memcache\.go:\d+\] "Unhandled Error" err="couldn't get current server API group list: the server has asked for the client to provide credentials"/);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('error: You must be logged in to the server (the server has asked for the client to provide credentials)');
    // Without discovery, the Status the server sent is what kubectl quotes.
    const raw = await kubectl(bad, ['get', '--raw', '/api/v1/nodes']);
    expect(raw.stderr).toBe('error: You must be logged in to the server (Unauthorized)\n');
  });

  it('gives kubectl the RBAC Forbidden message for what a user may not do', async () => {
    const viewer = await server.kubeconfig({ token: 'viewer-token' });
    const proxy = await kubectl(viewer, ['get', '--raw', '/api/v1/nodes/cp1/proxy/metrics/resource']);
    expect(proxy.stderr).toBe('Error from server (Forbidden): nodes "cp1" is forbidden: User "viewer" cannot get resource "nodes/proxy" in API group "" at the cluster scope\n');
    const top = await kubectl(viewer, ['top', 'nodes']);
    expect(top.stderr).toBe('Error from server (Forbidden): nodes.metrics.k8s.io is forbidden: User "viewer" cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope\n');
    // The list is allowed, so the table prints; the watch after it is not.
    const watch = await kubectl(viewer, ['get', 'nodes', '--watch']);
    expect(watch.stdout.split('\n')[0]).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION$/);
    expect(watch.stderr).toBe('Error from server (Forbidden): nodes is forbidden: User "viewer" cannot watch resource "nodes" in API group "" at the cluster scope\n');
  });

  it('streams a node added while `kubectl get nodes --watch` runs', async () => {
    const r = await kubectlUntil(config, ['get', 'nodes', '--watch'], /^w5 .*$/m, () => server.addNode({ name: 'w5', ageSeconds: 0 }));
    expect(r.stdout.split('\n').filter((l) => l.startsWith('w5'))).toEqual(['w5     Ready                      <none>          0s     v1.32.4']);
    server.deleteNode('w5');
  });
});

describe.runIf(requireBinary(KUBECTL))('the fake apiserver, read by the real kubectl, configured otherwise', () => {
  it('serves legacy discovery to a kubectl that asks for aggregated discovery, and kubectl falls back', async () => {
    const server = await startFakeApiServer({ nodes: [{ name: 'n1' }], aggregatedDiscovery: false });
    try {
      const r = await kubectl(await server.kubeconfig(), ['get', 'nodes', '-o', 'name']);
      expect(r.stdout).toBe('node/n1\n');
      const paths = server.requests.map((q) => q.path.replace(/\?.*/, ''));
      expect(paths).toEqual(expect.arrayContaining(['/api', '/apis', '/api/v1', '/apis/metrics.k8s.io/v1beta1']));
    } finally {
      await server.close();
    }
  });

  it('makes `kubectl top` say the metrics API is not there when it is not', async () => {
    const server = await startFakeApiServer({ nodes: [{ name: 'n1' }], metricsApi: false });
    try {
      const config = await server.kubeconfig();
      const top = await kubectl(config, ['top', 'nodes']);
      expect(top.code).toBe(1);
      expect(top.stderr).toBe('error: Metrics API not available\n');
      const raw = await kubectl(config, ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
      expect(raw.stderr).toBe('Error from server (NotFound): the server could not find the requested resource\n');
    } finally {
      await server.close();
    }
  });

  // The Cloud SDK's kubectl dispatches on the server's /version to the client of the same minor, installed
  // beside it: each of those must read the server alike, the older ones through aggregated discovery v2beta1.
  const versions = ['v1.27.16', 'v1.28.15', 'v1.30.10', 'v1.33.1'];
  const dispatcher = existsSync(KUBECTL) &&
    versions.every((v) => existsSync(join(dirname(realpathSync(KUBECTL)), `kubectl.1.${v.split('.')[1]}`)));
  describe.runIf(dispatcher)('with the kubectl the dispatcher picks', () => {
    it.each(versions)('reads nodes alike with the kubectl that goes with a %s server', async (version) => {
      const server = await startFakeApiServer({ version, nodes: [{ name: 'n1', roles: ['control-plane'] }] });
      try {
        const config = await server.kubeconfig();
        const client = await kubectl(config, ['version', '-o', 'json']);
        const minor = version.split('.')[1];
        expect((JSON.parse(client.stdout) as { clientVersion: { minor: string } }).clientVersion.minor).toBe(minor);
        const r = await kubectl(config, ['get', 'nodes']);
        expect(r.stdout).toBe(`NAME   STATUS   ROLES           AGE   VERSION\nn1     Ready    control-plane   5d    ${version}\n`);
        const accepts = server.requests.filter((q) => q.path.startsWith('/apis?')).map((q) => q.accept);
        expect(accepts[0]).toMatch(Number(minor) < 30 ? /v=v2beta1;as=APIGroupDiscoveryList/ : /v=v2;as=APIGroupDiscoveryList/);
      } finally {
        await server.close();
      }
    });
  });
});
