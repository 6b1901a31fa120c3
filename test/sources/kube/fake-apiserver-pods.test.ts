/**
 * The fake's Pod objects with GPUs, restarts and states, read by the real kubectl: the columns it
 * prints (a waiting container's reason as the status, restarts with how long ago the last ended)
 * and the fields as the API server defaults them (a limit without a request is requested at it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../../helpers/real-binary.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver/index.js';
import { KUBECTL, kubectl } from './kubectl.js';

describe.runIf(requireBinary(KUBECTL))('the fake apiserver\'s pods, read by the real kubectl', () => {
  let server: FakeApiServer;
  let config: string;

  beforeAll(async () => {
    server = await startFakeApiServer({
      nodes: [{ name: 'g1', gpus: { capacity: 8, allocatable: 7 } }],
      pods: [
        { name: 'train-0', namespace: 'ml', node: 'g1', containers: [{ name: 'trainer', resources: { limits: { 'nvidia.com/gpu': '4', cpu: '8', memory: '64Gi' } } }] },
        { name: 'notebook', namespace: 'lab', node: 'g1', containers: [{ name: 'jupyter', resources: { limits: { 'nvidia.com/gpu': '1' } }, restartCount: 3, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=jupyter' } }] },
        { name: 'queued', namespace: 'ml', node: 'g1', phase: 'Pending', containers: [{ name: 'trainer', resources: { limits: { 'amd.com/gpu': '2' } } }] },
      ],
    });
    config = await server.kubeconfig();
  });
  afterAll(() => server?.close());

  it('prints the status, restarts and readiness a cluster prints', async () => {
    const r = await kubectl(config, ['get', 'pods', '-A']);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/^NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE$/),
      expect.stringMatching(/^lab +notebook +0\/1 +CrashLoopBackOff +3 \(60s ago\) +60m$/),
      expect.stringMatching(/^ml +queued +0\/1 +ContainerCreating +0 +60m$/),
      expect.stringMatching(/^ml +train-0 +1\/1 +Running +0 +60m$/),
      '',
    ]);
  });

  it('holds the GPU limits, defaulted requests, QoS class and container states in the objects', async () => {
    const r = await kubectl(config, ['get', 'pods', '-A', '-o', 'json']);
    const pods = (JSON.parse(r.stdout) as { items: { metadata: { name: string }; spec: { containers: { resources: unknown }[] }; status: { qosClass: string; containerStatuses: { restartCount: number; state: unknown; lastState: unknown }[] } }[] }).items;
    const byName = new Map(pods.map((p) => [p.metadata.name, p]));
    expect(byName.get('train-0')!.spec.containers[0]!.resources).toEqual({
      limits: { 'nvidia.com/gpu': '4', cpu: '8', memory: '64Gi' },
      requests: { 'nvidia.com/gpu': '4', cpu: '8', memory: '64Gi' },
    });
    expect(byName.get('train-0')!.status.qosClass).toBe('Guaranteed');
    // Extended resources alone do not count for the QoS class, as in the captured reservation pod.
    expect(byName.get('notebook')!.status.qosClass).toBe('BestEffort');
    const notebook = byName.get('notebook')!.status.containerStatuses[0]!;
    expect(notebook.restartCount).toBe(3);
    expect(notebook.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=jupyter' } });
    expect(notebook.lastState).toMatchObject({ terminated: { exitCode: 1, reason: 'Error' } });
    const gpus = await kubectl(config, ['get', 'pod', 'queued', '-n', 'ml', '-o', 'jsonpath={.spec.containers[0].resources.requests.amd\\.com/gpu}']);
    expect(gpus.stdout).toBe('2');
  });

  it('lists the unfinished pods with the scheduler\'s field selector, and sees a restart as MODIFIED', async () => {
    server.modifyPod('train-0', { phase: 'Succeeded' }, 'ml');
    const r = await kubectl(config, ['get', 'pods', '-A', '--field-selector', 'status.phase!=Succeeded,status.phase!=Failed', '-o', 'name']);
    expect(r.stdout).toBe('pod/notebook\npod/queued\n');
    server.modifyPod('notebook', { containers: [{ name: 'jupyter', restartCount: 4 }] }, 'lab');
    const n = await kubectl(config, ['get', 'pod', 'notebook', '-n', 'lab', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']);
    expect(n.stdout).toBe('4');
  });
});
