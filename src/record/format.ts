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
 *
 * Numbers are written as JavaScript prints them, so figures read back exactly. Nothing secret is
 * in a record: targets are display URLs (passwords already `***`) and errors are short sentences.
 */
import type { CpuFigures, NodeFigures, NodeSource } from '../metrics/node-figures.js';
import type { TargetHealth } from '../scrape/types.js';
import { NO_READING, type ColumnPart, type ColumnReading } from '../expr/column.js';

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
}

export interface Tick {
  readonly timeMs: number;
  readonly entries: TickEntry[];
}

/** A record that does not have the shape this version writes; the message says what is wrong. */
export class FormatError extends Error {}

const SOURCES: readonly NodeSource[] = ['node_exporter', 'kubelet', 'local', 'prometheus', 'app'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const finite = (...xs: (number | null)[]): boolean => xs.every((x) => x === null || Number.isFinite(x));
/** A group holding a non-finite number would read back as null where a number belongs: it is dropped whole. */
const group = (values: (number | null)[]): (number | null)[] | null => (finite(...values) ? values : null);

function encodeCpu(cpu: CpuFigures | null): Json {
  if (!cpu || !finite(cpu.cores, cpu.usagePercent, ...(cpu.perCoreUsagePercent ?? []))) return null;
  return [cpu.cores, cpu.usagePercent, cpu.perCoreUsagePercent];
}

/** A reading as the format writes it (see the top of the file). */
function encodeReading(reading: ColumnReading): Json {
  const value = finite(reading.value) ? reading.value : null;
  if (reading.parts.length === 0 && reading.partCount === 0) return value;
  const parts = reading.parts.filter((p) => Number.isFinite(p.value)).map((p): Json => [p.labels, p.value]);
  return [value, parts, reading.partCount];
}

/** `columns` are the header's column names: each entry then ends with their readings. */
export function encodeEntry(node: number, health: TargetHealth, f: NodeFigures, columns: readonly string[] = [], readings: Readonly<Record<string, ColumnReading>> = {}): Json {
  const h = health;
  const entry: Json[] = [
    node, h.up ? 1 : 0, h.lastError, h.lastScrapeMs, h.lastDurationMs, h.lastSuccessMs, h.consecutiveFailures,
    h.lastBodyBytes, h.lastWireBytes, h.lastSamples,
    encodeCpu(f.cpu),
    f.load && group([f.load.load1, f.load.load5, f.load.load15]),
    f.memory && group([f.memory.totalBytes, f.memory.usedBytes, f.memory.availableBytes, f.memory.usedPercent]),
    f.swap && group([f.swap.totalBytes, f.swap.usedBytes]),
    f.network && group([f.network.receiveBytesPerSecond, f.network.transmitBytesPerSecond]),
    f.disk && group([f.disk.readBytesPerSecond, f.disk.writtenBytesPerSecond]),
    f.filesystem && group([f.filesystem.sizeBytes, f.filesystem.usedBytes]),
    finite(f.uptimeSeconds) ? f.uptimeSeconds : null,
  ];
  if (columns.length > 0) entry.push(Object.keys(readings).length === 0 ? null : columns.map((name) => encodeReading(readings[name] ?? NO_READING)));
  return entry;
}

export function headerLine(startedAtMs: number, intervalMs: number, columns: readonly string[] = []): string {
  const header: RecordingHeader = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    startedAt: new Date(startedAtMs).toISOString(),
    intervalMs,
    ...(columns.length > 0 ? { columns } : {}),
  };
  return `${JSON.stringify(header)}\n`;
}

/** The header's first bytes: enough to tell a recording from any other file. */
export const HEADER_PREFIX = `{"format":"${FORMAT_NAME}"`;

function fail(what: string): never {
  throw new FormatError(what);
}

function num(x: unknown, what: string): number {
  return typeof x === 'number' ? x : fail(`${what} is not a number`);
}

function numOrNull(x: unknown, what: string): number | null {
  return x === null ? null : num(x, what);
}

function str(x: unknown, what: string): string {
  return typeof x === 'string' ? x : fail(`${what} is not a string`);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function tuple(x: unknown, length: number, what: string): unknown[] | null {
  if (x === null) return null;
  if (!Array.isArray(x) || x.length !== length) fail(`${what} is not an array of ${length}`);
  return x;
}

export function decodeHeader(value: unknown): RecordingHeader {
  if (!isObject(value) || value.format !== FORMAT_NAME) fail('no recording header');
  if (value.version !== FORMAT_VERSION) fail(`recording format version ${String(value.version)}, this program reads ${FORMAT_VERSION}`);
  const startedAt = str(value.startedAt, 'startedAt');
  if (Number.isNaN(Date.parse(startedAt))) fail('startedAt is not a time');
  const intervalMs = num(value.intervalMs, 'intervalMs');
  if (!(intervalMs > 0)) fail('intervalMs is not positive');
  if (value.columns === undefined) return { format: FORMAT_NAME, version: FORMAT_VERSION, startedAt, intervalMs };
  if (!Array.isArray(value.columns) || value.columns.length === 0) fail('columns is not a list of names');
  const columns = value.columns.map((name, i) => str(name, `column ${i + 1}`));
  if (new Set(columns).size !== columns.length) fail('columns names a column twice');
  return { format: FORMAT_NAME, version: FORMAT_VERSION, startedAt, intervalMs, columns };
}

export function decodeDeclaration(value: Record<string, unknown>): NodeDeclaration {
  const node = num(value.node, 'node');
  if (!Number.isInteger(node) || node < 0) fail('node is not a node number');
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
  const perCore = c[2] === null ? null : Array.isArray(c[2]) ? c[2].map((v, i) => numOrNull(v, `cpu core ${i}`)) : fail('cpu cores is not an array');
  return { cores: num(c[0], 'cpu.cores'), usagePercent: numOrNull(c[1], 'cpu.usagePercent'), perCoreUsagePercent: perCore };
}

/** Numbers of a group, checked; null when the group is null. */
function nums(x: unknown, length: number, what: string): number[] | null {
  const t = tuple(x, length, what);
  return t && t.map((v, i) => num(v, `${what}[${i}]`));
}

function decodeReading(x: unknown, what: string): ColumnReading {
  if (x === null || typeof x === 'number') return { value: x, parts: [], partCount: 0 };
  const r = tuple(x, 3, what) ?? fail(`${what} is null`);
  const parts = Array.isArray(r[1]) ? r[1].map((p, i): ColumnPart => {
    const part = tuple(p, 2, `${what} part ${i + 1}`) ?? fail(`${what} part ${i + 1} is null`);
    return { labels: str(part[0], `${what} part ${i + 1} labels`), value: num(part[1], `${what} part ${i + 1} value`) };
  }) : fail(`${what} parts is not an array`);
  const partCount = num(r[2], `${what} part count`);
  if (!Number.isInteger(partCount) || partCount < parts.length) fail(`${what} part count is less than its parts`);
  return { value: numOrNull(r[0], `${what} value`), parts, partCount };
}

function decodeColumns(x: unknown, names: readonly string[]): Record<string, ColumnReading> {
  const readings = tuple(x, names.length, 'columns');
  const out: Record<string, ColumnReading> = {};
  if (readings) names.forEach((name, i) => (out[name] = decodeReading(readings[i], `column ${name}`)));
  return out;
}

/** `columns`: the header's column names; an entry then has one more element, their readings. */
export function decodeEntry(value: unknown, columns: readonly string[] = []): TickEntry {
  const e = tuple(value, columns.length > 0 ? 19 : 18, 'entry') ?? fail('entry is null');
  const node = num(e[0], 'node');
  if (e[1] !== 0 && e[1] !== 1) fail('up is not 0 or 1');
  const error = e[2] === null ? null : str(e[2], 'error');
  const health: TargetHealth = {
    up: e[1] === 1,
    lastError: error,
    lastScrapeMs: numOrNull(e[3], 'lastScrapeMs'),
    lastDurationMs: numOrNull(e[4], 'lastDurationMs'),
    lastSuccessMs: numOrNull(e[5], 'lastSuccessMs'),
    consecutiveFailures: num(e[6], 'consecutiveFailures'),
    lastBodyBytes: numOrNull(e[7], 'lastBodyBytes'),
    lastWireBytes: numOrNull(e[8], 'lastWireBytes'),
    lastSamples: numOrNull(e[9], 'lastSamples'),
  };
  const load = nums(e[11], 3, 'load');
  const memory = nums(e[12], 4, 'memory');
  const swap = nums(e[13], 2, 'swap');
  const network = nums(e[14], 2, 'network');
  const disk = nums(e[15], 2, 'disk');
  const filesystem = nums(e[16], 2, 'filesystem');
  const figures: NodeFigures = {
    cpu: decodeCpu(e[10]),
    load: load && { load1: load[0]!, load5: load[1]!, load15: load[2]! },
    memory: memory && { totalBytes: memory[0]!, usedBytes: memory[1]!, availableBytes: memory[2]!, usedPercent: memory[3]! },
    swap: swap && { totalBytes: swap[0]!, usedBytes: swap[1]! },
    network: network && { receiveBytesPerSecond: network[0]!, transmitBytesPerSecond: network[1]! },
    disk: disk && { readBytesPerSecond: disk[0]!, writtenBytesPerSecond: disk[1]! },
    filesystem: filesystem && { sizeBytes: filesystem[0]!, usedBytes: filesystem[1]! },
    uptimeSeconds: numOrNull(e[17], 'uptimeSeconds'),
  };
  return { node, health, figures, columns: columns.length > 0 ? decodeColumns(e[18], columns) : {} };
}

export function decodeTick(value: unknown[], columns: readonly string[] = []): Tick {
  const timeMs = num(value[0], 'tick time');
  return { timeMs, entries: value.slice(1).map((e, i) => {
    try {
      return decodeEntry(e, columns);
    } catch (error) {
      throw new FormatError(`entry ${i + 1}: ${(error as Error).message}`);
    }
  }) };
}
