/** The GPU columns of the built-in alert rules, from a node's GPUs in the store. */
import { idleHeldGpus, type GpuHolders, type NodeGpus } from '../store/gpu-entries.js';

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
      return idleHeldGpus(list, holders);
  }
}
