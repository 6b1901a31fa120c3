import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, getJson, send } from './client.js';
import { startFakeApiServer, type FakeApiServer, type Node, type Pod, type Status, type Table } from './fake-apiserver/index.js';

/** The fake apiserver's HTTP surface, read directly: discovery, authentication, authorization, objects, errors. */

interface List<T> {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

describe('fake apiserver: HTTP API', () => {
  let server: FakeApiServer;

  beforeAll(async () => {
    server = await startFakeApiServer({
      nodes: [{ name: 'a', roles: ['control-plane'] }, { name: 'b', unschedulable: true }, { name: 'c', ready: false, labels: { pool: 'gpu' } }],
      pods: [
        { name: 'web-1', node: 'b' },
        { name: 'web-2', node: 'c' },
        { name: 'dns', namespace: 'kube-system', node: 'a' },
      ],
      users: [
        { name: 'admin', token: 'admin-token' },
        { name: 'viewer', token: 'viewer-token', rules: [{ verbs: ['get', 'list'], resources: ['nodes'] }] },
      ],
    });
  });
  afterAll(() => server?.close());

  it('answers discovery, legacy and aggregated', async () => {
    expect(await getJson(server, '/version')).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.4' });
    expect(await getJson(server, '/api')).toEqual({
      kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${server.port}` }],
    });
    const groups = await getJson<{ groups: { name: string }[] }>(server, '/apis');
    expect(groups.groups.map((g) => g.name)).toEqual(['metrics.k8s.io']);
    const core = await getJson<{ resources: { name: string }[] }>(server, '/api/v1');
    expect(core.resources.map((r) => r.name)).toEqual(['namespaces', 'nodes', 'nodes/proxy', 'nodes/status', 'pods']);
    const aggregated = await get(server, '/api', undefined, AGGREGATED);
    expect(aggregated.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const nodes = (JSON.parse(aggregated.body) as { items: { versions: { resources: { resource: string; subresources?: { subresource: string }[] }[] }[] }[] })
      .items[0]?.versions[0]?.resources.find((r) => r.resource === 'nodes');
    expect(nodes?.subresources?.map((s) => s.subresource)).toEqual(['proxy', 'status']);
  });

  it('answers 401 with the apiserver\'s Status for missing or unknown credentials', async () => {
    const unauthorized = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
    for (const creds of [{}, { token: 'nope' }]) {
      const r = await get(server, '/api/v1/nodes', creds);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toEqual(unauthorized);
    }
    const byCert = await get(server, '/api/v1/nodes', { cert: true });
    expect(byCert.status).toBe(200);
    expect(server.requests.at(-1)).toMatchObject({ user: 'admin', via: 'certificate' });
  });

  it('answers 403 with RBAC\'s Forbidden Status for what a user may not do', async () => {
    const viewer = { token: 'viewer-token' };
    expect((await get(server, '/api/v1/nodes', viewer)).status).toBe(200);
    const proxy = await get(server, '/api/v1/nodes/a/proxy/metrics/resource', viewer);
    expect(proxy.status).toBe(403);
    expect(JSON.parse(proxy.body)).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'nodes "a" is forbidden: User "viewer" cannot get resource "nodes/proxy" in API group "" at the cluster scope',
      reason: 'Forbidden', details: { name: 'a', kind: 'nodes' }, code: 403,
    });
    const watch = await get(server, '/api/v1/nodes?watch=1', viewer);
    expect((JSON.parse(watch.body) as Status).message).toBe('nodes is forbidden: User "viewer" cannot watch resource "nodes" in API group "" at the cluster scope');
    const pods = await get(server, '/api/v1/namespaces/default/pods', viewer);
    expect((JSON.parse(pods.body) as Status).message).toBe('pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('serves Node objects in the shape the API has', async () => {
    const list = await getJson<List<Node>>(server, '/api/v1/nodes');
    expect(list).toMatchObject({ kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: server.resourceVersion() } });
    const [a, b, c] = list.items;
    expect(a?.metadata.labels).toMatchObject({ 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'a' });
    expect(a?.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(a?.status.capacity).toMatchObject({ cpu: '4', memory: '16323552Ki', pods: '110' });
    expect(a?.status.allocatable.memory).toBe('16221152Ki');
    expect(a?.status.conditions.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'], ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'], ['Ready', 'True', 'KubeletReady'],
    ]);
    expect(a?.status.addresses).toEqual([{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'a' }]);
    expect(a?.status.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.4', architecture: 'amd64', operatingSystem: 'linux' });
    expect(b?.spec.unschedulable).toBe(true);
    expect(c?.status.conditions.at(-1)).toMatchObject({ type: 'Ready', status: 'False', reason: 'KubeletNotReady' });
    const one = await getJson<Node & { kind: string }>(server, '/api/v1/nodes/a');
    expect(one).toEqual({ kind: 'Node', apiVersion: 'v1', ...a });
  });

  it('pages a list with limit and continue, and filters by label and field', async () => {
    const first = await getJson<List<Node>>(server, '/api/v1/nodes?limit=2');
    expect(first.items.map((n) => n.metadata.name)).toEqual(['a', 'b']);
    expect(first.metadata.remainingItemCount).toBe(1);
    const rest = await getJson<List<Node>>(server, `/api/v1/nodes?limit=2&continue=${encodeURIComponent(first.metadata.continue ?? '')}`);
    expect(rest.items.map((n) => n.metadata.name)).toEqual(['c']);
    expect(rest.metadata.continue).toBeUndefined();
    const gpu = await getJson<List<Node>>(server, '/api/v1/nodes?labelSelector=pool%3Dgpu');
    expect(gpu.items.map((n) => n.metadata.name)).toEqual(['c']);
    const named = await getJson<List<Node>>(server, '/api/v1/nodes?fieldSelector=metadata.name%3Db');
    expect(named.items.map((n) => n.metadata.name)).toEqual(['b']);
    // A token from before a compaction cannot continue: the client has to list again.
    server.modifyNode('a', {});
    server.compact();
    const stale = await get(server, `/api/v1/nodes?limit=2&continue=${encodeURIComponent(first.metadata.continue ?? '')}`);
    expect(stale.status).toBe(410);
    expect(JSON.parse(stale.body)).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  });

  it('serves pods, all of them, by namespace, and by node', async () => {
    const names = (l: List<Pod>): string[] => l.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names(await getJson<List<Pod>>(server, '/api/v1/pods'))).toEqual(['default/web-1', 'default/web-2', 'kube-system/dns']);
    expect(names(await getJson<List<Pod>>(server, '/api/v1/namespaces/kube-system/pods'))).toEqual(['kube-system/dns']);
    const onC = await getJson<List<Pod>>(server, '/api/v1/pods?fieldSelector=spec.nodeName%3Dc');
    expect(names(onC)).toEqual(['default/web-2']);
    expect(onC.items[0]).toMatchObject({ spec: { nodeName: 'c' }, status: { phase: 'Running', hostIP: '10.0.0.3' } });
    const bad = await get(server, '/api/v1/pods?fieldSelector=spec.color%3Dred');
    expect(bad.status).toBe(400);
    expect((JSON.parse(bad.body) as Status).message).toBe('field label not supported: spec.color');
  });

  it('prints tables when asked, as kubectl asks', async () => {
    const r = await get(server, '/api/v1/nodes', undefined, TABLE);
    expect(r.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    const table = JSON.parse(r.body) as Table;
    expect(table.columnDefinitions?.map((c) => c.name)).toEqual([
      'Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime',
    ]);
    expect(table.rows.map((row) => row.cells.slice(0, 5))).toEqual([
      ['a', 'Ready', 'control-plane', '5d', 'v1.32.4'],
      ['b', 'Ready,SchedulingDisabled', '<none>', '5d', 'v1.32.4'],
      ['c', 'NotReady', '<none>', '5d', 'v1.32.4'],
    ]);
    expect(table.rows[0]?.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'a' } });
  });

  it('answers NotFound and MethodNotAllowed in the Status shape', async () => {
    const missing = await get(server, '/api/v1/nodes/zz');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'nodes "zz" not found', reason: 'NotFound',
      details: { name: 'zz', kind: 'nodes' }, code: 404,
    });
    const nowhere = await get(server, '/api/v1/widgets');
    expect(JSON.parse(nowhere.body)).toMatchObject({ status: 'Failure', reason: 'NotFound', message: 'the server could not find the requested resource', code: 404 });
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await send(server, method, '/api/v1/nodes/a');
      expect(r.status).toBe(405);
      expect(JSON.parse(r.body)).toMatchObject({ reason: 'MethodNotAllowed', code: 405 });
    }
  });
});
