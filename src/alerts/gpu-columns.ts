/** The GPU columns of the built-in alert rules, from a node's GPUs in the store. */
import type { NodeGpus } from '../store/gpu-entries.js';
import { IDLE_GPU_PERCENT } from '../store/gpu-entries.js';
import type { KubeNodeInfo, PodFigures } from '../metrics/kube-figures.js';

/** What Kubernetes says of who holds a node's GPUs: the pods' allocation, and the pods themselves. */
export interface GpuHolders {
  readonly kube?: Pick<KubeNodeInfo, 'allocatedGpus'> | null;
  readonly pods?: readonly PodFigures[] | null;
}

export type GpuColumn = 'gpu_temp' | 'gpu_xid' | 'gpu_row_remap' | 'gpu_idle_allocated';

/** null for a node without GPUs, or when none of its GPUs reports what the column reads. */
export function gpuAlertValue(gpus: NodeGpus | null, column: GpuColumn, holders: GpuHolders = {}): number | null {
  const list = gpus?.gpus.map((e) => e.figures) ?? [];
  if (list.length === 0) return null;
  switch (column) {
    case 'gpu_temp': {
      const temps = list.map((g) => g.temperatureCelsius).filter((t): t is number => t !== null);
      return temps.length === 0 ? null : Math.max(...temps);
    }
    case 'gpu_xid':
      return list.some((g) => g.xid !== null) ? list.filter((g) => g.xid !== null && g.xid !== 0).length : null;
    case 'gpu_row_remap':
      return list.some((g) => g.uncorrectableRemappedRows !== null || g.rowRemapFailure !== null)
        ? list.filter((g) => (g.uncorrectableRemappedRows ?? 0) > 0 || g.rowRemapFailure === true).length
        : null;
    case 'gpu_idle_allocated':
      return idleHeld(list, holders);
  }
}

/**
 * Idle GPUs held: by a pod the exporter maps to it (one still running, when the pods are listed),
 * or with a process on it. Where the pods hold GPUs the exporter does not map (no pod labels), at
 * least the idle GPUs beyond the free ones are held: 8 GPUs, 8 allocated, 3 idle is 3 idle held.
 */
function idleHeld(list: readonly NodeGpus['gpus'][number]['figures'][], { kube, pods }: GpuHolders): number {
  const allocated = kube?.allocatedGpus;
  const running = allocated === undefined || !pods ? undefined : new Set(pods.map((p) => `${p.namespace}/${p.name}`));
  const idle = list.filter((g) => g.utilizationPercent !== null && g.utilizationPercent < IDLE_GPU_PERCENT);
  const mapped = idle.filter((g) => (g.pod !== null && (running === undefined || running.has(`${g.pod.namespace}/${g.pod.pod}`))) || (g.processes?.length ?? 0) > 0).length;
  if (allocated === undefined) return mapped;
  const free = Math.max(0, list.length - allocated);
  return Math.max(mapped, idle.length - free);
}
