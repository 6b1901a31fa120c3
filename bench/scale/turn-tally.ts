/**
 * Counts the scrapes of each interval, and the turns no scrape took. The scheduler gives every
 * target a fixed phase in the interval, and its turns fall at phase + k × interval on the wall
 * clock; a scrape started at t belongs to turn floor((t − phase) / interval), which lies in
 * window k = [k × interval, (k + 1) × interval). A turn with no scrape was missed: skipped because
 * the previous scrape still ran, or never launched in time.
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
}

type Tally = { -readonly [K in Exclude<keyof WindowStats, 'window' | 'missed' | 'expected'>]: number } & { turnsTaken: number };

const empty = (): Tally => ({ scrapes: 0, failed: 0, turnsTaken: 0, wireBytes: 0, bodyBytes: 0, samples: 0 });

export class TurnTally {
  private readonly tallies = new Map<number, Tally>();
  private readonly lastTurn = new Map<string, number>();
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
    if (this.lastTurn.get(id) === turn) return;
    this.lastTurn.set(id, turn);
    this.tally(turn).turnsTaken++;
  }

  /** The windows up to `last` not taken yet, in order; later scrapes no longer count for them. */
  takeUpTo(last: number): WindowStats[] {
    const out: WindowStats[] = [];
    for (; this.next <= last; this.next++) {
      const t = this.tallies.get(this.next) ?? empty();
      this.tallies.delete(this.next);
      const expected = this.phaseMs.size;
      const { turnsTaken, ...counts } = t;
      out.push({ window: this.next, ...counts, missed: Math.max(0, expected - turnsTaken), expected });
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
