/** The detail's pod list without rendering: its order and the rows the selection moves over. */
import type { PodFigures } from '../../metrics/kube-figures.js';
import type { NodeGpus } from '../../store/gpu-entries.js';
import { naturalKey } from './table-model.js';
import { finite, firstPress, sortNullsLast, type SortState } from './sort-order.js';

export const POD_SORT_KEYS = ['cpu', 'memory', 'gpu', 'restarts', 'name'] as const;
export type PodSortKey = (typeof POD_SORT_KEYS)[number];

export type PodSortState = SortState<PodSortKey>;

/** As the node table: the busiest first, names A to Z. */
export function defaultPodSort(key: PodSortKey): PodSortState {
  return firstPress(key);
}

/** The next sort key; GPUs and restarts only where some pod has them (`pods` omitted: every key). */
export function nextPodSortKey(key: PodSortKey, pods?: readonly Pick<PodFigures, 'gpus' | 'restarts'>[]): PodSortKey {
  const offered = (k: PodSortKey): boolean =>
    pods === undefined || (k === 'gpu' ? pods.some((p) => (p.gpus ?? 0) > 0) : k === 'restarts' ? pods.some((p) => (p.restarts ?? 0) > 0) : true);
  let i = POD_SORT_KEYS.indexOf(key);
  for (let n = 0; n < POD_SORT_KEYS.length; n++) {
    i = (i + 1) % POD_SORT_KEYS.length;
    const next = POD_SORT_KEYS[i];
    if (next !== undefined && offered(next)) return next;
  }
  return 'cpu';
}

export interface PodRow {
  /** namespace/name: unique on a node, so the selection can follow its pod. */
  readonly id: string;
  readonly pod: PodFigures;
}

/**
 * Sorted rows. A pod without the figure (just started: a rate needs two readings) goes last in
 * both directions, and ties fall back to namespace/name so rows keep still between frames.
 */
export function sortPods(pods: readonly PodFigures[], sort: PodSortState): PodRow[] {
  const rows = pods.map((pod) => {
    const id = `${pod.namespace}/${pod.name}`;
    const value = sort.key === 'cpu' ? pod.cpuCores : sort.key === 'memory' ? pod.memoryBytes : sort.key === 'gpu' ? (pod.gpus ?? null) : sort.key === 'restarts' ? (pod.restarts ?? null) : null;
    return { row: { id, pod }, name: naturalKey(id), value: finite(value) };
  });
  type Decorated = (typeof rows)[number];
  const byName = (a: Decorated, b: Decorated): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return sortNullsLast(rows, sort.descending, sort.key === 'name', byName).map((r) => r.row);
}

/** The GPUs a pod holds and how busy they are: what its row's GPU cell shows. */
export interface PodGpuUse {
  /** From the Pod object (its limits); else the GPUs the exporter maps to the pod. */
  readonly count: number;
  /** Mean utilisation of the GPUs the exporter maps to the pod (dcgm-exporter's pod labels); null when none is mapped. */
  readonly utilizationPercent: number | null;
}

/** The exporter's GPUs by `namespace/pod`: their count and utilisation summed. */
export function gpusByPod(gpus: NodeGpus | null): ReadonlyMap<string, { count: number; sum: number; known: number }> {
  const out = new Map<string, { count: number; sum: number; known: number }>();
  for (const { figures: g } of gpus?.gpus ?? []) {
    if (!g.pod) continue;
    const key = `${g.pod.namespace}/${g.pod.pod}`;
    let use = out.get(key);
    if (!use) out.set(key, (use = { count: 0, sum: 0, known: 0 }));
    use.count++;
    if (g.utilizationPercent !== null) {
      use.sum += g.utilizationPercent;
      use.known++;
    }
  }
  return out;
}

/** null: the pod holds no GPU that anything knows of. */
export function podGpuUse(pod: PodFigures, mapped: ReadonlyMap<string, { count: number; sum: number; known: number }>): PodGpuUse | null {
  const use = mapped.get(`${pod.namespace}/${pod.name}`);
  const count = pod.gpus !== undefined && pod.gpus > 0 ? pod.gpus : (use?.count ?? 0);
  if (count === 0) return null;
  return { count, utilizationPercent: use && use.known > 0 ? use.sum / use.known : null };
}
