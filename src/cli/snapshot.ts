import type { ClusterStore, NodeEntry } from '../store/cluster-store.js';
import type { NodeFigures, NodeSource } from '../metrics/node-figures.js';
import type { KubeResources } from '../metrics/kube-figures.js';
import { significant, type SnapshotAlert } from './snapshot-alerts.js';
import type { GpuPod } from '../metrics/gpu.js';

/** One node of the `--once -o json` snapshot; docs/reference.md documents this shape. */
export interface SnapshotNode extends NodeFigures {
  readonly name: string;
  readonly target: string;
  readonly source: NodeSource;
  readonly up: boolean;
  readonly error: string | null;
  readonly scrapeDurationSeconds: number | null;
  /** The Node's facts when the node comes from Kubernetes (--kubeconfig), else null. */
  readonly kubernetes: SnapshotKube | null;
  /** The target's labels from discovery (job, instance, static and file_sd labels); {} when it has none. */
  readonly labels: Readonly<Record<string, string>>;
  /** The `--column` values by name; {} without columns. */
  readonly columns: Readonly<Record<string, number | null>>;
  /** The node's GPUs, from its payload or a GPU exporter of its host; null for a node without. */
  readonly gpus: readonly SnapshotGpu[] | null;
}

export interface SnapshotGpu {
  readonly index: number | null;
  readonly uuid: string | null;
  readonly model: string | null;
  readonly migProfile: string | null;
  readonly utilizationPercent: number | null;
  readonly memoryUsedBytes: number | null;
  readonly memoryTotalBytes: number | null;
  readonly temperatureCelsius: number | null;
  readonly powerWatts: number | null;
  readonly powerLimitWatts: number | null;
  readonly xid: number | null;
  readonly pod: GpuPod | null;
}

export interface SnapshotKube {
  readonly roles: readonly string[];
  readonly ready: boolean | null;
  readonly problems: readonly string[];
  readonly cordoned: boolean;
  readonly capacity: KubeResources;
  readonly allocatable: KubeResources;
  readonly kubeletVersion: string;
  readonly internalIP: string | null;
  readonly createdAt: string;
  /** Pods with figures on the node; null when the source cannot see pods. */
  readonly podCount: number | null;
}

export interface Snapshot {
  readonly collectedAt: string;
  readonly nodes: SnapshotNode[];
  /** Alerts of the rules in force, evaluated on the snapshot (see snapshot-alerts.ts). */
  readonly alerts: readonly SnapshotAlert[];
}

export function buildSnapshot(store: ClusterStore, collectedAtMs: number, alerts: readonly SnapshotAlert[] = []): Snapshot {
  return { collectedAt: new Date(collectedAtMs).toISOString(), nodes: store.nodes().map((n) => snapshotNode(n, store.columnNames)), alerts };
}

/** Every `--column` by name, null where the node has no value (down, or no rate yet). */
function snapshotColumns(n: NodeEntry, names: readonly string[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const name of names) {
    const value = n.columns[name]?.value ?? null;
    out[name] = value === null ? null : significant(value);
  }
  return out;
}

function snapshotNode(n: NodeEntry, columnNames: readonly string[]): SnapshotNode {
  const f = n.figures;
  const ms = n.health.lastDurationMs;
  return {
    name: n.name,
    target: n.target,
    source: n.source,
    up: n.health.up,
    error: n.health.up ? null : (n.health.lastError ?? 'not scraped yet'),
    scrapeDurationSeconds: ms === null ? null : Math.round(ms) / 1000,
    cpu: f.cpu,
    load: f.load,
    memory: f.memory,
    swap: f.swap,
    network: f.network,
    disk: f.disk,
    filesystem: f.filesystem,
    uptimeSeconds: f.uptimeSeconds,
    kubernetes: snapshotKube(n),
    labels: n.labels,
    columns: snapshotColumns(n, columnNames),
    gpus: snapshotGpus(n),
  };
}

function snapshotGpus(n: NodeEntry): SnapshotGpu[] | null {
  if (!n.gpus || n.gpus.gpus.length === 0) return null;
  return n.gpus.gpus.map(({ figures: g }) => ({
    index: g.index,
    uuid: g.uuid,
    model: g.model,
    migProfile: g.migProfile,
    utilizationPercent: g.utilizationPercent,
    memoryUsedBytes: g.memoryUsedBytes,
    memoryTotalBytes: g.memoryTotalBytes,
    temperatureCelsius: g.temperatureCelsius,
    powerWatts: g.powerWatts,
    powerLimitWatts: g.powerLimitWatts,
    xid: g.xid,
    pod: g.pod,
  }));
}

function snapshotKube(n: NodeEntry): SnapshotKube | null {
  const k = n.kube;
  if (k === null) return null;
  return {
    roles: k.roles,
    ready: k.ready,
    problems: k.problems,
    cordoned: k.cordoned,
    capacity: k.capacity,
    allocatable: k.allocatable,
    kubeletVersion: k.kubeletVersion,
    internalIP: k.internalIP,
    createdAt: new Date(k.createdAtMs).toISOString(),
    podCount: n.pods === null ? null : n.pods.length,
  };
}
