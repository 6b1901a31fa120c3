/**
 * One refresh's query results turned into each node's NodeFigures, by the rules of
 * src/metrics/node-exporter.ts: the queries did the arithmetic across series, this joins the
 * results per node, scales, clamps and rounds as the scrape path does. A figure whose series is
 * missing (or NaN, as 0/0 is before two samples exist) is null, as before a second scrape.
 */
import type { NodeFigures } from '../../metrics/node-figures.js';
import type { TargetHealth } from '../../scrape/types.js';
import { byCoreNumber, NODE_SERIES as N, round } from '../../metrics/node-exporter.js';
import type { InstantSample, Labels } from './decode.js';
import { GAUGES, HEALTH, STATIC_GAUGES, type LiveQuery, type StaticQuery } from './queries.js';

/** Results by query; a query that failed is absent, and its figures are null. */
export type RefreshResults = Partial<Record<LiveQuery, readonly InstantSample[]>>;
/** The static queries' results, likewise. */
export type StaticResults = Partial<Record<StaticQuery, readonly InstantSample[]>>;

/** A node's key in query results: its job and instance labels. */
export function nodeKey(labels: Labels): string {
  return `${labels.job ?? ''}\u0000${labels.instance ?? ''}`;
}

/** What tells a node apart in query results (NodeRef has both). */
export interface NodeLabels {
  readonly job: string;
  readonly instance: string;
}

/**
 * Finite values of one query, by node; several series per node are kept in result order. By
 * instance, the job checked on reading: a key made of both for each of a 10,000-node refresh's
 * 200,000 samples, and an array for each node's one sample, cost more than the figures. A node's
 * entry is its sample until a second comes.
 */
class ByNode {
  private readonly map = new Map<string, InstantSample | InstantSample[]>();

  constructor(samples: readonly InstantSample[] | undefined) {
    for (const s of samples ?? []) {
      if (!Number.isFinite(s.value)) continue;
      const instance = s.labels.instance ?? '';
      const had = this.map.get(instance);
      if (had === undefined) this.map.set(instance, s);
      else if (Array.isArray(had)) had.push(s);
      else this.map.set(instance, [had as InstantSample, s]);
    }
  }

  all(node: NodeLabels): readonly InstantSample[] {
    const had = this.map.get(node.instance);
    if (had === undefined) return [];
    if (!Array.isArray(had)) return ofJob(had as InstantSample, node) ? [had as InstantSample] : [];
    return had.every((s) => ofJob(s, node)) ? had : had.filter((s) => ofJob(s, node));
  }

  value(node: NodeLabels): number | undefined {
    const had = this.map.get(node.instance);
    if (had === undefined) return undefined;
    if (!Array.isArray(had)) return ofJob(had as InstantSample, node) ? (had as InstantSample).value : undefined;
    for (const s of had) if (ofJob(s, node)) return s.value;
    return undefined;
  }
}

const ofJob = (s: InstantSample, node: NodeLabels): boolean => (s.labels.job ?? '') === node.job;

/** One node's values of a query fetching several series by name, in `names` order (NaN: none). */
interface NamedRow {
  readonly job: string;
  readonly values: number[];
  /** The same instance under another job. */
  readonly next: NamedRow | undefined;
}

/**
 * A query fetching several series told apart by __name__ (the gauges, the health series), read
 * once into a row of values per node: each node then asks for nine gauges by position, rather
 * than searching its samples for each name. The first sample of a name wins.
 */
class NamedByNode {
  private readonly map = new Map<string, NamedRow>();

  constructor(
    samples: readonly InstantSample[] | undefined,
    private readonly slots: ReadonlyMap<string, number>,
  ) {
    for (const s of samples ?? []) {
      if (!Number.isFinite(s.value)) continue;
      const slot = slots.get(s.labels.__name__ ?? '');
      if (slot === undefined) continue;
      const instance = s.labels.instance ?? '';
      const job = s.labels.job ?? '';
      const first = this.map.get(instance);
      let row = first;
      while (row !== undefined && row.job !== job) row = row.next;
      if (row === undefined) this.map.set(instance, (row = { job, values: new Array<number>(slots.size).fill(NaN), next: first }));
      if (Number.isNaN(row.values[slot])) row.values[slot] = s.value;
    }
  }

  /** The node's values by slot, or undefined when it has none. */
  row(node: NodeLabels): readonly number[] | undefined {
    let row = this.map.get(node.instance);
    while (row !== undefined && row.job !== node.job) row = row.next;
    return row?.values;
  }
}

const slotsOf = (names: readonly string[]): ReadonlyMap<string, number> => new Map(names.map((name, i) => [name, i]));
const GAUGE_SLOTS = slotsOf(GAUGES);
const STATIC_SLOTS = slotsOf(STATIC_GAUGES);
const HEALTH_SLOTS = slotsOf(HEALTH);
const slot = (slots: ReadonlyMap<string, number>, name: string): number => slots.get(name)!;
const [LOAD1, LOAD5, LOAD15, MEM_AVAILABLE, SWAP_FREE, TIME] = [N.load1, N.load5, N.load15, N.memAvailable, N.swapFree, N.time].map((name) => slot(GAUGE_SLOTS, name));
const [MEM_TOTAL, SWAP_TOTAL, BOOT_TIME] = [N.memTotal, N.swapTotal, N.bootTime].map((name) => slot(STATIC_SLOTS, name));
const [UP, SCRAPE_DURATION, SCRAPE_SAMPLES] = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'].map((name) => slot(HEALTH_SLOTS, name));

/** A row's value at `slot`, undefined for none. */
function at(row: readonly number[] | undefined, slot: number | undefined): number | undefined {
  const v = row?.[slot!];
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

/**
 * The static queries' results indexed once, and kept for the refreshes until they are asked again
 * (a minute, or a node appearing): 10,000 nodes' names, cores and sizes are not re-read each time.
 */
export class StaticIndex {
  readonly uname: readonly InstantSample[];
  readonly cores: ByNode;
  readonly gauges: NamedByNode;
  readonly filesystemSize: ByNode;
  /** Cores across the fleet: whether the per-core query is worth its bytes. */
  readonly fleetCores: number | undefined;

  constructor(results: StaticResults) {
    this.uname = results.uname ?? [];
    this.cores = new ByNode(results.cores);
    this.gauges = new NamedByNode(results.staticGauges, STATIC_SLOTS);
    this.filesystemSize = new ByNode(results.filesystemSize);
    this.fleetCores = results.cores?.reduce((sum, s) => sum + (Number.isFinite(s.value) ? s.value : 0), 0);
  }
}

/** The results indexed once, then read per node. */
export class RefreshIndex {
  private readonly q: Record<Exclude<LiveQuery, 'health' | 'gauges'>, ByNode>;
  private readonly healthRows: NamedByNode;
  private readonly gaugeRows: NamedByNode;

  /**
   * `perCoreAsked`: the CPU halves came per core (their `cpu` label) and are summed per node here;
   * else they came per node, and nodes have no per-core figures (a fleet too large for them)
   * rather than a row of cores without rates yet.
   */
  constructor(
    results: RefreshResults,
    private readonly statics: StaticIndex,
    private readonly evalMs: number,
    private readonly perCoreAsked = true,
  ) {
    const index = (name: LiveQuery): ByNode => new ByNode(results[name]);
    this.healthRows = new NamedByNode(results.health, HEALTH_SLOTS);
    this.gaugeRows = new NamedByNode(results.gauges, GAUGE_SLOTS);
    this.q = {
      cpuOther: index('cpuOther'),
      cpuIdle: index('cpuIdle'),
      filesystem: index('filesystem'),
      rx: index('rx'),
      tx: index('tx'),
      read: index('read'),
      written: index('written'),
    };
  }

  /**
   * The node's health after this refresh: Prometheus's `up` and scrape figures, at the time of the
   * query. A node with no `up` series (the selector matched only its node_ series) counts as up,
   * since it has fresh samples.
   */
  health(key: NodeLabels, previous: TargetHealth): TargetHealth {
    const row = this.healthRows.row(key);
    const duration = at(row, SCRAPE_DURATION);
    const lastDurationMs = duration === undefined ? null : duration * 1000;
    if ((at(row, UP) ?? 1) === 1) {
      // Every field written out (UNKNOWN_HEALTH's, but up), not spread: 10,000 of these a refresh.
      return {
        up: true,
        lastSuccessMs: this.evalMs,
        lastScrapeMs: this.evalMs,
        lastDurationMs,
        lastBodyBytes: null,
        lastWireBytes: null,
        lastSamples: at(row, SCRAPE_SAMPLES) ?? null,
        lastError: null,
        consecutiveFailures: 0,
      };
    }
    return { ...previous, lastScrapeMs: this.evalMs, lastDurationMs, up: false, lastError: 'down in Prometheus (up is 0)', consecutiveFailures: previous.consecutiveFailures + 1 };
  }

  figures(key: NodeLabels): NodeFigures {
    const row = this.gaugeRows.row(key);
    const g = (slot: number | undefined): number | undefined => at(row, slot);
    const fixed = this.statics.gauges.row(key);
    const f = (slot: number | undefined): number | undefined => at(fixed, slot);
    return {
      cpu: this.cpu(key),
      load: triple(g(LOAD1), g(LOAD5), g(LOAD15), (load1, load5, load15) => ({ load1, load5, load15 })),
      memory: pair(f(MEM_TOTAL), g(MEM_AVAILABLE), (total, available) => ({
        totalBytes: total,
        usedBytes: total - available,
        availableBytes: available,
        usedPercent: total > 0 ? round((100 * (total - available)) / total) : 0,
      })),
      swap: pair(f(SWAP_TOTAL), g(SWAP_FREE), (total, free) => ({ totalBytes: total, usedBytes: total - free })),
      network: rates(this.q.rx.value(key), this.q.tx.value(key), (r, w) => ({ receiveBytesPerSecond: r, transmitBytesPerSecond: w })),
      disk: rates(this.q.read.value(key), this.q.written.value(key), (r, w) => ({ readBytesPerSecond: r, writtenBytesPerSecond: w })),
      filesystem: this.filesystem(key),
      uptimeSeconds: pair(f(BOOT_TIME), g(TIME) ?? this.evalMs / 1000, (boot, now) => Math.max(0, round(now - boot))),
    };
  }

  private cpu(key: NodeLabels): NodeFigures['cpu'] {
    const idle = this.q.cpuIdle.all(key);
    const other = this.q.cpuOther.all(key);
    let perCore: { readonly cpu: string; readonly share: number }[] = [];
    if (this.perCoreAsked) {
      const otherByCore = new Map(other.map((s) => [s.labels.cpu ?? '', s.value]));
      perCore = idle
        .map((s) => ({ cpu: s.labels.cpu ?? '', share: busyShare(s.value, otherByCore.get(s.labels.cpu ?? '')) }))
        .sort((a, b) => byCoreNumber(a.cpu, b.cpu));
    }
    const cores = this.statics.cores.value(key) ?? perCore.length;
    const share = idle.length === 0 || other.length === 0 ? NaN : busyShare(sum(idle), sum(other));
    if (cores === 0 && Number.isNaN(share)) return null;
    return {
      cores,
      usagePercent: Number.isNaN(share) ? null : percent(share),
      // Before Prometheus has two samples no core has a rate: one null per core, as after a first scrape.
      perCoreUsagePercent: !this.perCoreAsked ? null : perCore.length > 0 ? perCore.map((c) => (Number.isNaN(c.share) ? null : percent(c.share))) : Array.from({ length: cores }, () => null),
    };
  }

  /** The "/" mount; size and available space from the same device when several are mounted there. */
  private filesystem(key: NodeLabels): NodeFigures['filesystem'] {
    const size = this.statics.filesystemSize.all(key)[0];
    if (!size) return null;
    const avail = this.q.filesystem.all(key).find((s) => s.labels.device === size.labels.device);
    return avail ? { sizeBytes: size.value, usedBytes: size.value - avail.value } : null;
  }
}

/** 1 − idle / (idle + other), as the scrape path's 1 − Δidle / Δall; NaN without both or when no time passed. */
function busyShare(idle: number, other: number | undefined): number {
  if (other === undefined) return NaN;
  const all = idle + other;
  return all > 0 ? 1 - idle / all : NaN;
}

const sum = (samples: readonly InstantSample[]): number => samples.reduce((total, s) => total + s.value, 0);

/** A busy share (0..1) as the scrape path shows it: percent, clamped to [0, 100], three decimals. */
function percent(share: number): number {
  return round(Math.min(100, Math.max(0, 100 * share)));
}

function pair<T>(a: number | undefined, b: number | undefined, make: (a: number, b: number) => T): T | null {
  return a === undefined || b === undefined ? null : make(a, b);
}

function triple<T>(a: number | undefined, b: number | undefined, c: number | undefined, make: (a: number, b: number, c: number) => T): T | null {
  return a === undefined || b === undefined || c === undefined ? null : make(a, b, c);
}

/** Like the scrape path: null while neither side has a rate, a missing side counts as 0. */
function rates<T>(a: number | undefined, b: number | undefined, make: (a: number, b: number) => T): T | null {
  return a === undefined && b === undefined ? null : make(round(a ?? 0), round(b ?? 0));
}
