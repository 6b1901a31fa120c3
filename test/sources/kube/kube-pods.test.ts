/**
 * The Pod objects through the kube source: GPUs the pods hold (their nvidia.com/gpu limits) against
 * the node's allocatable and capacity, restarts, pods without figures (pending, crash-looping), the
 * watch keeping them current, and a viewer who may not list pods.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeSource } from '../../../src/sources/kube/kube-source.js';
import { KubeApi } from '../../../src/sources/kube/api-client.js';
import { Credentials } from '../../../src/sources/kube/credentials.js';
import { loadKubeconfig } from '../../../src/sources/kube/kubeconfig.js';
import { KubePods } from '../../../src/sources/kube/kube-pods.js';
import { startFakeApiServer, type FakeApiServer, type PodSpec, type UserSpec } from './fake-apiserver/index.js';
import { kubeSource, nodeNamed, T, WAIT } from './kube-helpers.js';

const GPU = (n: number) => ({ limits: { 'nvidia.com/gpu': String(n) } });

const PODS: PodSpec[] = [
  // Limits alone, as manifests give them: the API server copies them into requests.
  { name: 'train-0', namespace: 'ml', node: 'g1', containers: [{ name: 'trainer', resources: { limits: { 'nvidia.com/gpu': '4', cpu: '8', memory: '64Gi' } } }, { name: 'sidecar', cpuCores: 0.01 }] },
  { name: 'notebook', namespace: 'lab', node: 'g1', containers: [{ name: 'jupyter', resources: GPU(1), restartCount: 3, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } }] },
  { name: 'queued', namespace: 'ml', node: 'g1', phase: 'Pending', containers: [{ name: 'trainer', resources: GPU(2) }] },
  { name: 'web', node: 'n1', containers: [{ name: 'app', restartCount: 1 }, { name: 'proxy', restartCount: 2 }] },
];

let server: FakeApiServer | undefined;
let source: KubeSource | undefined;
afterEach(async () => {
  await source?.stop();
  await server?.close();
  source = server = undefined;
});

async function cluster(users?: UserSpec[]): Promise<FakeApiServer> {
  return startFakeApiServer({ startTime: T, nodes: [{ name: 'g1', gpus: { capacity: 8, allocatable: 7 } }, { name: 'n1' }], pods: PODS, ...(users ? { users } : {}) });
}

const pod = (s: KubeSource, node: string, name: string) => s.store.get(node)?.pods?.find((p) => p.name === name);

describe('KubeSource: the Pod objects', () => {
  it('counts the GPUs the pods hold, and shows restarts and pods the kubelet has no figures of', async () => {
    server = await cluster();
    source = await kubeSource(server);
    await source.collectOnce();
    const g1 = source.store.get('g1')!;
    // 4 + 1 + the pending pod's 2: the scheduler counts a pod bound to the node until it finishes.
    expect(g1.kube).toMatchObject({ capacity: { gpus: 8 }, allocatable: { gpus: 7 }, allocatedGpus: 7 });
    expect(pod(source, 'g1', 'train-0')).toMatchObject({ namespace: 'ml', phase: 'Running', gpus: 4, restarts: 0, memoryBytes: expect.any(Number) });
    expect(pod(source, 'g1', 'train-0')?.containers.map((c) => c.name).sort()).toEqual(['sidecar', 'trainer']);
    expect(pod(source, 'g1', 'notebook')).toMatchObject({ gpus: 1, restarts: 3 });
    // Pending: the kubelet runs nothing of it, so no figures, but it is there.
    expect(pod(source, 'g1', 'queued')).toEqual({ namespace: 'ml', name: 'queued', cpuCores: null, memoryBytes: null, containers: [], phase: 'Pending', gpus: 2, restarts: 0 });
    expect(pod(source, 'n1', 'web')).toMatchObject({ gpus: 0, restarts: 3 });
    expect(source.store.get('n1')!.kube?.allocatedGpus).toBe(0);
    expect(nodeNamed(source, 'g1').kubernetes).toMatchObject({ allocatedGpus: 7, podCount: 3 });
    expect(source.notice).toBeUndefined();
    // Finished pods hold nothing and are not asked for: the scheduler's own selector.
    expect(server.requests.some((r) => r.path.startsWith('/api/v1/pods?') && decodeURIComponent(r.path).includes('fieldSelector=status.phase!=Succeeded,status.phase!=Failed'))).toBe(true);
  });

  it('follows the watch: a restart, a pod that goes, one that comes, and a relist after 410 Expired', { timeout: 20_000 }, async () => {
    server = await cluster();
    source = await kubeSource(server);
    source.start();
    await expect.poll(() => source!.store.get('g1')?.kube?.allocatedGpus, WAIT).toBe(7);
    server.modifyPod('notebook', { containers: [{ name: 'jupyter', resources: GPU(1), restartCount: 4 }] }, 'lab');
    await expect.poll(() => pod(source!, 'g1', 'notebook')?.restarts, WAIT).toBe(4);
    server.deletePod('queued', 'ml');
    await expect.poll(() => source!.store.get('g1')?.kube?.allocatedGpus, WAIT).toBe(5);
    expect(pod(source, 'g1', 'queued')).toBeUndefined();
    // A pod that finishes leaves the selector: the watch says DELETED, its GPUs are free.
    server.modifyPod('train-0', { phase: 'Succeeded' }, 'ml');
    await expect.poll(() => source!.store.get('g1')?.kube?.allocatedGpus, WAIT).toBe(1);
    // History gone: the watch gets 410 Expired and the pods are listed anew.
    server.compact();
    server.addPod({ name: 'train-1', namespace: 'ml', node: 'g1', containers: [{ name: 'trainer', resources: GPU(6) }] });
    server.breakWatches();
    await expect.poll(() => source!.store.get('g1')?.kube?.allocatedGpus, WAIT).toBe(7);
  });

  it('re-lists the pods for a viewer who may list but not watch them', { timeout: 20_000 }, async () => {
    server = await cluster([{ name: 'lister', token: 'lister-token', rules: [{ verbs: ['get', 'list', 'watch'], resources: ['nodes', 'nodes/proxy'] }, { verbs: ['list'], resources: ['pods'] }] }]);
    source = await kubeSource(server, { config: { token: 'lister-token' } });
    source.start();
    await expect.poll(() => source!.store.get('g1')?.kube?.allocatedGpus, WAIT).toBe(7);
    expect(pod(source, 'g1', 'notebook')?.restarts).toBe(3);
    expect(source.notice).toBeUndefined();
  });

  it('works for a viewer who may not list pods: the kubelet pods stay, no GPUs allocated, one notice', async () => {
    server = await cluster([{ name: 'viewer', token: 'viewer-token', rules: [{ verbs: ['get', 'list', 'watch'], resources: ['nodes', 'nodes/proxy'] }] }]);
    source = await kubeSource(server, { config: { token: 'viewer-token' } });
    await source.collectOnce();
    expect(source.notice).toBe('no GPUs allocated or restarts: not allowed to list and watch pods');
    const g1 = source.store.get('g1')!;
    expect(g1.kube?.allocatedGpus).toBeUndefined();
    expect(g1.kube?.allocatable.gpus).toBe(7);
    expect(g1.pods?.map((p) => p.name).sort()).toEqual(['notebook', 'train-0']);
    expect(g1.pods?.every((p) => p.restarts === undefined && p.gpus === undefined)).toBe(true);
    expect(nodeNamed(source, 'g1').kubernetes).toMatchObject({ allocatedGpus: null, podCount: 2 });
  });

  it('hands on a node only when what is kept of its pods changed, once per burst', { timeout: 20_000 }, async () => {
    server = await cluster();
    const api = new KubeApi(new Credentials(await loadKubeconfig({ path: await server.kubeconfig(), env: {} })), 5000);
    const bursts: string[][] = [];
    const pods = new KubePods(api, (nodes) => bursts.push([...nodes].sort()), () => 60_000);
    try {
      pods.start();
      await expect.poll(() => bursts.length, WAIT).toBe(1);
      expect(bursts[0]).toEqual(['g1', 'n1']);
      // A status update that changes nothing kept (new container IDs, a new resourceVersion): nothing handed on.
      server.modifyPod('web', {});
      server.modifyPod('notebook', { containers: [{ name: 'jupyter', resources: GPU(1), restartCount: 5 }] }, 'lab');
      await expect.poll(() => bursts.length, WAIT).toBe(2);
      expect(bursts[1]).toEqual(['g1']);
      expect(pods.on('g1')?.get('lab/notebook')).toEqual({ phase: 'Running', gpus: 1, restarts: 5 });
    } finally {
      await pods.stop();
      await api.close();
    }
  });
});
