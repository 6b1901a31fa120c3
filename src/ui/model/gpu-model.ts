/** What the views show of a node's GPUs: their mean utilisation and memory, for the table and sorting. */
import { gpuMemoryPercent } from '../../metrics/gpu.js';
import type { NodeGpus } from '../../store/gpu-entries.js';

export interface GpuNode {
  readonly gpus?: NodeGpus | null;
}

export interface GpuSummary {
  readonly count: number;
  /** Mean of the GPUs that report utilisation; null when none does. */
  readonly utilizationPercent: number | null;
  /** Memory used over total across the GPUs that report both. */
  readonly memoryPercent: number | null;
}

export function gpuSummary(node: GpuNode): GpuSummary | null {
  const gpus = node.gpus?.gpus;
  if (!gpus || gpus.length === 0) return null;
  let util = 0;
  let utilCount = 0;
  let used = 0;
  let total = 0;
  for (const { figures: g } of gpus) {
    if (g.utilizationPercent !== null) {
      util += g.utilizationPercent;
      utilCount++;
    }
    if (gpuMemoryPercent(g) !== null) {
      used += g.memoryUsedBytes ?? 0;
      total += g.memoryTotalBytes ?? 0;
    }
  }
  return { count: gpus.length, utilizationPercent: utilCount > 0 ? util / utilCount : null, memoryPercent: total > 0 ? (100 * used) / total : null };
}

/** Whether the table should have its GPU columns: some node has GPUs. */
export function anyGpus(nodes: readonly GpuNode[]): boolean {
  for (const n of nodes) if (n.gpus && n.gpus.gpus.length > 0) return true;
  return false;
}
