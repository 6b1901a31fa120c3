/**
 * A node's three tables in a recording (format.ts): its processes, containers and GPUs, written as
 * three elements at the end of a tick entry, only when the node has any of them, so a recording
 * of nodes without them is written as before (and read by older versions). Each is null when the
 * node has none, else:
 *
 *   processes [source, total, rows, groups]: source "local" | "agent" | "process-exporter";
 *     rows and groups at most MAX_RECORDED_PROCESSES each (the heaviest by CPU, then memory, kept
 *     in the store's order); a row [pid, ppid, user, command, args, state, cpuPercent,
 *     memoryBytes, threads, startTimeSeconds, count].
 *   containers [omitted, unnamed, list]: at most MAX_CONTAINERS, a container [id, name, image,
 *     composeProject, composeService, cpuPercent, memoryBytes, memoryLimitBytes, receive,
 *     transmit, read, written, startedAtMs, restarts, restartsCounted ("total" | "seen" | null)];
 *     recordings before restarts have the first 13 only, read as restarts unknown.
 *   gpus [atMs, error, list]: atMs the time of the GPU refresh that gave the figures (its history
 *     row; null with no GPUs), error why the last GPU refresh failed, at most MAX_GPUS_PER_NODE
 *     GPUs, a GPU [key, index, uuid, model, vendor, migProfile, migInstance, host, then
 *     GPU_FIELDS in their order, rowRemapFailure (1|0|null), pod [namespace, pod, container] |
 *     null, processes [[pid, name, memoryBytes], ...] | null (at most MAX_GPU_PROCESSES)].
 *
 * An entry without them, as every entry of an older recording, is a node with none of the tables.
 *
 * Texts are bounded as the store bounds them; figures have ranges as the node's own do.
 */
import type { ContainerStats, ContainerTable } from '../metrics/container-stats.js';
import { MAX_CONTAINERS } from '../metrics/container-stats.js';
import type { GpuFigures, GpuProcess } from '../metrics/gpu.js';
import type { NodeProcesses, ProcessRow, ProcessSourceKind } from '../metrics/process-figures.js';
import { MAX_GPUS_PER_NODE, type NodeGpus } from '../store/gpu-entries.js';
import { MAX_ARGS_CHARS, MAX_NAME_CHARS } from '../store/processes.js';
import { amount, count, difference, fail, fit, MAX_TEXT, num, numOrNull, percent, str, text, time, tuple, type Check, type Json } from './fields.js';

/** Rows and groups of a node's processes a tick holds: the heaviest, as the agent's top N. */
export const MAX_RECORDED_PROCESSES = 30;
/** Processes of one GPU a tick holds. */
export const MAX_GPU_PROCESSES = 64;
/** Longest container or GPU text (ids, names, images, models): far past real ones. */
export const MAX_TABLE_TEXT = 512;
const MAX_STATE_CHARS = 8;

const PROCESS_SOURCES: readonly ProcessSourceKind[] = ['local', 'agent', 'process-exporter'];

/** The tables of one entry as read; undefined in an entry that has none (all three null, or an older recording). */
export interface NodeTables {
  readonly processes: NodeProcesses | null;
  readonly containers: ContainerTable | null;
  readonly gpus: RecordedGpus | null;
}

export interface RecordedGpus {
  /** The GPU refresh the figures are from; null when there are no GPUs (so no history row). */
  readonly atMs: number | null;
  readonly error: string | null;
  readonly gpus: readonly GpuFigures[];
}

/** GpuFigures' numeric fields, in the order a GPU is written, with their ranges. */
const GPU_FIELDS = [
  ['utilizationPercent', percent],
  ['memoryUtilizationPercent', percent],
  ['memoryUsedBytes', amount],
  ['memoryTotalBytes', amount],
  ['temperatureCelsius', difference],
  ['memoryTemperatureCelsius', difference],
  ['powerWatts', amount],
  ['powerLimitWatts', amount],
  ['smClockMHz', amount],
  ['memoryClockMHz', amount],
  ['encoderPercent', percent],
  ['decoderPercent', percent],
  ['xid', amount],
  ['graphicsActivePercent', percent],
  ['tensorActivePercent', percent],
  ['dramActivePercent', percent],
  ['uncorrectableRemappedRows', amount],
] as const satisfies readonly (readonly [keyof GpuFigures, Check])[];

/** Elements of a written GPU: 8 texts and numbers before the figures, 3 after. */
export const GPU_LENGTH = 8 + GPU_FIELDS.length + 3;
const ROW_LENGTH = 11;
const CONTAINER_LENGTH = 15;
/** A container of a recording written before restarts were recorded. */
const OLD_CONTAINER_LENGTH = 13;

const opt = (s: string | null, max: number): string | null => (s === null ? null : text(s, max));

/** The `limit` heaviest of `rows` (CPU, then memory), in their own order. */
function heaviest(rows: readonly ProcessRow[], limit: number): readonly ProcessRow[] {
  if (rows.length <= limit) return rows;
  const weight = (r: ProcessRow): [number, number] => [r.cpuPercent ?? -1, r.memoryBytes ?? -1];
  const kept = new Set(
    [...rows]
      .sort((a, b) => {
        const [ca, ma] = weight(a);
        const [cb, mb] = weight(b);
        return cb - ca || mb - ma;
      })
      .slice(0, limit),
  );
  return rows.filter((r) => kept.has(r));
}

function encodeRow(r: ProcessRow): Json {
  return [
    fit(r.pid, count), fit(r.ppid, count), opt(r.user, MAX_NAME_CHARS), text(r.command, MAX_NAME_CHARS), opt(r.args, MAX_ARGS_CHARS), opt(r.state, MAX_STATE_CHARS),
    fit(r.cpuPercent, amount), fit(r.memoryBytes, amount), fit(r.threads, count), fit(r.startTimeSeconds, amount), fit(r.count, count),
  ];
}

function encodeProcesses(p: NodeProcesses | null): Json {
  if (p === null) return null;
  const rows = heaviest(p.processes, MAX_RECORDED_PROCESSES).map(encodeRow);
  const groups = heaviest(p.groups, MAX_RECORDED_PROCESSES).map(encodeRow);
  return [p.source, fit(p.total, count), rows, groups];
}

function encodeContainer(c: ContainerStats): Json {
  const t = (s: string | null) => opt(s, MAX_TABLE_TEXT);
  return [
    t(c.id), t(c.name), t(c.image), t(c.composeProject), t(c.composeService),
    fit(c.cpuPercent, amount), fit(c.memoryBytes, amount), fit(c.memoryLimitBytes, amount),
    fit(c.receiveBytesPerSecond, amount), fit(c.transmitBytesPerSecond, amount), fit(c.readBytesPerSecond, amount), fit(c.writtenBytesPerSecond, amount),
    fit(c.startedAtMs, time),
    fit(c.restarts, count), c.restarts === null ? null : c.restartsCounted,
  ];
}

function encodeContainers(table: ContainerTable | null): Json {
  if (table === null) return null;
  const list = table.containers.slice(0, MAX_CONTAINERS);
  const omitted = (fit(table.omitted, count) ?? 0) + table.containers.length - list.length;
  return [omitted, fit(table.unnamed, count) ?? 0, list.map(encodeContainer)];
}

function encodeGpu(g: GpuFigures): Json {
  const t = (s: string | null) => opt(s, MAX_TABLE_TEXT);
  const processes = g.processes && g.processes.slice(0, MAX_GPU_PROCESSES).map((p): Json => [fit(p.pid, count) ?? 0, text(p.name, MAX_NAME_CHARS), fit(p.memoryBytes, amount)]);
  return [
    t(g.key), fit(g.index, count), t(g.uuid), t(g.model), g.vendor, t(g.migProfile), t(g.migInstance), t(g.host),
    ...GPU_FIELDS.map(([field, range]) => fit(g[field], range)),
    g.rowRemapFailure === null ? null : g.rowRemapFailure ? 1 : 0,
    g.pod && [t(g.pod.namespace), t(g.pod.pod), t(g.pod.container)],
    processes,
  ];
}

function encodeGpus(n: NodeGpus | null): Json {
  if (n === null) return null;
  const list = n.gpus.slice(0, MAX_GPUS_PER_NODE);
  // Every GPU of a node gets its history row from the same refresh: the first's latest is its time.
  const ring = list[0]?.history;
  const atMs = ring && ring.length > 0 ? fit(ring.timeAt(ring.length - 1), time) : null;
  return [atMs, n.error === null ? null : text(n.error), list.map((e) => encodeGpu(e.figures))];
}

/** The three elements that end an entry, or none when the node has none of the tables. */
export function encodeTables(processes: NodeProcesses | null, containers: ContainerTable | null, gpus: NodeGpus | null): Json[] {
  if (processes === null && containers === null && gpus === null) return [];
  return [encodeProcesses(processes), encodeContainers(containers), encodeGpus(gpus)];
}

/** A JSON list of at most `max` elements, or null. */
function list(x: unknown, max: number, what: string): unknown[] | null {
  if (x === null) return null;
  if (!Array.isArray(x)) fail(`${what} is not an array`);
  if (x.length > max) fail(`${what} has more than ${max} elements`);
  return x;
}

const textOrNull = (x: unknown, what: string, max: number): string | null => (x === null ? null : str(x, what, max));

function decodeRow(x: unknown, what: string): ProcessRow {
  const r = tuple(x, ROW_LENGTH, what) ?? fail(`${what} is null`);
  return {
    pid: numOrNull(r[0], `${what} pid`, count, true),
    ppid: numOrNull(r[1], `${what} ppid`, count, true),
    user: textOrNull(r[2], `${what} user`, MAX_NAME_CHARS),
    command: str(r[3], `${what} command`, MAX_NAME_CHARS),
    args: textOrNull(r[4], `${what} args`, MAX_ARGS_CHARS),
    state: textOrNull(r[5], `${what} state`, MAX_STATE_CHARS),
    cpuPercent: numOrNull(r[6], `${what} cpuPercent`, amount),
    memoryBytes: numOrNull(r[7], `${what} memoryBytes`, amount),
    threads: numOrNull(r[8], `${what} threads`, count, true),
    startTimeSeconds: numOrNull(r[9], `${what} startTimeSeconds`, amount),
    count: numOrNull(r[10], `${what} count`, count, true),
  };
}

function decodeProcesses(x: unknown): NodeProcesses | null {
  const p = tuple(x, 4, 'processes');
  if (!p) return null;
  const source = str(p[0], 'processes source') as ProcessSourceKind;
  if (!PROCESS_SOURCES.includes(source)) fail(`unknown process source "${source}"`);
  const rows = list(p[2], MAX_RECORDED_PROCESSES, 'processes') ?? fail('processes is null');
  const groups = list(p[3], MAX_RECORDED_PROCESSES, 'process groups') ?? fail('process groups is null');
  return {
    source,
    total: numOrNull(p[1], 'processes total', count, true),
    processes: rows.map((r, i) => decodeRow(r, `process ${i + 1}`)),
    groups: groups.map((r, i) => decodeRow(r, `process group ${i + 1}`)),
  };
}

function decodeContainer(x: unknown, what: string): ContainerStats {
  const c = (Array.isArray(x) && x.length === OLD_CONTAINER_LENGTH ? x : tuple(x, CONTAINER_LENGTH, what)) ?? fail(`${what} is null`);
  const restarts = c.length === CONTAINER_LENGTH ? numOrNull(c[13], `${what} restarts`, count) : null;
  const counted = c[14] ?? null;
  if (counted !== null && counted !== 'total' && counted !== 'seen') fail(`${what} restartsCounted is not "total", "seen" or null`);
  const t = (i: number, field: string) => textOrNull(c[i], `${what} ${field}`, MAX_TABLE_TEXT);
  const n = (i: number, field: string, range: Check = amount) => numOrNull(c[i], `${what} ${field}`, range);
  return {
    id: str(c[0], `${what} id`, MAX_TABLE_TEXT),
    name: str(c[1], `${what} name`, MAX_TABLE_TEXT),
    image: t(2, 'image'),
    composeProject: t(3, 'composeProject'),
    composeService: t(4, 'composeService'),
    cpuPercent: n(5, 'cpuPercent'),
    memoryBytes: n(6, 'memoryBytes'),
    memoryLimitBytes: n(7, 'memoryLimitBytes'),
    receiveBytesPerSecond: n(8, 'receive'),
    transmitBytesPerSecond: n(9, 'transmit'),
    readBytesPerSecond: n(10, 'read'),
    writtenBytesPerSecond: n(11, 'written'),
    startedAtMs: n(12, 'startedAtMs', time),
    restarts,
    restartsCounted: restarts === null ? null : (counted as 'total' | 'seen' | null),
  };
}

function decodeContainers(x: unknown): ContainerTable | null {
  const c = tuple(x, 3, 'containers');
  if (!c) return null;
  const containers = list(c[2], MAX_CONTAINERS, 'containers') ?? fail('containers list is null');
  return {
    omitted: num(c[0], 'containers omitted', count, true),
    unnamed: num(c[1], 'containers unnamed', count, true),
    containers: containers.map((e, i) => decodeContainer(e, `container ${i + 1}`)),
  };
}

function decodeGpuProcess(x: unknown, what: string): GpuProcess {
  const p = tuple(x, 3, what) ?? fail(`${what} is null`);
  return { pid: num(p[0], `${what} pid`, count, true), name: str(p[1], `${what} name`, MAX_NAME_CHARS), memoryBytes: numOrNull(p[2], `${what} memoryBytes`, amount) };
}

function decodeGpu(x: unknown, what: string): GpuFigures {
  const g = tuple(x, GPU_LENGTH, what) ?? fail(`${what} is null`);
  const t = (i: number, field: string) => textOrNull(g[i], `${what} ${field}`, MAX_TABLE_TEXT);
  const vendor = g[4];
  if (vendor !== 'nvidia' && vendor !== 'amd') fail(`${what} vendor is not nvidia or amd`);
  const figures: Record<string, number | null> = {};
  GPU_FIELDS.forEach(([field, range], i) => (figures[field] = numOrNull(g[8 + i], `${what} ${field}`, range)));
  const tail = 8 + GPU_FIELDS.length;
  const remap = g[tail];
  if (remap !== null && remap !== 0 && remap !== 1) fail(`${what} rowRemapFailure is not 0, 1 or null`);
  const pod = tuple(g[tail + 1], 3, `${what} pod`);
  const processes = list(g[tail + 2], MAX_GPU_PROCESSES, `${what} processes`);
  return {
    key: str(g[0], `${what} key`, MAX_TABLE_TEXT),
    index: numOrNull(g[1], `${what} index`, count, true),
    uuid: t(2, 'uuid'),
    model: t(3, 'model'),
    vendor,
    migProfile: t(5, 'migProfile'),
    migInstance: t(6, 'migInstance'),
    host: t(7, 'host'),
    ...(figures as Pick<GpuFigures, (typeof GPU_FIELDS)[number][0]>),
    rowRemapFailure: remap === null ? null : remap === 1,
    pod: pod && { namespace: str(pod[0], `${what} pod namespace`, MAX_TABLE_TEXT), pod: str(pod[1], `${what} pod name`, MAX_TABLE_TEXT), container: str(pod[2], `${what} pod container`, MAX_TABLE_TEXT) },
    processes: processes && processes.map((p, i) => decodeGpuProcess(p, `${what} process ${i + 1}`)),
  };
}

function decodeGpus(x: unknown): RecordedGpus | null {
  const g = tuple(x, 3, 'gpus');
  if (!g) return null;
  const gpus = list(g[2], MAX_GPUS_PER_NODE, 'gpus') ?? fail('gpus list is null');
  const decoded = gpus.map((e, i) => decodeGpu(e, `gpu ${i + 1}`));
  if (new Set(decoded.map((d) => d.key)).size !== decoded.length) fail('gpus lists a GPU twice');
  const atMs = numOrNull(g[0], 'gpus time', time);
  if (atMs === null && decoded.length > 0) fail('gpus time is null with GPUs listed');
  return { atMs, error: textOrNull(g[1], 'gpus error', MAX_TEXT), gpus: decoded };
}

/** The three elements after an entry's figures (and columns), as encodeTables writes them. */
export function decodeTables(x: readonly unknown[]): NodeTables {
  return { processes: decodeProcesses(x[0]), containers: decodeContainers(x[1]), gpus: decodeGpus(x[2]) };
}

/** The most bytes the tables of one entry can take, every field at its longest (see maxTickBytes). */
export function maxTablesBytes(number: number, textBytes: (chars: number) => number): number {
  const row = 7 * number + textBytes(MAX_NAME_CHARS) * 2 + textBytes(MAX_ARGS_CHARS) + textBytes(MAX_STATE_CHARS) + ROW_LENGTH + 2;
  const container = 9 * number + 5 * textBytes(MAX_TABLE_TEXT) + '"total"'.length + CONTAINER_LENGTH + 2;
  const gpuProcess = 2 * number + textBytes(MAX_NAME_CHARS) + 5;
  const gpu = (GPU_FIELDS.length + 4) * number + 9 * textBytes(MAX_TABLE_TEXT) + MAX_GPU_PROCESSES * gpuProcess + GPU_LENGTH + 8;
  return 2 * MAX_RECORDED_PROCESSES * row + MAX_CONTAINERS * container + MAX_GPUS_PER_NODE * gpu + 4 * number + 64;
}
