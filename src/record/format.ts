/**
 * The recording format, version 1: newline-delimited JSON (UTF-8), append-only. Each line is one
 * record, written whole by one write call, so a crash can cut off only the last line; a line
 * without its final "\n" is not a record. Three kinds of record:
 *
 * 1. The header, always the first line; `columns` (the `--column` names) only when there are any:
 *    {"format":"cluster-top-recording","version":1,"startedAt":"2026-11-21T05:00:00.000Z","intervalMs":2000,"columns":["rps"]}
 * 2. A node declaration, before the first tick that lists the node and again whenever its name,
 *    source, target or labels change; `node` is the node's number within this file:
 *    {"node":0,"id":"http://10.0.0.7:9100/metrics","name":"web-7","target":"http://10.0.0.7:9100/metrics","source":"node_exporter","labels":{}}
 * 3. A tick, one per cluster refresh: [timeMs, entry, entry, ...], one entry per node the store
 *    held at that moment, in its order (a node missing from a tick had been removed). An entry:
 *    [node, up (1|0), error, lastScrapeMs, lastDurationMs, lastSuccessMs, consecutiveFailures,
 *     lastBodyBytes, lastWireBytes, lastSamples,
 *     cpu [cores, usagePercent, perCoreUsagePercent[] | null], load [load1, load5, load15],
 *     memory [totalBytes, usedBytes, availableBytes, usedPercent], swap [totalBytes, usedBytes],
 *     network [receive, transmit], disk [read, written], filesystem [sizeBytes, usedBytes],
 *     uptimeSeconds, columns]
 *    where a group the source could not give (and every group of a down node) is null. `columns`
 *    is there only when the header names columns: null when the node has no readings (down), else
 *    one reading per column in the header's order: its value (a number or null) when it has no
 *    labelled parts, else [value, [[labels, value], ...], partCount].
 *    An entry of a node with processes, containers or GPUs ends with three more elements, those
 *    tables (see tables.ts); an entry without them is as in recordings from before they existed.
 *
 * Numbers are written as JavaScript prints them, so figures read back exactly. Every field has a
 * range (see RANGES in fields.ts): the writer leaves out what is outside it (a group or reading becomes
 * null, a text is cut), and the reader takes a record holding anything outside it for damage, so a
 * file from anywhere cannot make a replay allocate or compute past what a real cluster needs.
 *
 * Nothing secret is in a record: ids and targets are written with credentials and secret query
 * parameters masked (`***`), and errors are short sentences.
 */
import type { CpuFigures, NodeFigures, NodeSource } from '../metrics/node-figures.js';
import type { TargetHealth } from '../scrape/types.js';
import type { ContainerTable } from '../metrics/container-stats.js';
import type { NodeProcesses } from '../metrics/process-figures.js';
import type { NodeGpus } from '../store/gpu-entries.js';
import { isColumnName, MAX_PARTS, NO_READING, type ColumnPart, type ColumnReading } from '../expr/column.js';
import {
  amount,
  column,
  cores,
  count,
  difference,
  fail,
  fit,
  FormatError,
  group,
  isObject,
  MAX_CORES,
  MAX_INTERVAL_MS,
  MAX_TEXT,
  num,
  numOrNull,
  percent,
  str,
  text,
  time,
  tuple,
  type Check,
  type Json,
} from './fields.js';

import { decodeTables, encodeTables, GPU_LENGTH, MAX_GPU_PROCESSES, maxTablesBytes, type NodeTables } from './tables.js';

export { FormatError, MAX_COLUMN_VALUE, MAX_CORES, MAX_FIGURE, MAX_INTERVAL_MS, MAX_TEXT, MAX_TIME_MS } from './fields.js';

export const FORMAT_NAME = 'cluster-top-recording';
export const FORMAT_VERSION = 1;

export interface RecordingHeader {
  readonly format: typeof FORMAT_NAME;
  readonly version: typeof FORMAT_VERSION;
  readonly startedAt: string;
  readonly intervalMs: number;
  /** The `--column` names, in the order each entry gives their readings; absent without columns. */
  readonly columns?: readonly string[];
}

export interface NodeDeclaration {
  readonly node: number;
  readonly id: string;
  readonly name: string;
  readonly target: string;
  readonly source: NodeSource;
  readonly labels: Readonly<Record<string, string>>;
}

export interface TickEntry {
  readonly node: number;
  readonly health: TargetHealth;
  readonly figures: NodeFigures;
  /** By column name; {} without columns, or when the node had no readings (down). */
  readonly columns: Readonly<Record<string, ColumnReading>>;
  /** The node's processes, containers and GPUs (tables.ts); all null in an entry without them. */
  readonly tables: NodeTables;
}

export interface Tick {
  readonly timeMs: number;
  readonly entries: TickEntry[];
}

/** Elements the tables add to an entry that has them. */
const TABLES = 3;
const NO_TABLES: NodeTables = { processes: null, containers: null, gpus: null };

const SOURCES: readonly NodeSource[] = ['node_exporter', 'kubelet', 'local', 'prometheus', 'app', 'cadvisor'];

const LOAD = [amount, amount, amount];
const MEMORY = [amount, difference, amount, difference];
const SWAP = [amount, difference];
const PAIR = [amount, amount];
const FILESYSTEM = [amount, difference];

function encodeCpu(cpu: CpuFigures | null): Json {
  if (!cpu || fit(cpu.cores, cores) === null || (cpu.usagePercent !== null && fit(cpu.usagePercent, percent) === null)) return null;
  const perCore = cpu.perCoreUsagePercent;
  if (perCore !== null && (perCore.length > MAX_CORES || perCore.some((p) => p !== null && fit(p, percent) === null))) return null;
  return [cpu.cores, cpu.usagePercent, perCore];
}

/** A reading as the format writes it (see the top of the file). */
function encodeReading(reading: ColumnReading): Json {
  const value = fit(reading.value, column);
  if (reading.parts.length === 0 && reading.partCount === 0) return value;
  const parts = reading.parts
    .filter((p) => fit(p.value, column) !== null)
    .slice(0, MAX_PARTS)
    .map((p): Json => [text(p.labels), p.value]);
  return [value, parts, Math.max(parts.length, fit(reading.partCount, count) ?? 0)];
}

/** What a node holds besides its figures, for encodeEntry. */
export interface EntryExtras {
  /** The header's column names: each entry then has their readings. */
  readonly columns?: readonly string[];
  readonly readings?: Readonly<Record<string, ColumnReading>>;
  readonly processes?: NodeProcesses | null;
  readonly containers?: ContainerTable | null;
  readonly gpus?: NodeGpus | null;
}

export function encodeEntry(node: number, health: TargetHealth, f: NodeFigures, extras: EntryExtras = {}): Json {
  const { columns = [], readings = {} } = extras;
  const h = health;
  const entry: Json[] = [
    node, h.up ? 1 : 0, h.lastError === null ? null : text(h.lastError), fit(h.lastScrapeMs, time), fit(h.lastDurationMs, time), fit(h.lastSuccessMs, time),
    fit(h.consecutiveFailures, count) ?? 0, fit(h.lastBodyBytes, count), fit(h.lastWireBytes, count), fit(h.lastSamples, count),
    encodeCpu(f.cpu),
    f.load && group([f.load.load1, f.load.load5, f.load.load15], LOAD),
    f.memory && group([f.memory.totalBytes, f.memory.usedBytes, f.memory.availableBytes, f.memory.usedPercent], MEMORY),
    f.swap && group([f.swap.totalBytes, f.swap.usedBytes], SWAP),
    f.network && group([f.network.receiveBytesPerSecond, f.network.transmitBytesPerSecond], PAIR),
    f.disk && group([f.disk.readBytesPerSecond, f.disk.writtenBytesPerSecond], PAIR),
    f.filesystem && group([f.filesystem.sizeBytes, f.filesystem.usedBytes], FILESYSTEM),
    fit(f.uptimeSeconds, amount),
  ];
  if (columns.length > 0) entry.push(Object.keys(readings).length === 0 ? null : columns.map((name) => encodeReading(readings[name] ?? NO_READING)));
  entry.push(...encodeTables(extras.processes ?? null, extras.containers ?? null, extras.gpus ?? null));
  return entry;
}

export function headerLine(startedAtMs: number, intervalMs: number, columns: readonly string[] = []): string {
  const header: RecordingHeader = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    startedAt: new Date(startedAtMs).toISOString(),
    // Sources' intervals are whole milliseconds in range; this keeps the header readable whatever comes.
    intervalMs: Math.min(MAX_INTERVAL_MS, Math.max(1, Math.round(intervalMs))),
    ...(columns.length > 0 ? { columns } : {}),
  };
  return `${JSON.stringify(header)}\n`;
}

/** The header's first bytes: enough to tell a recording from any other file. */
export const HEADER_PREFIX = `{"format":"${FORMAT_NAME}"`;

/**
 * What a record may hold at most, checked on its bytes before it is parsed: `levels[d]` is how many
 * elements an array or object at depth d + 1 may have (nothing lies deeper), `stringBytes` how
 * long a string may be as written.
 */
export interface RecordShape {
  readonly levels: readonly number[];
  readonly stringBytes: number;
}

/** A JSON string of MAX_TEXT characters, each escaped as \uXXXX at worst, with its quotes. */
const MAX_TEXT_BYTES = 6 * MAX_TEXT + 2;

/**
 * A tick's levels, the tick itself first: entries, an entry's fields, a group (or the column
 * readings, or a table), per-core figures (or a reading, or a table's rows), parts (or a process,
 * container or GPU), a part (or a GPU's pod or processes), a GPU's process. Texts are errors,
 * parts' labels and the tables' texts.
 */
export function tickShape(declaredNodes: number, columns: number): RecordShape {
  return {
    levels: [1 + declaredNodes, 19 + TABLES, Math.max(4, columns), MAX_CORES, Math.max(MAX_PARTS, GPU_LENGTH), Math.max(2, MAX_GPU_PROCESSES), 3],
    stringBytes: MAX_TEXT_BYTES,
  };
}

/** Header and declarations: objects, a list of column names or an object of labels inside. */
export const OBJECT_SHAPE: RecordShape = { levels: [64, 1 << 16], stringBytes: Infinity };

/**
 * The most bytes a valid tick of `declaredNodes` nodes can take, every field at its longest (a
 * JSON number takes at most 24 characters, a text character at most 6 escaped).
 */
export function maxTickBytes(declaredNodes: number, columns: number): number {
  const NUMBER = 25;
  const TEXT = MAX_TEXT_BYTES + 1;
  const reading = NUMBER * 2 + MAX_PARTS * (TEXT + NUMBER + 3);
  const entry = 18 * NUMBER + TEXT + MAX_CORES * NUMBER + columns * reading + maxTablesBytes(NUMBER, (chars) => 6 * chars + 3) + 64;
  return 64 * 1024 + declaredNodes * entry;
}

export function decodeHeader(value: unknown): RecordingHeader {
  if (!isObject(value) || value.format !== FORMAT_NAME) fail('no recording header');
  if (value.version !== FORMAT_VERSION) fail(`recording format version ${String(value.version)}, this program reads ${FORMAT_VERSION}`);
  const startedAt = str(value.startedAt, 'startedAt', 64);
  const startedMs = Date.parse(startedAt);
  if (Number.isNaN(startedMs)) fail('startedAt is not a time');
  if (!time(startedMs)) fail(`startedAt is out of range (${startedAt})`);
  // Positive and whole: the history's rows are counted by it.
  const intervalMs = num(value.intervalMs, 'intervalMs', (x) => x >= 1 && x <= MAX_INTERVAL_MS, true);
  if (value.columns === undefined) return { format: FORMAT_NAME, version: FORMAT_VERSION, startedAt, intervalMs };
  if (!Array.isArray(value.columns) || value.columns.length === 0) fail('columns is not a list of names');
  const columns = value.columns.map((name, i) => str(name, `column ${i + 1}`));
  const bad = columns.findIndex((name) => !isColumnName(name));
  if (bad !== -1) fail(`column ${bad + 1} is not a column name`);
  if (new Set(columns).size !== columns.length) fail('columns names a column twice');
  return { format: FORMAT_NAME, version: FORMAT_VERSION, startedAt, intervalMs, columns };
}

export function decodeDeclaration(value: Record<string, unknown>): NodeDeclaration {
  const node = num(value.node, 'node', count, true);
  const source = str(value.source, 'source') as NodeSource;
  if (!SOURCES.includes(source)) fail(`unknown source "${source}"`);
  const labels = isObject(value.labels) ? value.labels : fail('labels is not an object');
  for (const [k, v] of Object.entries(labels)) str(v, `label ${k}`);
  return {
    node,
    id: str(value.id, 'id'),
    name: str(value.name, 'name'),
    target: str(value.target, 'target'),
    source,
    labels: labels as Record<string, string>,
  };
}

function decodeCpu(x: unknown): CpuFigures | null {
  const c = tuple(x, 3, 'cpu');
  if (!c) return null;
  const perCore = c[2] === null ? null : Array.isArray(c[2]) ? c[2] : fail('cpu cores is not an array');
  if (perCore && perCore.length > MAX_CORES) fail(`cpu has more than ${MAX_CORES} cores`);
  return {
    cores: num(c[0], 'cpu.cores', cores),
    usagePercent: numOrNull(c[1], 'cpu.usagePercent', percent),
    perCoreUsagePercent: perCore && perCore.map((v, i) => numOrNull(v, `cpu core ${i}`, percent)),
  };
}

/** Numbers of a group, each checked against its range; null when the group is null. */
function nums(x: unknown, ranges: readonly Check[], what: string): number[] | null {
  const t = tuple(x, ranges.length, what);
  return t && t.map((v, i) => num(v, `${what}[${i}]`, ranges[i]));
}

function decodeReading(x: unknown, what: string): ColumnReading {
  if (x === null || typeof x === 'number') return { value: numOrNull(x, `${what} value`, column), parts: [], partCount: 0 };
  const r = tuple(x, 3, what) ?? fail(`${what} is null`);
  if (!Array.isArray(r[1])) fail(`${what} parts is not an array`);
  if (r[1].length > MAX_PARTS) fail(`${what} has more than ${MAX_PARTS} parts`);
  const parts = r[1].map((p, i): ColumnPart => {
    const part = tuple(p, 2, `${what} part ${i + 1}`) ?? fail(`${what} part ${i + 1} is null`);
    return { labels: str(part[0], `${what} part ${i + 1} labels`, MAX_TEXT), value: num(part[1], `${what} part ${i + 1} value`, column) };
  });
  const partCount = num(r[2], `${what} part count`, count, true);
  if (partCount < parts.length) fail(`${what} part count is less than its parts`);
  return { value: numOrNull(r[0], `${what} value`, column), parts, partCount };
}

function decodeColumns(x: unknown, names: readonly string[]): Record<string, ColumnReading> {
  const readings = tuple(x, names.length, 'columns');
  const out: Record<string, ColumnReading> = {};
  if (readings) names.forEach((name, i) => (out[name] = decodeReading(readings[i], `column ${name}`)));
  return out;
}

/** `columns`: the header's column names; an entry then has one more element, their readings. */
export function decodeEntry(value: unknown, columns: readonly string[] = []): TickEntry {
  const base = columns.length > 0 ? 19 : 18;
  if (!Array.isArray(value)) fail(value === null ? 'entry is null' : 'entry is not an array');
  if (value.length !== base && value.length !== base + TABLES) fail(`entry is not an array of ${base} or ${base + TABLES}`);
  const e = value;
  const node = num(e[0], 'node', count, true);
  if (e[1] !== 0 && e[1] !== 1) fail('up is not 0 or 1');
  const error = e[2] === null ? null : str(e[2], 'error', MAX_TEXT);
  const health: TargetHealth = {
    up: e[1] === 1,
    lastError: error,
    lastScrapeMs: numOrNull(e[3], 'lastScrapeMs', time),
    lastDurationMs: numOrNull(e[4], 'lastDurationMs', time),
    lastSuccessMs: numOrNull(e[5], 'lastSuccessMs', time),
    consecutiveFailures: num(e[6], 'consecutiveFailures', count, true),
    lastBodyBytes: numOrNull(e[7], 'lastBodyBytes', count, true),
    lastWireBytes: numOrNull(e[8], 'lastWireBytes', count, true),
    lastSamples: numOrNull(e[9], 'lastSamples', count, true),
  };
  const load = nums(e[11], LOAD, 'load');
  const memory = nums(e[12], MEMORY, 'memory');
  const swap = nums(e[13], SWAP, 'swap');
  const network = nums(e[14], PAIR, 'network');
  const disk = nums(e[15], PAIR, 'disk');
  const filesystem = nums(e[16], FILESYSTEM, 'filesystem');
  const figures: NodeFigures = {
    cpu: decodeCpu(e[10]),
    load: load && { load1: load[0]!, load5: load[1]!, load15: load[2]! },
    memory: memory && { totalBytes: memory[0]!, usedBytes: memory[1]!, availableBytes: memory[2]!, usedPercent: memory[3]! },
    swap: swap && { totalBytes: swap[0]!, usedBytes: swap[1]! },
    network: network && { receiveBytesPerSecond: network[0]!, transmitBytesPerSecond: network[1]! },
    disk: disk && { readBytesPerSecond: disk[0]!, writtenBytesPerSecond: disk[1]! },
    filesystem: filesystem && { sizeBytes: filesystem[0]!, usedBytes: filesystem[1]! },
    uptimeSeconds: numOrNull(e[17], 'uptimeSeconds', amount),
  };
  const tables = e.length > base ? decodeTables(e.slice(base)) : NO_TABLES;
  return { node, health, figures, columns: columns.length > 0 ? decodeColumns(e[18], columns) : {}, tables };
}

export function decodeTick(value: unknown[], columns: readonly string[] = []): Tick {
  const timeMs = num(value[0], 'tick time', time);
  return { timeMs, entries: value.slice(1).map((e, i) => {
    try {
      return decodeEntry(e, columns);
    } catch (error) {
      throw new FormatError(`entry ${i + 1}: ${(error as Error).message}`);
    }
  }) };
}
