/**
 * A node's GPUs in the store: the latest figures of each (text made visible) and a history ring of
 * utilisation and memory use, the same capacity as the node's own rings. The count per node is
 * bounded, so a node costs at most MAX_GPUS_PER_NODE × bytesPerGpu more, whatever a payload says.
 */
import { gpuMemoryPercent, type GpuFigures, type GpuPod, type GpuProcess } from '../metrics/gpu.js';
import { hasUnsafe, visible } from '../util/visible-text.js';
import { Ring } from './ring.js';

export const GPU_SERIES = ['util', 'memory'] as const;
export type GpuSeriesKey = (typeof GPU_SERIES)[number];

/** 8 GPUs × 7 MIG slices is the largest real node; a little room above it. */
export const MAX_GPUS_PER_NODE = 64;

export interface GpuEntry {
  readonly figures: GpuFigures;
  readonly history: Ring<GpuSeriesKey>;
}

/** What a node's GPUs are now: the entries, and why the last GPU refresh failed (null when it did not). */
export interface NodeGpus {
  readonly gpus: readonly GpuEntry[];
  readonly error: string | null;
}

const safe = (t: string | null): boolean => t === null || !hasUnsafe(t);
const vis = (t: string | null): string | null => (t === null ? null : visible(t));

function visiblePod(p: GpuPod | null): GpuPod | null {
  if (p === null || (safe(p.namespace) && safe(p.pod) && safe(p.container))) return p;
  return { namespace: visible(p.namespace), pod: visible(p.pod), container: visible(p.container) };
}

function visibleProcesses(list: readonly GpuProcess[] | null): readonly GpuProcess[] | null {
  if (list === null || list.every((p) => safe(p.name))) return list;
  return list.map((p) => (safe(p.name) ? p : { ...p, name: visible(p.name) }));
}

/** The figures with every text from the exporter made visible; the same object when none needs it. */
export function visibleGpu(g: GpuFigures): GpuFigures {
  const pod = visiblePod(g.pod);
  const processes = visibleProcesses(g.processes);
  const texts = [g.key, g.uuid, g.model, g.host, g.migProfile, g.migInstance];
  if (pod === g.pod && processes === g.processes && texts.every(safe)) return g;
  return {
    ...g,
    key: visible(g.key),
    uuid: vis(g.uuid),
    model: vis(g.model),
    host: vis(g.host),
    migProfile: vis(g.migProfile),
    migInstance: vis(g.migInstance),
    pod,
    processes,
  };
}

/**
 * Takes one GPU refresh into a node's entries: a GPU seen before keeps its ring, a new one gets a
 * ring, a GPU no longer reported goes. Rings are made only for nodes that have GPUs.
 */
export function nextGpus(previous: NodeGpus | null, gpus: readonly GpuFigures[], atMs: number, capacity: number): NodeGpus {
  const rings = new Map(previous?.gpus.map((e) => [e.figures.key, e.history]));
  const entries: GpuEntry[] = [];
  for (const raw of gpus) {
    if (entries.length >= MAX_GPUS_PER_NODE) break;
    const figures = visibleGpu(raw);
    let history = rings.get(figures.key);
    if (history) rings.delete(figures.key);
    else history = new Ring(capacity, GPU_SERIES);
    history.push(atMs, { util: figures.utilizationPercent, memory: gpuMemoryPercent(figures) });
    entries.push({ figures, history });
  }
  return { gpus: entries, error: null };
}

/**
 * A failed GPU refresh: the last figures stay to be read with the error; the rings get a gap.
 * `last`: the figures to keep when there were none before (a replay begun after the last good refresh).
 */
export function failedGpus(previous: NodeGpus | null, atMs: number, error: string, capacity: number, last: readonly GpuFigures[] = []): NodeGpus {
  const gpus = previous?.gpus ?? last.slice(0, MAX_GPUS_PER_NODE).map((g) => ({ figures: visibleGpu(g), history: new Ring(capacity, GPU_SERIES) }));
  for (const e of gpus) e.history.push(atMs, {});
  return { gpus, error: visible(error) };
}

/** History bytes of one GPU at this capacity (what docs/architecture.md counts per GPU). */
export function bytesPerGpu(capacity: number): number {
  return new Ring(capacity, GPU_SERIES).byteLength;
}

/** Cluster GPU figures: how many are busy and idle, and the mean utilisation of those that report one. */
export interface GpuTotals {
  readonly total: number;
  readonly busy: number;
  readonly idle: number;
  readonly meanUtilizationPercent: number | null;
}

/** Below this utilisation a GPU counts as idle: the idle-allocation threshold. */
export const IDLE_GPU_PERCENT = 5;

export function gpuTotals(nodes: readonly { readonly gpus?: NodeGpus | null }[]): GpuTotals {
  let total = 0;
  let busy = 0;
  let idle = 0;
  let sum = 0;
  let known = 0;
  for (const n of nodes) {
    for (const e of n.gpus?.gpus ?? []) {
      total++;
      const u = e.figures.utilizationPercent;
      if (u === null) continue;
      known++;
      sum += u;
      if (u < IDLE_GPU_PERCENT) idle++;
      else busy++;
    }
  }
  return { total, busy, idle, meanUtilizationPercent: known > 0 ? sum / known : null };
}
