import type { ClusterStore, NodeEntry } from '../store/cluster-store.js';
import type { NodeFigures, NodeSource } from '../metrics/node-figures.js';
import type { KubeNodeInfo } from '../metrics/kube-figures.js';
import type { ContainerStats, ContainerTable } from '../metrics/container-stats.js';
import type { NodeProcesses } from '../metrics/process-figures.js';
import { significant, type SnapshotAlert } from './snapshot-alerts.js';
import type { GpuPod } from '../metrics/gpu.js';

/** Processes per node in the snapshot: the heaviest by CPU, then memory. */
export const SNAPSHOT_PROCESSES = 30;

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
  /** The node's containers, heaviest first (cAdvisor or the agent); null when no source of them answers. */
  readonly containers: readonly SnapshotContainer[] | null;
  /** The node's heaviest processes (or process groups, pid null); null when no source gives them. */
  readonly processes: readonly SnapshotProcess[] | null;
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

export interface SnapshotProcess {
  /** null for a group of processes (a process exporter's, or totals by command name). */
  readonly pid: number | null;
  readonly user: string | null;
  readonly command: string;
  /** The command line, secret-looking values masked; null when not read. */
  readonly args: string | null;
  /** Percent of one core; null before two readings. */
  readonly cpuPercent: number | null;
  readonly memoryBytes: number | null;
  readonly threads: number | null;
  /** Processes in a group; null for a process. */
  readonly count: number | null;
}

/** A container as the store keeps it (ContainerStats), without its start time: filled field by field below. */
export type SnapshotContainer = Omit<ContainerStats, 'startedAtMs'>;

/** The Kubernetes facts as the store keeps them (KubeNodeInfo), with an ISO creation time; the labels are the node's own. */
export type SnapshotKube = Omit<KubeNodeInfo, 'createdAtMs' | 'labels' | 'allocatedGpus'> & {
  readonly createdAt: string;
  /** The node's pods: with figures, and (where pods can be listed) those not finished without; null when the source cannot see pods. */
  readonly podCount: number | null;
  /** GPUs the node's unfinished pods hold; null when pods cannot be listed. */
  readonly allocatedGpus: number | null;
  /** Container restarts summed over the node's pods; null when pods cannot be listed. */
  readonly podRestarts: number | null;
};

export interface Snapshot {
  readonly collectedAt: string;
  readonly nodes: SnapshotNode[];
  /** Alerts of the rules in force, evaluated on the snapshot (see snapshot-alerts.ts). */
  readonly alerts: readonly SnapshotAlert[];
  /** Only when the figures may be incomplete: why, in the server's words (Source.partial). */
  readonly partial?: string;
}

export function buildSnapshot(store: ClusterStore, collectedAtMs: number, alerts: readonly SnapshotAlert[] = [], partial?: string): Snapshot {
  const snapshot: Snapshot = { collectedAt: new Date(collectedAtMs).toISOString(), nodes: store.nodes().map((n) => snapshotNode(n, store.columnNames)), alerts };
  return partial === undefined ? snapshot : { ...snapshot, partial };
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
    containers: snapshotContainers(n.containers),
    processes: snapshotProcesses(n.processes),
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

const rounded = (v: number | null): number | null => (v === null ? null : significant(v));

function snapshotContainers(table: ContainerTable | null): SnapshotContainer[] | null {
  if (table === null) return null;
  return table.containers.map((c: ContainerStats) => ({
    id: c.id,
    name: c.name,
    image: c.image,
    composeProject: c.composeProject,
    composeService: c.composeService,
    cpuPercent: rounded(c.cpuPercent),
    memoryBytes: c.memoryBytes,
    memoryLimitBytes: c.memoryLimitBytes,
    receiveBytesPerSecond: rounded(c.receiveBytesPerSecond),
    transmitBytesPerSecond: rounded(c.transmitBytesPerSecond),
    readBytesPerSecond: rounded(c.readBytesPerSecond),
    writtenBytesPerSecond: rounded(c.writtenBytesPerSecond),
    restarts: c.restarts,
    restartsCounted: c.restartsCounted,
  }));
}

function snapshotProcesses(p: NodeProcesses | null): SnapshotProcess[] | null {
  if (!p) return null;
  const rows = [...(p.processes.length > 0 ? p.processes : p.groups)]
    .sort((a, b) => (b.cpuPercent ?? -1) - (a.cpuPercent ?? -1) || (b.memoryBytes ?? 0) - (a.memoryBytes ?? 0))
    .slice(0, SNAPSHOT_PROCESSES);
  return rows.map((r) => ({
    pid: r.pid,
    user: r.user,
    command: r.command,
    args: r.args,
    cpuPercent: r.cpuPercent === null ? null : significant(r.cpuPercent),
    memoryBytes: r.memoryBytes,
    threads: r.threads,
    count: r.count,
  }));
}

function snapshotKube(n: NodeEntry): SnapshotKube | null {
  const k = n.kube;
  if (k === null) return null;
  // Field by field, in the order the schema documents: a fact added to KubeNodeInfo is not published by accident.
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
    allocatedGpus: k.allocatedGpus ?? null,
    podRestarts: k.allocatedGpus === undefined || n.pods === null ? null : n.pods.reduce((sum, p) => sum + (p.restarts ?? 0), 0),
  };
}
