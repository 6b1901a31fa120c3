/** A small Kubernetes cluster for UI tests: kubelet-sourced nodes with Node facts and pods, made by hand. */
import type { KubeNodeInfo, PodFigures } from '../../src/metrics/kube-figures.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { makeFigures, NOW, upHealth, type FigureOptions } from './fixtures.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
export const ZONE = 'topology.kubernetes.io/zone';
export const INSTANCE_TYPE = 'node.kubernetes.io/instance-type';

export function kubeInfo(o: Partial<KubeNodeInfo> = {}): KubeNodeInfo {
  return {
    roles: ['worker'],
    ready: true,
    problems: [],
    cordoned: false,
    capacity: { cpuCores: 4, memoryBytes: 16 * GiB, pods: 110 },
    allocatable: { cpuCores: 3.5, memoryBytes: 14 * GiB, pods: 110 },
    kubeletVersion: 'v1.29.3',
    internalIP: '10.0.1.10',
    createdAtMs: NOW - 12 * 86400_000,
    labels: {},
    ...o,
  };
}

export function pod(namespace: string, name: string, cpuCores: number | null, memoryBytes: number | null, containers: readonly [string, number, number][] = []): PodFigures {
  return { namespace, name, cpuCores, memoryBytes, containers: containers.map(([n, cpu, mem]) => ({ name: n, cpuCores: cpu, memoryBytes: mem })) };
}

/** worker-1's pods: web-0 is the busiest CPU, prometheus-0 the biggest memory, job-x has no figures yet. */
export const WORKER_PODS: readonly PodFigures[] = [
  pod('kube-system', 'coredns-7db6d8ff4d-abcde', 0.25, 100 * MiB, [['coredns', 0.25, 100 * MiB]]),
  pod('default', 'web-0', 1.25, 50 * MiB, [['nginx', 1, 30 * MiB], ['sidecar', 0.25, 20 * MiB]]),
  pod('monitoring', 'prometheus-0', 0.5, 2 * GiB, [['prometheus', 0.45, 2 * GiB - 10 * MiB], ['config-reloader', 0.05, 10 * MiB]]),
  pod('default', 'job-x', null, null),
];

/** Pods enough to scroll at any size: filler-N uses N millicores. */
export function fillerPods(count: number): PodFigures[] {
  return Array.from({ length: count }, (_, i) => pod('batch', `filler-${i + 1}`, (i + 1) / 1000, (i + 1) * MiB, [['main', (i + 1) / 1000, (i + 1) * MiB]]));
}

export interface KubeNodeSpec {
  readonly name: string;
  readonly figures: FigureOptions;
  readonly kube: Partial<KubeNodeInfo>;
  readonly pods: readonly PodFigures[] | null;
}

export const KUBE_NODES: readonly KubeNodeSpec[] = [
  { name: 'cp-1', figures: { cpu: 30, mem: 40 }, kube: { roles: ['control-plane'], labels: { [ZONE]: 'zone-a' } }, pods: [pod('kube-system', 'etcd-cp-1', 0.3, 300 * MiB)] },
  { name: 'worker-1', figures: { cpu: 70, mem: 50 }, kube: { labels: { [ZONE]: 'zone-a', [INSTANCE_TYPE]: 'm5.large' } }, pods: WORKER_PODS },
  { name: 'worker-2', figures: { cpu: 10, mem: 20 }, kube: { ready: false, labels: { [ZONE]: 'zone-b' } }, pods: [] },
  {
    name: 'worker-3',
    figures: { cpu: 50, mem: 95 },
    kube: { cordoned: true, problems: ['MemoryPressure'], labels: { [ZONE]: 'zone-a', [INSTANCE_TYPE]: 'm5.xlarge' } },
    pods: fillerPods(3),
  },
  { name: 'infra-1', figures: { cpu: 20, mem: 30 }, kube: { roles: [], labels: { [ZONE]: 'zone-b' } }, pods: null },
];

export const idOf = (name: string): string => `https://${name}:10250/metrics/resource`;

/** Kubelet-sourced nodes, `points` history rows a second apart, the last at NOW. */
export function buildKubeStore(points = 5, nodes: readonly KubeNodeSpec[] = KUBE_NODES): ClusterStore {
  const store = new ClusterStore(60);
  for (const n of nodes) store.upsert({ id: idOf(n.name), name: n.name, target: idOf(n.name), source: 'kubelet' });
  for (let p = points - 1; p >= 0; p--) {
    const at = NOW - p * 1000;
    for (const n of nodes) store.record(idOf(n.name), at, { name: n.name, source: 'kubelet', figures: makeFigures(n.figures), health: upHealth(at) });
    store.appendClusterPoint(at);
  }
  nodes.forEach((n, i) => {
    store.setKube(idOf(n.name), kubeInfo({ internalIP: `10.0.1.${10 + i}`, ...n.kube }));
    store.setPods(idOf(n.name), n.pods);
  });
  return store;
}
