/**
 * A node's GPUs in the store: the latest figures of each (text made visible) and a history ring of
 * utilisation and memory use, the same capacity as the node's own rings. The count per node is
 * bounded, so a node costs at most MAX_GPUS_PER_NODE × bytesPerGpu more, whatever a payload says.
 */
import { gpuMemoryPercent, type GpuFigures, type GpuPod, type GpuProcess } from '../metrics/gpu.js';
import { hasUnsafe, visible } from '../util/visible-text.js';
import { Ring } from './ring.js';
import type { KubeNodeInfo, PodFigures } from '../metrics/kube-figures.js';

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
  /** Idle GPUs held by a pod or a process (see idleHeldGpus). */
  readonly idleHeld: number;
  /** Kubernetes: GPUs the pods hold and the nodes' allocatable, over the nodes whose pods are listed; null without. */
  readonly allocation: { readonly held: number; readonly allocatable: number } | null;
}

/** Below this utilisation a GPU counts as idle: the idle-allocation threshold. */
export const IDLE_GPU_PERCENT = 5;

/** What Kubernetes says of who holds a node's GPUs: the pods' allocation, and the pods themselves. */
export interface GpuHolders {
  readonly kube?: Pick<KubeNodeInfo, 'allocatedGpus'> | null;
  readonly pods?: readonly PodFigures[] | null;
}

/**
 * Idle GPUs held: by a pod the exporter maps to it (one still running, when the pods are listed),
 * or with a process on it. Where the pods hold GPUs the exporter does not map (no pod labels), at
 * least the idle GPUs beyond the free ones are held: 8 GPUs, 8 allocated, 3 idle is 3 idle held.
 */
export function idleHeldGpus(list: readonly GpuFigures[], { kube, pods }: GpuHolders): number {
  const allocated = kube?.allocatedGpus;
  const running = allocated === undefined || !pods ? undefined : new Set(pods.map((p) => `${p.namespace}/${p.name}`));
  const idle = list.filter((g) => g.utilizationPercent !== null && g.utilizationPercent < IDLE_GPU_PERCENT);
  const mapped = idle.filter((g) => (g.pod !== null && (running === undefined || running.has(`${g.pod.namespace}/${g.pod.pod}`))) || (g.processes?.length ?? 0) > 0).length;
  if (allocated === undefined) return mapped;
  const free = Math.max(0, list.length - allocated);
  return Math.max(mapped, idle.length - free);
}

type TotalsNode = { readonly gpus?: NodeGpus | null; readonly kube?: Pick<KubeNodeInfo, 'allocatedGpus' | 'allocatable'> | null; readonly pods?: readonly PodFigures[] | null };

export function gpuTotals(nodes: readonly TotalsNode[]): GpuTotals {
  let total = 0;
  let busy = 0;
  let idle = 0;
  let sum = 0;
  let known = 0;
  let idleHeld = 0;
  let allocation: { held: number; allocatable: number } | null = null;
  for (const n of nodes) {
    const list = n.gpus?.gpus ?? [];
    for (const e of list) {
      total++;
      const u = e.figures.utilizationPercent;
      if (u === null) continue;
      known++;
      sum += u;
      if (u < IDLE_GPU_PERCENT) idle++;
      else busy++;
    }
    if (list.length > 0) idleHeld += idleHeldGpus(list.map((e) => e.figures), n);
    const held = n.kube?.allocatedGpus;
    if (held !== undefined && n.kube?.allocatable.gpus !== undefined) {
      allocation ??= { held: 0, allocatable: 0 };
      allocation.held += held;
      allocation.allocatable += n.kube.allocatable.gpus;
    }
  }
  return { total, busy, idle, meanUtilizationPercent: known > 0 ? sum / known : null, idleHeld, allocation };
}
