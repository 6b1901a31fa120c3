/**
 * Counts the scrapes of each interval, and the turns no scrape took. The scheduler gives every
 * target a fixed phase in the interval, and its turns fall at phase + k × interval on the wall
 * clock; a scrape started at t belongs to turn floor((t − phase) / interval), which lies in
 * window k = [k × interval, (k + 1) × interval). A turn with no scrape was missed: skipped because
 * the previous scrape still ran, or never launched in time, or left out by the back-off after
 * failures (counted apart: missedAfterFailure).
 *
 * Where a run misses turns, the timing says which side fell behind: how late after its turn each
 * scrape started (the scheduler's timers and the concurrency queue: ours) and how long it took
 * (the simulated node's answer, and our reading of it).
 */
import type { TargetHealth } from '../../src/scrape/types.js';

/**
 * Timers run on the monotonic clock and the scrape time is read from the wall clock, which may
 * be a few ms behind: a scrape up to this share of an interval before its turn still takes it.
 */
const EARLY_SHARE = 0.05;

export interface WindowStats {
  readonly window: number;
  /** Scrapes that started in this window, failed ones included. */
  readonly scrapes: number;
  readonly failed: number;
  /** Counted targets whose turn in this window was not taken. */
  readonly missed: number;
  readonly expected: number;
  readonly wireBytes: number;
  readonly bodyBytes: number;
  /** Sample lines in the payloads: what a Prometheus server would ingest. */
  readonly samples: number;
  /** Of `missed`: turns after a failed scrape of the same target (the back-off's). */
  readonly missedAfterFailure: number;
  /** Over the scrapes of this window's turns, counted targets only. */
  readonly timing: TurnTiming;
}

export interface TurnTiming {
  /** How long after its turn the scrape started (ms): median, 99th percentile, largest. */
  readonly lateP50Ms: number;
  readonly lateP99Ms: number;
  readonly lateMaxMs: number;
  /** How long the scrape took, request to parsed result (ms). */
  readonly durationP99Ms: number;
  readonly durationMaxMs: number;
}

type Counts = { -readonly [K in Exclude<keyof WindowStats, 'window' | 'missed' | 'expected' | 'timing'>]: number };
type Tally = Counts & { turnsTaken: number; late: number[]; durations: number[] };

const empty = (): Tally => ({ scrapes: 0, failed: 0, turnsTaken: 0, wireBytes: 0, bodyBytes: 0, samples: 0, missedAfterFailure: 0, late: [], durations: [] });

/** Turns looked back over for missedAfterFailure: the back-off's longest wait is 30 s. */
const GAP_MAX = 100;

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function timingOf(t: Tally): TurnTiming {
  const late = t.late.sort((a, b) => a - b);
  const durations = t.durations.sort((a, b) => a - b);
  return {
    lateP50Ms: quantile(late, 0.5),
    lateP99Ms: quantile(late, 0.99),
    lateMaxMs: late[late.length - 1] ?? 0,
    durationP99Ms: quantile(durations, 0.99),
    durationMaxMs: durations[durations.length - 1] ?? 0,
  };
}

export class TurnTally {
  private readonly tallies = new Map<number, Tally>();
  private readonly lastTurn = new Map<string, number>();
  /** Whether the target's latest scrape failed. */
  private readonly lastFailed = new Map<string, boolean>();
  /** Scrapes of windows already taken, or before the first: counted nowhere. */
  private readonly dropped = empty();
  private next: number;

  /**
   * @param phaseMs the counted targets' phases in ms (others' scrapes count, their turns do not)
   * @param firstWindow the first window whose turns all come after scraping started
   */
  constructor(
    private readonly intervalMs: number,
    private readonly phaseMs: ReadonlyMap<string, number>,
    firstWindow: number,
  ) {
    this.next = firstWindow;
  }

  observe(id: string, atMs: number, health: TargetHealth): void {
    const t = this.tally(Math.floor(atMs / this.intervalMs));
    t.scrapes++;
    if (health.up) {
      t.wireBytes += health.lastWireBytes ?? 0;
      t.bodyBytes += health.lastBodyBytes ?? 0;
      t.samples += health.lastSamples ?? 0;
    } else {
      t.failed++;
    }
    const phase = this.phaseMs.get(id);
    if (phase === undefined) return;
    const turn = Math.floor((atMs - phase + EARLY_SHARE * this.intervalMs) / this.intervalMs);
    const last = this.lastTurn.get(id);
    const failedBefore = this.lastFailed.get(id) === true;
    this.lastFailed.set(id, !health.up);
    if (last === turn) return;
    this.lastTurn.set(id, turn);
    if (last !== undefined && failedBefore) for (let k = Math.max(last + 1, turn - GAP_MAX); k < turn; k++) this.tally(k).missedAfterFailure++;
    const taken = this.tally(turn);
    taken.turnsTaken++;
    if (taken === this.dropped) return;
    taken.late.push(atMs - phase - turn * this.intervalMs);
    taken.durations.push(health.lastDurationMs ?? 0);
  }

  /** The windows up to `last` not taken yet, in order; later scrapes no longer count for them. */
  takeUpTo(last: number): WindowStats[] {
    const out: WindowStats[] = [];
    for (; this.next <= last; this.next++) {
      const t = this.tallies.get(this.next) ?? empty();
      this.tallies.delete(this.next);
      const expected = this.phaseMs.size;
      const { turnsTaken, late: _late, durations: _durations, ...counts } = t;
      out.push({ window: this.next, ...counts, missed: Math.max(0, expected - turnsTaken), expected, timing: timingOf(t) });
    }
    return out;
  }

  private tally(window: number): Tally {
    if (window < this.next) return this.dropped;
    let t = this.tallies.get(window);
    if (t === undefined) this.tallies.set(window, (t = empty()));
    return t;
  }
}
