import { ClusterStore } from '../../store/cluster-store.js';
import type { Source } from '../source.js';
import type { NodeDeclaration } from '../../record/format.js';
import type { NodeTables } from '../../record/tables.js';
import { describeStop, Recording, RecordingError } from '../../record/reader.js';
import type { ReplayAt } from './flags.js';

const MAX_TIMER_MS = 2 ** 31 - 1;


export interface ReplayOptions {
  readonly path: string;
  /** Recorded seconds played per second. */
  readonly speed: number;
  readonly historyMs: number;
  readonly at?: ReplayAt;
  /** The wall clock the playback runs by. */
  readonly clock?: () => number;
}

/** "+1h2m5s": a place in a recording, shorter than an ISO time and the same in every time zone. */
export function formatOffset(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `+${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s % 60}s`;
}

/**
 * Plays a recording back into a store as if its source were live: at each tick's moment (scaled
 * by the speed) the nodes get their recorded figures and health, and their history rings a row
 * per recorded scrape, exactly as live. Jumping (seek, `--at`) rebuilds the store from the ticks
 * within the history's span before the new moment, so the charts show that span at once. Times
 * are the recorded ones: `clockMs()` is the replay's clock.
 */
export class ReplaySource implements Source {
  readonly store: ClusterStore;
  readonly interval: number;
  private readonly clock: () => number;
  private readonly historyMs: number;
  private readonly firstMs: number;
  private readonly lastMs: number;
  private readonly atMs: number | undefined;
  /** Index of the last tick put into the store, -1 before the first. */
  private applied = -1;
  private positionMs: number;
  private anchorWallMs = 0;
  private running = false;
  private paused = false;
  private failure: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly declarations = new Map<number, NodeDeclaration>();
  private readonly lastScrapeMs = new Map<string, number>();
  /** The GPU refresh last put into each node's GPU rings. */
  private readonly lastGpuMs = new Map<string, number>();

  private constructor(
    private readonly recording: Recording,
    private readonly options: ReplayOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.interval = recording.header.intervalMs;
    this.historyMs = options.historyMs;
    // A node never has more rows than the file has ticks: a header's tiny interval cannot size rings past what the file fills.
    const rows = Math.min(Math.ceil(options.historyMs / this.interval), recording.tickCount);
    this.store = new ClusterStore(Math.max(2, rows), recording.header.columns);
    this.firstMs = recording.times[0] ?? recording.startedMs;
    this.lastMs = recording.times.at(-1) ?? recording.startedMs;
    this.atMs = options.at && this.resolveAt(options.at);
    this.positionMs = this.atMs ?? this.firstMs;
  }

  /** Opens and checks the recording; throws RecordingError (one line naming the file or flag). */
  static open(options: ReplayOptions): ReplaySource {
    const recording = Recording.open(options.path);
    try {
      return new ReplaySource(recording, options);
    } catch (error) {
      recording.close();
      throw error;
    }
  }

  /** The replay's clock: the recorded moment now shown. */
  clockMs(): number {
    if (!this.running || this.paused) return this.positionMs;
    return Math.min(this.lastMs, this.positionMs + (this.clock() - this.anchorWallMs) * this.options.speed);
  }

  get notice(): string {
    const { recording } = this;
    const state = this.failure ? ', stopped' : this.paused ? ', paused' : this.applied === recording.tickCount - 1 ? ', end' : '';
    const place = `replay ${formatOffset(this.clockMs() - recording.startedMs)} of ${formatOffset(this.lastMs - recording.startedMs)}, ${this.options.speed}x${state}`;
    const problem = this.warning;
    return problem ? `${place}; ${problem}` : place;
  }

  /** Where the valid part of the file ended, if before its end. */
  get warning(): string | undefined {
    const { recording } = this;
    if (this.failure) return this.failure;
    if (recording.stopped) return `${recording.path}: the recording stops at ${describeStop(recording.stopped)}`;
    return recording.tickCount === 0 ? `${recording.path}: no refreshes recorded` : undefined;
  }

  start(): void {
    this.running = true;
    this.moveTo(this.positionMs);
    this.anchorWallMs = this.clock();
    this.schedule();
  }

  /** The store as it was at `--at`, or at the end of the recording. */
  async collectOnce(): Promise<void> {
    this.positionMs = this.atMs ?? this.lastMs;
    this.moveTo(this.positionMs);
  }

  /** A recording's interval is what it was; nothing to change. */
  setIntervalMs(): void {}

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.positionMs = this.clockMs();
    this.anchorWallMs = this.clock();
    this.paused = paused;
    this.schedule();
  }

  /** Moves the replay clock by `deltaMs` (back when negative), within the recording. */
  seek(deltaMs: number): void {
    this.positionMs = Math.min(this.lastMs, Math.max(this.firstMs, this.clockMs() + deltaMs));
    this.anchorWallMs = this.clock();
    this.moveTo(this.positionMs);
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.recording.close();
  }

  private resolveAt(at: ReplayAt): number {
    const ms = at.kind === 'time' ? at.ms : this.recording.startedMs + at.ms;
    const { startedMs, tickCount } = this.recording;
    if (tickCount > 0 && ms >= startedMs && ms <= this.lastMs) return ms;
    const span = `${new Date(startedMs).toISOString()} (+0s) to ${new Date(this.lastMs).toISOString()} (${formatOffset(this.lastMs - startedMs)})`;
    throw new RecordingError(`--at ${at.text}: ${this.recording.path} covers ${tickCount > 0 ? span : 'no refreshes'}`);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.recording.times[this.applied + 1];
    if (!this.running || this.paused || this.failure || next === undefined) return;
    // A longer wait than a timer can take would fire at once (and again, and again): wake and look again instead.
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, (next - this.clockMs()) / this.options.speed));
    this.timer = setTimeout(() => {
      this.moveTo(this.clockMs());
      this.schedule();
    }, delay);
  }

  /** Brings the store to the last tick at or before `timeMs` (the first tick when none is). */
  private moveTo(timeMs: number): void {
    const { recording } = this;
    const k = Math.max(0, recording.indexAtOrBefore(timeMs));
    if (k >= recording.tickCount || k === this.applied) return;
    const windowStart = recording.times[k]! - this.historyMs;
    let from = this.applied + 1;
    if (this.applied < 0 || k < this.applied || recording.times[from]! <= windowStart) {
      from = recording.indexAtOrBefore(windowStart) + 1;
      this.reset(from);
    }
    try {
      for (let i = from; i <= k; i++) this.apply(i);
    } catch (error) {
      // Only a file changed under the replay gets here: its ticks were all checked when opened.
      this.failure = `${recording.path}: changed while replaying (${(error as Error).message})`;
    }
  }

  /** Empties the store and takes the node declarations made before tick `from`. */
  private reset(from: number): void {
    for (const n of this.store.nodes()) this.store.remove(n.id);
    this.store.cluster.clear();
    this.lastScrapeMs.clear();
    this.lastGpuMs.clear();
    this.declarations.clear();
    for (let i = 0; i < from; i++) for (const d of this.recording.declarationsBefore(i)) this.declarations.set(d.node, d);
    this.applied = from - 1;
  }

  private apply(k: number): void {
    for (const d of this.recording.declarationsBefore(k)) this.declarations.set(d.node, d);
    const tick = this.recording.readTick(k);
    const present = new Set<string>();
    for (const { node, health, figures, columns, tables } of tick.entries) {
      const d = this.declarations.get(node)!;
      present.add(d.id);
      this.store.declare({ id: d.id, name: d.name, target: d.target, source: d.source, labels: d.labels });
      this.applyTables(d.id, tables, tick.timeMs);
      const at = health.lastScrapeMs;
      if (at === null || at === this.lastScrapeMs.get(d.id)) continue;
      this.lastScrapeMs.set(d.id, at);
      if (health.up) this.store.record(d.id, at, { name: d.name, source: d.source, figures, health, columns });
      else this.store.recordDown(d.id, at, health);
    }
    for (const n of this.store.nodes()) {
      if (present.has(n.id)) continue;
      this.store.remove(n.id);
      this.lastScrapeMs.delete(n.id);
      this.lastGpuMs.delete(n.id);
    }
    this.store.appendClusterPoint(tick.timeMs);
    this.applied = k;
  }

  /**
   * A node's processes and containers as the tick has them (the store keeps only the latest), and
   * its GPUs: a GPU refresh not yet applied adds its row to the GPU rings, as live.
   */
  private applyTables(id: string, tables: NodeTables, tickMs: number): void {
    const entry = this.store.get(id)!;
    if (tables.processes !== null || entry.processes !== null) this.store.setProcesses(id, tables.processes);
    if (tables.containers !== null || entry.containers !== null) this.store.setContainers(id, tables.containers);
    const g = tables.gpus;
    if (g === null) {
      if (entry.gpus !== null) this.store.recordGpus(id, tickMs, null);
      this.lastGpuMs.delete(id);
      return;
    }
    // No GPUs listed: no rings, so no row and no time.
    const at = g.atMs ?? tickMs;
    if (g.atMs !== null && at === this.lastGpuMs.get(id)) return;
    if (g.atMs !== null) this.lastGpuMs.set(id, at);
    if (g.error === null) {
      this.store.recordGpus(id, at, g.gpus);
      return;
    }
    // A failed GPU refresh keeps the figures of the last good one, as recorded: after a jump that
    // one may lie before the replayed span, so they come from the record.
    this.store.recordGpusDown(id, at, g.error, g.gpus);
  }
}
