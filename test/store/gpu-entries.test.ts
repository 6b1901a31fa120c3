import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { gpuTotals, MAX_GPUS_PER_NODE } from '../../src/store/gpu-entries.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { GpuReader, type GpuFigures } from '../../src/metrics/gpu.js';

const busyT4 = readFileSync(new URL('../fixtures/gpu/dcgm-ericsson-t4-busy.metrics', import.meta.url), 'utf8');
const idleL4 = readFileSync(new URL('../fixtures/gpu/dcgm-kops-l4.metrics', import.meta.url), 'utf8');
const gpusOf = (text: string): GpuFigures[] => new GpuReader().read(parseExposition(text).samples, 0)!;

describe("the store's GPUs", () => {
  it('keeps one ring per GPU across refreshes, utilisation and memory %, and drops a GPU no longer reported', () => {
    const store = new ClusterStore(3);
    const node = store.upsert({ id: 'a', name: 'a', target: 'http://a:9100/metrics' });
    expect(node.gpus).toBeNull();
    const [t4] = gpusOf(busyT4);
    const [l4] = gpusOf(idleL4);
    store.recordGpus('a', 1000, [t4!, l4!]);
    const ring = node.gpus!.gpus[0]!.history;
    store.recordGpus('a', 2000, [t4!]);
    expect(node.gpus!.gpus).toHaveLength(1);
    expect(node.gpus!.gpus[0]!.history).toBe(ring);
    expect(ring.tail('util')).toEqual([91, 91]);
    expect(ring.tail('memory')[1]).toBeCloseTo((100 * 5120) / 15358, 4);
    store.recordGpusDown('a', 3000, 'connection refused');
    expect(node.gpus!.error).toBe('connection refused');
    expect(ring.tail('util')).toEqual([91, 91, NaN]);
    expect(node.gpus!.gpus[0]!.figures.utilizationPercent).toBe(91); // the last figures stay
    store.recordGpus('a', 4000, null);
    expect(node.gpus).toBeNull();
  });

  it('bounds the GPUs of a node and costs 16 bytes per GPU per row (a float64 time and two float32)', () => {
    const store = new ClusterStore(300);
    const node = store.upsert({ id: 'a', name: 'a', target: 't' });
    const [t4] = gpusOf(busyT4);
    const many = Array.from({ length: 100 }, (_, i) => ({ ...t4!, key: `k${i}`, index: i }));
    store.recordGpus('a', 1, many);
    expect(node.gpus!.gpus).toHaveLength(MAX_GPUS_PER_NODE);
    expect(store.bytesPerGpu()).toBe(300 * 16);
  });

  it('makes text from the exporter visible before it is kept', () => {
    const store = new ClusterStore(3);
    const node = store.upsert({ id: 'a', name: 'a', target: 't' });
    const [t4] = gpusOf(busyT4.replaceAll('Tesla T4', 'Tesla\u001b[2JT4'));
    store.recordGpus('a', 1, [{ ...t4!, processes: [{ pid: 1, name: 'evil\u0007', memoryBytes: 1 }] }]);
    const g = node.gpus!.gpus[0]!.figures;
    expect(g.model).not.toContain('\u001b');
    expect(g.processes![0]!.name).not.toContain('\u0007');
  });

  it('counts busy and idle GPUs over the cluster (idle: below 5 %)', () => {
    const [t4] = gpusOf(busyT4);
    const [l4] = gpusOf(idleL4);
    const store = new ClusterStore(3);
    store.upsert({ id: 'a', name: 'a', target: 't' });
    store.upsert({ id: 'b', name: 'b', target: 't' });
    store.recordGpus('a', 1, [t4!, l4!]);
    store.recordGpus('b', 1, [{ ...l4!, key: 'x', utilizationPercent: null }]);
    expect(gpuTotals(store.nodes())).toEqual({ total: 3, busy: 1, idle: 1, meanUtilizationPercent: 45.5, idleHeld: 0, allocation: null });
  });

  it('counts idle GPUs the pods hold, and the GPUs held of allocatable, where Kubernetes says', () => {
    const store = new ClusterStore(3);
    store.upsert({ id: 'a', name: 'a', target: 't' });
    store.upsert({ id: 'b', name: 'b', target: 't' });
    const [l4] = gpusOf(idleL4);
    store.recordGpus('a', 1, [l4!, { ...l4!, key: 'y' }]);
    const resources = (gpus?: number) => ({ cpuCores: 8, memoryBytes: 2 ** 34, pods: 110, ...(gpus === undefined ? {} : { gpus }) });
    const kube = (allocatable: number | undefined, allocatedGpus?: number) => ({
      roles: [], ready: true, problems: [], cordoned: false, capacity: resources(allocatable), allocatable: resources(allocatable),
      kubeletVersion: 'v1.32.4', internalIP: null, createdAtMs: 0, labels: {}, ...(allocatedGpus === undefined ? {} : { allocatedGpus }),
    });
    // Two idle L4s, one held by the node's pods (the exporter maps none): one idle held.
    store.setKube('a', kube(2, 1));
    // A GPU node no exporter describes: its allocation counts all the same.
    store.setKube('b', kube(4, 4));
    expect(gpuTotals(store.nodes())).toMatchObject({ total: 2, idle: 2, idleHeld: 1, allocation: { held: 5, allocatable: 6 } });
    // Without the pods listed, nothing is known to be held.
    store.setKube('a', kube(2));
    store.setKube('b', kube(undefined));
    expect(gpuTotals(store.nodes())).toMatchObject({ idleHeld: 0, allocation: null });
  });
});
