/**
 * Keeps scraping a changing set of targets, spread over the interval.
 *
 * Each target has a fixed phase within the interval (from a hash of its id, as
 * Prometheus does), and its turns fall at phase + k * interval on the wall
 * clock. The next turn is computed from that grid, never from when the last
 * scrape finished, so there is no drift; a turn that comes while the previous
 * scrape still runs is skipped. A semaphore caps the requests in flight, and
 * the scraper's own deadline bounds how long a dead target holds a place. Unless a
 * concurrency is given, the cap follows the load: the scrapes due a second times how long
 * they have been taking (see concurrency.ts), so a large fleet's turns do not queue.
 *
 * A view wants figures at once, and rates need two scrapes: with `firstRateMs`, a target's first
 * scrape is at once and its second that long after, and only then does it join the grid.
 */
import type { Target } from '../targets/target.js';
import type { Scraper } from './scraper.js';
import { Semaphore } from './semaphore.js';
import { concurrencyFor, INITIAL_SCRAPE_MS } from './concurrency.js';
import { openFilesLimit } from '../util/open-files.js';
import type { ScrapeResult } from './types.js';

export interface ScrapeSchedulerOptions {
  /** Whole milliseconds between two scrapes of a target. */
  readonly intervalMs: number;
  /** Requests in flight at most, over all targets: a hard cap. Undefined: it follows the load (concurrencyFor). */
  readonly concurrency?: number;
  /** The open-files limit the load-following cap stays under; default the process's (tests set it). */
  readonly openFiles?: number;
  /**
   * Gets every result, failures included; returns whether it counts as a success
   * (a body may fetch fine yet not parse). A failed fetch never counts as one.
   */
  readonly onResult: (result: ScrapeResult) => boolean | Promise<boolean>;
  readonly now?: () => number;
  /**
   * A quick start, for a view: each target's first scrape at once (not at its phase), and, when it
   * succeeds, a second this many ms after it (if shorter than the target's interval), so that rates
   * exist that soon; then its turns on the grid, the next at least an interval after the first
   * scrape and half an interval after the second. Targets added while running start so too.
   * Undefined: the first turn at the target's phase, the grid from the start.
   */
  readonly firstRateMs?: number;
}

/** What the scheduler needs of a Scraper (tests pass a fake). */
export type ScrapeClient = Pick<Scraper, 'scrape' | 'forget'>;

const MAX_BACKOFF_MS = 30_000;

/** The weight of the latest scrape in the average scrape time: about the last 20 scrapes count. */
const SCRAPE_MS_WEIGHT = 0.05;

/**
 * How long after a turn the next try may come, given the consecutive failures
 * so far: one interval while healthy or after a single failure, then doubling
 * (interval * 2^(n-1)), capped at max(interval, 30 s). The try itself is at
 * the target's first phase slot from then on, so a recovered target keeps its
 * usual phase.
 */
export function retryDelayMs(intervalMs: number, failures: number): number {
  if (failures <= 1) return intervalMs;
  return Math.min(intervalMs * 2 ** (failures - 1), Math.max(intervalMs, MAX_BACKOFF_MS));
}

interface TargetState {
  target: Target;
  /** Where in the interval this target's turns fall, as a fraction in [0, 1). */
  readonly phase: number;
  failures: number;
  removed: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The scrape under way (queued or in flight). */
  current: Promise<void> | undefined;
  /**
   * Cancels the scrape under way. One per target, replaced only once used: a new one per scrape
   * cost a measurable share of the CPU at 1,000 scrapes a second.
   */
  controller: AbortController | undefined;
  /** When the latest scrape's request went out (past the concurrency limit's queue). */
  sentAt: number;
  /** The kind of the turn `timer` waits for. */
  next: Turn['kind'];
}

/** Which turn of a target: the quick start's first and second scrapes (see firstRateMs), or one on the grid. */
type Turn = { readonly kind: 'grid'; readonly at: number } | { readonly kind: 'first' } | { readonly kind: 'second'; readonly firstSentAt: number };

export class ScrapeScheduler {
  private readonly scraper: ScrapeClient;
  private readonly onResult: ScrapeSchedulerOptions['onResult'];
  private readonly now: () => number;
  private readonly slots: Semaphore;
  private readonly states = new Map<string, TargetState>();
  private readonly running = new Set<Promise<void>>();
  private readonly firstRateMs: number | undefined;
  private intervalMs: number;
  private started = false;
  /** Whether the cap follows the load (no concurrency given). */
  private readonly adaptive: boolean;
  private readonly openFiles: number | undefined;
  /** Scrapes due a second over all targets, and the recent average scrape time in ms. */
  private scrapesPerSecond = 0;
  private scrapeMs = INITIAL_SCRAPE_MS;

  constructor(scraper: ScrapeClient, options: ScrapeSchedulerOptions) {
    this.scraper = scraper;
    this.onResult = options.onResult;
    this.now = options.now ?? Date.now;
    this.firstRateMs = options.firstRateMs;
    this.adaptive = options.concurrency === undefined;
    this.openFiles = this.adaptive ? (options.openFiles ?? openFilesLimit()) : undefined;
    this.intervalMs = checkedInterval(options.intervalMs);
    this.slots = new Semaphore(options.concurrency ?? this.loadLimit());
  }

  /** The requests in flight allowed now. */
  get concurrency(): number {
    return this.slots.size;
  }

  /** Adds new targets and drops missing ones; the others keep their schedule and state. */
  setTargets(targets: readonly Target[]): void {
    const wanted = new Set(targets.map((target) => target.id));
    for (const [id, state] of this.states) {
      if (wanted.has(id)) continue;
      this.states.delete(id);
      state.removed = true;
      clearTimeout(state.timer);
      state.controller?.abort();
      this.scraper.forget(state.target);
    }
    for (const target of targets) {
      const state = this.states.get(target.id);
      if (state !== undefined) {
        // Same id, maybe new labels or credentials: the next scrape uses the new object.
        state.target = target;
        continue;
      }
      const fresh: TargetState = {
        target,
        phase: phaseOf(target.id),
        failures: 0,
        removed: false,
        timer: undefined,
        current: undefined,
        controller: undefined,
        sentAt: 0,
        next: 'grid',
      };
      this.states.set(target.id, fresh);
      if (this.started) this.begin(fresh, this.now());
    }
    this.followLoad();
  }

  /** The run's interval; targets with one of their own (a scrape job's) keep theirs. */
  setIntervalMs(ms: number): void {
    this.intervalMs = checkedInterval(ms);
    this.followLoad();
    if (!this.started) return;
    // Waiting targets move to the new grid now; running ones join it when they finish, and so do
    // those in their quick start (a grid turn now could come a few ms after their first scrape).
    const now = this.now();
    for (const state of this.states.values()) if (state.timer !== undefined && state.next === 'grid') this.arm(state, now);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.now();
    for (const state of this.states.values()) this.begin(state, now);
  }

  /** Cancels timers and scrapes under way; resolves once every scrape has settled. */
  async stop(): Promise<void> {
    this.started = false;
    for (const state of this.states.values()) {
      clearTimeout(state.timer);
      state.timer = undefined;
      state.controller?.abort();
    }
    await Promise.all(this.running);
  }

  /** One scrape of every target now, within the concurrency limit; a scrape already under way counts. */
  async scrapeAllOnce(): Promise<void> {
    await Promise.all([...this.states.values()].map((state) => state.current ?? this.launch(state)));
  }

  /** The target's own interval (a scrape job's) or the run's. */
  private intervalOf(state: TargetState): number {
    return state.target.scrape?.intervalMs ?? this.intervalMs;
  }

  /** A target's first turn once running: at once with a quick start, else at its phase. */
  private begin(state: TargetState, now: number): void {
    if (this.firstRateMs === undefined) this.arm(state, now);
    else this.schedule(state, { kind: 'first' }, 0);
  }

  /** The target's next turn on the grid: its first phase slot from `notBefore` on. */
  private arm(state: TargetState, notBefore: number): void {
    const interval = this.intervalOf(state);
    const phaseMs = Math.floor(state.phase * interval);
    const at = phaseMs + Math.ceil((notBefore - phaseMs) / interval) * interval;
    this.schedule(state, { kind: 'grid', at }, at - this.now());
  }

  private schedule(state: TargetState, turn: Turn, delayMs: number): void {
    clearTimeout(state.timer);
    state.next = turn.kind;
    state.timer = setTimeout(() => this.onTurn(state, turn), Math.max(0, delayMs));
  }

  private onTurn(state: TargetState, turn: Turn): void {
    state.timer = undefined;
    // Never earlier than now: after a stall (a suspended laptop) we resume, not replay missed turns.
    if (state.current !== undefined) {
      this.arm(state, Math.max((turn.kind === 'grid' ? turn.at : this.now()) + this.intervalOf(state), this.now()));
      return;
    }
    void this.launch(state).then(() => {
      if (!this.started || state.removed) return;
      const interval = this.intervalOf(state);
      const now = this.now();
      if (turn.kind === 'grid') {
        this.arm(state, Math.max(turn.at + retryDelayMs(interval, state.failures), now));
      } else if (state.failures > 0) {
        this.arm(state, Math.max(state.sentAt + retryDelayMs(interval, state.failures), now));
      } else if (turn.kind === 'first' && this.firstRateMs !== undefined && this.firstRateMs < interval) {
        this.schedule(state, { kind: 'second', firstSentAt: state.sentAt }, state.sentAt + this.firstRateMs - now);
      } else {
        // A rate over half an interval at least, and no more than two scrapes in the first interval.
        const firstSentAt = turn.kind === 'second' ? turn.firstSentAt : state.sentAt;
        this.arm(state, Math.max(firstSentAt + interval, state.sentAt + interval / 2, now));
      }
    });
  }

  private launch(state: TargetState): Promise<void> {
    if (state.controller === undefined || state.controller.signal.aborted) state.controller = new AbortController();
    const run = this.scrapeAndDeliver(state, state.controller.signal).finally(() => {
      state.current = undefined;
      this.running.delete(run);
    });
    state.current = run;
    this.running.add(run);
    return run;
  }

  private async scrapeAndDeliver(state: TargetState, signal: AbortSignal): Promise<void> {
    const result = await this.scrapeWithinLimit(state, signal);
    // Cancelled by stop() or setTargets(): nobody wants this result any more.
    if (result === undefined || signal.aborted) return;
    const accepted = await this.deliver(result);
    state.failures = result.ok && accepted ? 0 : state.failures + 1;
  }

  private async scrapeWithinLimit(state: TargetState, signal: AbortSignal): Promise<ScrapeResult | undefined> {
    const release = await this.slots.acquire();
    try {
      if (signal.aborted) return undefined;
      state.sentAt = this.now();
      const result = await this.scraper.scrape(state.target, signal);
      if (this.adaptive && !signal.aborted) {
        this.scrapeMs += (this.now() - state.sentAt - this.scrapeMs) * SCRAPE_MS_WEIGHT;
        this.slots.setLimit(this.loadLimit());
      }
      return result;
    } finally {
      release();
    }
  }

  /** After the targets or intervals change: the scrapes due a second, and the cap for them. */
  private followLoad(): void {
    if (!this.adaptive) return;
    let perSecond = 0;
    for (const state of this.states.values()) perSecond += 1000 / this.intervalOf(state);
    this.scrapesPerSecond = perSecond;
    this.slots.setLimit(this.loadLimit());
  }

  private loadLimit(): number {
    return concurrencyFor({ scrapesPerSecond: this.scrapesPerSecond, scrapeMs: this.scrapeMs, openFiles: this.openFiles });
  }

  private async deliver(result: ScrapeResult): Promise<boolean> {
    try {
      return await this.onResult(result);
    } catch {
      // A consumer that throws must not end the schedule; the scrape just does not count as a success.
      return false;
    }
  }
}

function checkedInterval(ms: number): number {
  const whole = Math.round(ms);
  if (!(whole >= 1)) throw new RangeError('the scrape interval must be at least 1 ms');
  return whole;
}

/**
 * FNV-1a of the id, as a fraction in [0, 1): stable across runs, spread evenly enough.
 * Exported so a benchmark can tell which turn a scrape belongs to.
 */
export function phaseOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}
