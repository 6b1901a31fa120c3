/**
 * Keeps scraping a changing set of targets, spread over the interval.
 *
 * Each target has a fixed phase within the interval (from a hash of its id, as
 * Prometheus does), and its turns fall at phase + k * interval on the wall
 * clock. The next turn is computed from that grid, never from when the last
 * scrape finished, so there is no drift; a turn that comes while the previous
 * scrape still runs is skipped. A semaphore caps the requests in flight, and
 * the scraper's own deadline bounds how long a dead target holds a place.
 */
import type { Target } from '../targets/target.js';
import type { Scraper } from './scraper.js';
import { Semaphore } from './semaphore.js';
import type { ScrapeResult } from './types.js';

export interface ScrapeSchedulerOptions {
  /** Whole milliseconds between two scrapes of a target. */
  readonly intervalMs: number;
  /** Requests in flight at most, over all targets. */
  readonly concurrency: number;
  /**
   * Gets every result, failures included; returns whether it counts as a success
   * (a body may fetch fine yet not parse). A failed fetch never counts as one.
   */
  readonly onResult: (result: ScrapeResult) => boolean | Promise<boolean>;
  readonly now?: () => number;
}

/** What the scheduler needs of a Scraper (tests pass a fake). */
export type ScrapeClient = Pick<Scraper, 'scrape' | 'forget'>;

const MAX_BACKOFF_MS = 30_000;

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
}

export class ScrapeScheduler {
  private readonly scraper: ScrapeClient;
  private readonly onResult: ScrapeSchedulerOptions['onResult'];
  private readonly now: () => number;
  private readonly slots: Semaphore;
  private readonly states = new Map<string, TargetState>();
  private readonly running = new Set<Promise<void>>();
  private intervalMs: number;
  private started = false;

  constructor(scraper: ScrapeClient, options: ScrapeSchedulerOptions) {
    this.scraper = scraper;
    this.onResult = options.onResult;
    this.now = options.now ?? Date.now;
    this.slots = new Semaphore(options.concurrency);
    this.intervalMs = checkedInterval(options.intervalMs);
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
      };
      this.states.set(target.id, fresh);
      if (this.started) this.arm(fresh, this.now());
    }
  }

  /** The run's interval; targets with one of their own (a scrape job's) keep theirs. */
  setIntervalMs(ms: number): void {
    this.intervalMs = checkedInterval(ms);
    if (!this.started) return;
    // Waiting targets move to the new grid now; running ones join it when they finish.
    const now = this.now();
    for (const state of this.states.values()) if (state.timer !== undefined) this.arm(state, now);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.now();
    for (const state of this.states.values()) this.arm(state, now);
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

  private arm(state: TargetState, notBefore: number): void {
    clearTimeout(state.timer);
    const interval = this.intervalOf(state);
    const phaseMs = Math.floor(state.phase * interval);
    const turn = phaseMs + Math.ceil((notBefore - phaseMs) / interval) * interval;
    state.timer = setTimeout(() => this.onTurn(state, turn), Math.max(0, turn - this.now()));
  }

  private onTurn(state: TargetState, turn: number): void {
    state.timer = undefined;
    // Never earlier than now: after a stall (a suspended laptop) we resume, not replay missed turns.
    if (state.current !== undefined) {
      this.arm(state, Math.max(turn + this.intervalOf(state), this.now()));
      return;
    }
    void this.launch(state).then(() => {
      if (!this.started || state.removed) return;
      this.arm(state, Math.max(turn + retryDelayMs(this.intervalOf(state), state.failures), this.now()));
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
    const result = await this.scrapeWithinLimit(state.target, signal);
    // Cancelled by stop() or setTargets(): nobody wants this result any more.
    if (result === undefined || signal.aborted) return;
    const accepted = await this.deliver(result);
    state.failures = result.ok && accepted ? 0 : state.failures + 1;
  }

  private async scrapeWithinLimit(target: Target, signal: AbortSignal): Promise<ScrapeResult | undefined> {
    const release = await this.slots.acquire();
    try {
      return signal.aborted ? undefined : await this.scraper.scrape(target, signal);
    } finally {
      release();
    }
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
