import { UNKNOWN_HEALTH, type TargetHealth } from '../scrape/types.js';
import type { NodeFigures, NodeSource } from '../metrics/node-figures.js';
import { EMPTY_FIGURES } from '../metrics/node-figures.js';
import type { KubeNodeInfo, PodFigures } from '../metrics/kube-figures.js';
import type { ColumnReading } from '../expr/column.js';
import type { AppView } from '../metrics/app-model.js';
import type { ContainerTable } from '../metrics/container-stats.js';
import { visibleContainers } from './containers.js';
import type { NodeProcesses } from '../metrics/process-figures.js';
import { visibleProcesses } from './processes.js';
import { Ring, RingPool } from './ring.js';
import type { GpuFigures } from '../metrics/gpu.js';
import { bytesPerGpu, failedGpus, nextGpus, type NodeGpus } from './gpu-entries.js';
import { visible, visibleList, visibleRecord } from '../util/visible-text.js';
import { visibleApp, visibleColumns, visibleHealth, visibleKube, visiblePods } from './visible-fields.js';

export const NODE_SERIES = ['cpu', 'memory', 'load1', 'rx', 'tx', 'read', 'written'] as const;
export type NodeSeriesKey = (typeof NODE_SERIES)[number];
export const CLUSTER_SERIES = ['cpu', 'memory', 'rx', 'tx', 'read', 'written', 'up'] as const;
export type ClusterSeriesKey = (typeof CLUSTER_SERIES)[number];

/**
 * What the store knows of one node; the UI and the snapshot read these, nothing else. Read-only
 * outside the store: its methods are the one way in, and they make text from outside visible.
 */
export interface NodeEntry {
  readonly id: string;
  readonly name: string;
  readonly target: string;
  readonly source: NodeSource;
  readonly labels: Readonly<Record<string, string>>;
  /** Latest figures, exact; all groups null while the node is down. */
  readonly figures: NodeFigures;
  readonly health: TargetHealth;
  readonly history: Ring<NodeSeriesKey>;
  /** Kubernetes facts of the node; null for sources that are not Kubernetes. */
  readonly kube: KubeNodeInfo | null;
  /** The node's pods with their latest figures; null when the source knows no pods. */
  readonly pods: readonly PodFigures[] | null;
  /** Latest `--column` readings by column name; {} while down or before the first scrape. */
  readonly columns: Readonly<Record<string, ColumnReading>>;
  /** History of the `--column` values, one series per column; null without columns. */
  readonly columnHistory: Ring<string> | null;
  /** The metric families of a target that is no node_exporter (source `app`); null otherwise. */
  readonly app: AppView | null;
  /** The node's containers (from cAdvisor or the agent); null when no source of them answers. */
  readonly containers: ContainerTable | null;
  /** The node's processes, latest only (local, its agent, a process exporter on its host); null when none is known. */
  readonly processes: NodeProcesses | null;
  /** The node's GPUs with their history; null for a node no GPU exporter describes. */
  readonly gpus: NodeGpus | null;
}

/** An entry as the store itself changes it. */
type StoredEntry = { -readonly [K in keyof NodeEntry]: NodeEntry[K] };

export interface NodeMeta {
  readonly id: string;
  readonly name: string;
  readonly target: string;
  readonly source?: NodeSource;
  readonly labels?: Readonly<Record<string, string>>;
}


export type StoreListener = () => void;

/** One successful refresh; columns and app only from the scrape pipeline. */
export interface NodeUpdate {
  readonly name: string;
  readonly source: NodeSource;
  readonly figures: NodeFigures;
  readonly health: TargetHealth;
  readonly columns?: Readonly<Record<string, ColumnReading>>;
  readonly app?: AppView | null;
}

function columnValues(columns: Readonly<Record<string, ColumnReading>>): Record<string, number | null> {
  const values: Record<string, number | null> = {};
  for (const name in columns) values[name] = columns[name]?.value ?? null;
  return values;
}

/**
 * The only place that holds history: per-node rings of derived series plus a cluster ring.
 * Memory per node is fixed by the capacity (see bytesPerNode), whatever the running time.
 */
export class ClusterStore {
  readonly capacity: number;
  readonly cluster: Ring<ClusterSeriesKey>;
  /** Insertion order is the display order: a Map keeps it, and adds and deletes in O(1). */
  private readonly entries = new Map<string, StoredEntry>();
  /** The entries as an array, made again on the first read after a node is added or removed. */
  private ordered: readonly NodeEntry[] | null = [];
  private listeners = new Set<StoreListener>();
  private versionCounter = 0;

  /** Names of the `--column`s, each a series in every node's columnHistory. */
  readonly columnNames: readonly string[];
  private readonly rings: RingPool<NodeSeriesKey>;

  constructor(capacity: number, columnNames: readonly string[] = []) {
    this.capacity = capacity;
    this.cluster = new Ring(capacity, CLUSTER_SERIES);
    this.rings = new RingPool(capacity, NODE_SERIES);
    // A replay's column names come from a file: made visible as the readings' keys are.
    this.columnNames = visibleList(columnNames);
  }

  /** Increments on every change: a cheap way for readers to know whether to redraw. */
  get version(): number {
    return this.versionCounter;
  }

  /** Nodes in the order they were added; the same array until a node is added or removed. */
  nodes(): readonly NodeEntry[] {
    return (this.ordered ??= [...this.entries.values()]);
  }

  get(id: string): NodeEntry | undefined {
    return this.entries.get(id);
  }

  upsert(meta: NodeMeta): NodeEntry {
    const existing = this.entries.get(meta.id);
    if (existing) {
      if (meta.labels) existing.labels = visibleRecord(meta.labels);
      return existing;
    }
    // The id stays as the source gave it: it is a key, never shown.
    const entry: StoredEntry = {
      id: meta.id,
      name: visible(meta.name),
      target: visible(meta.target),
      source: meta.source ?? 'node_exporter',
      labels: visibleRecord(meta.labels ?? {}),
      figures: EMPTY_FIGURES,
      health: UNKNOWN_HEALTH,
      history: this.rings.take(),
      kube: null,
      pods: null,
      columns: {},
      columnHistory: this.columnNames.length > 0 ? new Ring(this.capacity, this.columnNames) : null,
      app: null,
      containers: null,
      processes: null,
      gpus: null,
    };
    this.entries.set(meta.id, entry);
    this.ordered = null;
    this.changed();
    return entry;
  }

  /**
   * As upsert, and a node already there takes the name, source and labels given as well: a
   * replay's node declarations say what a node is at each moment. Made visible as upsert does.
   */
  declare(meta: NodeMeta): NodeEntry {
    const existing = this.entries.get(meta.id);
    if (!existing) return this.upsert(meta);
    if (existing.name !== meta.name) existing.name = visible(meta.name);
    if (meta.source) existing.source = meta.source;
    if (meta.labels) existing.labels = visibleRecord(meta.labels);
    return existing;
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.entries.delete(id);
    this.rings.give(entry.history);
    this.ordered = null;
    this.changed();
  }

  /**
   * A successful refresh of one node: latest figures replace the old, one history row is added;
   * none with `row` false (a first look before the refresh is whole, as the Prometheus source's
   * first rows before CPU: the whole refresh adds the row).
   */
  record(id: string, atMs: number, update: NodeUpdate, row = true): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (entry.name !== update.name) entry.name = visible(update.name);
    entry.source = update.source;
    entry.figures = update.figures;
    entry.health = visibleHealth(update.health);
    const f = update.figures;
    if (row) entry.history.push(atMs, {
      cpu: f.cpu?.usagePercent,
      memory: f.memory?.usedPercent,
      load1: f.load?.load1,
      rx: f.network?.receiveBytesPerSecond,
      tx: f.network?.transmitBytesPerSecond,
      read: f.disk?.readBytesPerSecond,
      written: f.disk?.writtenBytesPerSecond,
    });
    entry.columns = visibleColumns(update.columns ?? {});
    entry.app = visibleApp(update.app ?? null);
    if (row) entry.columnHistory?.push(atMs, columnValues(entry.columns));
    this.changed();
  }

  /** A failed refresh: the node shows as down with no figures, and its history gets a gap (with `row`, as record's). */
  recordDown(id: string, atMs: number, health: TargetHealth, row = true): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.figures = EMPTY_FIGURES;
    entry.health = visibleHealth(health);
    if (row) entry.history.push(atMs, {});
    entry.columns = {};
    entry.app = null;
    if (row) entry.columnHistory?.push(atMs, {});
    this.changed();
  }

  /**
   * A GPU refresh of one node, from its own payload or a GPU exporter on its host; null: no GPU
   * families at all, so the node has no GPUs (and no GPU rings).
   */
  recordGpus(id: string, atMs: number, gpus: readonly GpuFigures[] | null): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.gpus = gpus === null ? null : nextGpus(entry.gpus, gpus, atMs, this.capacity);
    this.changed();
  }

  /**
   * A GPU exporter of the node failed: its last figures stay beside the error, the history gets a
   * gap. A node that never had GPUs keeps none (`--gpu-port` asks every node, GPU or not), unless
   * `last` says which it had (a replay that begins after their last good refresh).
   */
  recordGpusDown(id: string, atMs: number, error: string, last?: readonly GpuFigures[]): void {
    const entry = this.entries.get(id);
    if (!entry || (entry.gpus === null && last === undefined)) return;
    entry.gpus = failedGpus(entry.gpus, atMs, error, this.capacity, last);
    this.changed();
  }

  /** Bytes of history one GPU costs with this capacity (a GPU node costs bytesPerNode + n × this). */
  bytesPerGpu(): number {
    return bytesPerGpu(this.capacity);
  }

  /** Kubernetes facts changed (from the Node object or its watch). */
  setKube(id: string, kube: KubeNodeInfo | null): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.kube = kube && visibleKube(kube);
    this.changed();
  }

  setPods(id: string, pods: readonly PodFigures[] | null): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.pods = pods && visiblePods(pods);
    this.changed();
  }

  /** The node's latest containers; null when their source stopped answering. */
  setContainers(id: string, table: ContainerTable | null): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.containers = table && visibleContainers(table);
    this.changed();
  }

  /** The node's latest process table, or null when its process source is gone or down. */
  setProcesses(id: string, processes: NodeProcesses | null): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.processes = visibleProcesses(processes);
    this.changed();
  }

  /** Appends one cluster-wide row computed from the nodes' latest figures. */
  appendClusterPoint(atMs: number): void {
    const t = clusterTotals(this.nodes());
    this.cluster.push(atMs, {
      cpu: t.cpuPercent,
      memory: t.memoryPercent,
      rx: t.rxBytesPerSecond,
      tx: t.txBytesPerSecond,
      read: t.readBytesPerSecond,
      written: t.writtenBytesPerSecond,
      up: t.up,
    });
    this.changed();
  }

  /** Rows were put into the rings directly (Ring.prepend, a backfill): readers redraw. */
  historyChanged(): void {
    this.changed();
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Bytes of history one node costs with this capacity, its `--column` series included. */
  bytesPerNode(): number {
    const columns = this.columnNames.length > 0 ? new Ring(this.capacity, this.columnNames).byteLength : 0;
    return new Ring(this.capacity, NODE_SERIES).byteLength + columns;
  }

  private changed(): void {
    this.versionCounter++;
    for (const listener of this.listeners) listener();
  }
}

export interface ClusterTotals {
  readonly up: number;
  readonly total: number;
  /** Busy cores over all cores of the up nodes that report CPU, in percent. */
  readonly cpuPercent: number | null;
  readonly memoryPercent: number | null;
  readonly rxBytesPerSecond: number | null;
  readonly txBytesPerSecond: number | null;
  readonly readBytesPerSecond: number | null;
  readonly writtenBytesPerSecond: number | null;
}

/** Cluster-wide figures: CPU weighted by cores and memory by bytes, so a big node counts for more. */
export function clusterTotals(nodes: readonly Pick<NodeEntry, 'health' | 'figures'>[]): ClusterTotals {
  let up = 0;
  let busyCores = 0;
  let cores = 0;
  let memUsed = 0;
  let memTotal = 0;
  let rx: number | null = null;
  let tx: number | null = null;
  let read: number | null = null;
  let written: number | null = null;
  for (const n of nodes) {
    if (!n.health.up) continue;
    up++;
    const f = n.figures;
    if (f.cpu && f.cpu.usagePercent !== null) {
      busyCores += (f.cpu.usagePercent / 100) * f.cpu.cores;
      cores += f.cpu.cores;
    }
    if (f.memory) {
      memUsed += f.memory.usedBytes;
      memTotal += f.memory.totalBytes;
    }
    if (f.network) {
      rx = (rx ?? 0) + f.network.receiveBytesPerSecond;
      tx = (tx ?? 0) + f.network.transmitBytesPerSecond;
    }
    if (f.disk) {
      read = (read ?? 0) + f.disk.readBytesPerSecond;
      written = (written ?? 0) + f.disk.writtenBytesPerSecond;
    }
  }
  return {
    up,
    total: nodes.length,
    cpuPercent: cores > 0 ? (100 * busyCores) / cores : null,
    memoryPercent: memTotal > 0 ? (100 * memUsed) / memTotal : null,
    rxBytesPerSecond: rx,
    txBytesPerSecond: tx,
    readBytesPerSecond: read,
    writtenBytesPerSecond: written,
  };
}
