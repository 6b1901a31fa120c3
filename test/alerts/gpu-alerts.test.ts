import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gpuAlertValue } from '../../src/alerts/gpu-columns.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { GpuReader } from '../../src/metrics/gpu.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { runMain } from '../security/hostile.js';

const read = (name: string) =>
  new GpuReader().read(parseExposition(readFileSync(new URL(`../fixtures/gpu/${name}`, import.meta.url), 'utf8')).samples, 0)!;

describe('the GPU columns of the built-in alerts', () => {
  it('read the captured payloads: no XID, no lost rows, the hottest GPU, nothing idle while held', () => {
    const store = new ClusterStore(3);
    store.upsert({ id: 'a', name: 'a', target: 't' });
    store.recordGpus('a', 1, [...read('dcgm-datadog-t4.metrics'), ...read('dcgm-ericsson-t4-busy.metrics')]);
    const gpus = store.get('a')!.gpus;
    expect(gpuAlertValue(gpus, 'gpu_temp')).toBe(74);
    expect(gpuAlertValue(gpus, 'gpu_xid')).toBe(0);
    // The Datadog A10G is held by pod ray-1111111 but reports no utilisation: not counted idle.
    expect(gpuAlertValue(gpus, 'gpu_idle_allocated')).toBe(0);
    expect(gpuAlertValue(null, 'gpu_temp')).toBeNull();
    store.recordGpus('a', 2, read('dcgm-kops-l4.metrics'));
    expect(gpuAlertValue(store.get('a')!.gpus, 'gpu_row_remap')).toBe(0);
    // nvidia_gpu_exporter's H100 at 100 % with three processes is busy, not idle.
    store.recordGpus('a', 3, read('nvidia-gpu-exporter-h100-80gb-hbm3-590.48.01-load.metrics'));
    expect(gpuAlertValue(store.get('a')!.gpus, 'gpu_idle_allocated')).toBe(0);
    expect(gpuAlertValue(store.get('a')!.gpus, 'gpu_xid')).toBeNull(); // nvidia-smi reports no XID
  });

  it('count an idle GPU as held where the pods hold GPUs the exporter does not map, and not for a pod gone', () => {
    const store = new ClusterStore(3);
    store.upsert({ id: 'a', name: 'a', target: 't' });
    // kops' L4: one GPU at 0 %, no pod labels (the exporter runs without the kubelet's pod mapping).
    store.recordGpus('a', 1, read('dcgm-kops-l4.metrics'));
    const gpus = store.get('a')!.gpus;
    const pods = [{ namespace: 'ml', name: 'train-0', cpuCores: null, memoryBytes: null, containers: [], gpus: 1 }];
    expect(gpuAlertValue(gpus, 'gpu_idle_allocated')).toBe(0);
    expect(gpuAlertValue(gpus, 'gpu_idle_allocated', { kube: { allocatedGpus: 1 }, pods })).toBe(1);
    expect(gpuAlertValue(gpus, 'gpu_idle_allocated', { kube: { allocatedGpus: 0 }, pods: [] })).toBe(0);
    // The same GPU mapped by dcgm-exporter's labels to a pod: held while that pod runs, free once it is gone.
    const text = readFileSync(new URL('../fixtures/gpu/dcgm-kops-l4.metrics', import.meta.url), 'utf8').replace(/^(DCGM_FI_DEV_\w+\{)/gm, '$1pod="train-0",namespace="ml",container="trainer",');
    store.recordGpus('a', 2, new GpuReader().read(parseExposition(text).samples, 0)!);
    const mapped = store.get('a')!.gpus;
    expect(mapped!.gpus[0]!.figures.pod).toEqual({ namespace: 'ml', pod: 'train-0', container: 'trainer' });
    expect(gpuAlertValue(mapped, 'gpu_idle_allocated', { kube: { allocatedGpus: 1 }, pods })).toBe(1);
    expect(gpuAlertValue(mapped, 'gpu_idle_allocated', { kube: { allocatedGpus: 0 }, pods: [] })).toBe(0);
    expect(gpuAlertValue(mapped, 'gpu_idle_allocated')).toBe(1);
  });

  it("fire in the demo's GPU pool: the XID, the hot GPU and the idle allotment (a snapshot ignores `for`)", { timeout: 30_000 }, async () => {
    const r = await runMain(['--demo', '12', '--seed', '1', '-i', '1s', '--once', '-o', 'json']);
    const alerts = (JSON.parse(r.stdout) as { alerts: { name: string; node: string; value: number }[] }).alerts.filter((a) => a.name.startsWith('gpu_'));
    const byName = (name: string) => alerts.filter((a) => a.name === name).map((a) => [a.node, a.value]);
    // dgx-a100-04's GPU 5 raised XID 79 and stopped, still held by its pod: idle while held too.
    expect(byName('gpu_idle_allocated').sort()).toEqual([
      ['dgx-a100-02', 8],
      ['dgx-a100-04', 1],
    ]);
    expect(byName('gpu_xid')).toEqual([['dgx-a100-04', 1]]);
    expect(byName('gpu_temp')).toEqual([['dgx-a100-03', expect.any(Number)]]);
    expect(byName('gpu_temp')[0]![1]).toBeGreaterThan(85);
  });
});
