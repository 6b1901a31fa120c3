import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScrapeScheduler, phaseOf, retryDelayMs, type ScrapeClient, type ScrapeSchedulerOptions } from '../../src/scrape/scheduler.js';
import { Scraper } from '../../src/scrape/scraper.js';
import { concurrencyFor, INITIAL_SCRAPE_MS, MIN_CONCURRENCY } from '../../src/scrape/concurrency.js';
import { BASE_DESCRIPTORS } from '../../src/util/open-files.js';
import type { ScrapeResult } from '../../src/scrape/types.js';
import type { Target } from '../../src/targets/target.js';
import { refusedUrl, slowDrip, startHttp, startRaw, targetFor, type TestServer } from './servers.js';

type Behaviour = (target: Target, signal: AbortSignal) => Promise<ScrapeResult>;

/** Records every call and how many run at once; each target behaves as told (default: instant success). */
class FakeScraper implements ScrapeClient {
  readonly calls: Array<{ id: string; at: number }> = [];
  readonly forgotten: string[] = [];
  readonly signals: AbortSignal[] = [];
  readonly behaviour = new Map<string, Behaviour>();
  inFlight = 0;
  maxInFlight = 0;
  private readonly inFlightById = new Map<string, number>();
  maxInFlightPerTarget = 0;

  async scrape(target: Target, signal?: AbortSignal): Promise<ScrapeResult> {
    const live = signal ?? new AbortController().signal;
    this.calls.push({ id: target.id, at: Date.now() });
    this.signals.push(live);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const mine = (this.inFlightById.get(target.id) ?? 0) + 1;
    this.inFlightById.set(target.id, mine);
    this.maxInFlightPerTarget = Math.max(this.maxInFlightPerTarget, mine);
    try {
      return await (this.behaviour.get(target.id) ?? succeed)(target, live);
    } finally {
      this.inFlight -= 1;
      this.inFlightById.set(target.id, (this.inFlightById.get(target.id) ?? 1) - 1);
    }
  }

  forget(target: Target): void {
    this.forgotten.push(target.id);
  }

  timesOf(target: Target): number[] {
    return this.calls.filter((call) => call.id === target.id).map((call) => call.at);
  }
}

const succeed: Behaviour = async (target) => ok(target);

function ok(target: Target): ScrapeResult {
  return { ok: true, target, takeBody: () => 'up 1\n', contentType: 'text/plain', wireBytes: 5, bodyBytes: 5, startedAtMs: Date.now(), durationMs: 0 };
}

function fail(target: Target, error: string): ScrapeResult {
  return { ok: false, target, error, startedAtMs: Date.now(), durationMs: 0 };
}

/** Takes `ms` (fake) milliseconds and then answers, or answers 'scrape cancelled' as soon as aborted. */
function taking(ms: number, answer: (target: Target) => ScrapeResult = ok): Behaviour {
  return (target, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(answer(target)), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(fail(target, 'scrape cancelled'));
      }, { once: true });
    });
}

/** Answers only when aborted, like a dead node before its deadline. */
const hanging: Behaviour = (target, signal) =>
  new Promise((resolve) => {
    signal.addEventListener('abort', () => resolve(fail(target, 'scrape cancelled')), { once: true });
  });

function targets(count: number, prefix = 'node'): Target[] {
  return Array.from({ length: count }, (_, i) => targetFor(`http://${prefix}-${i}.example:9100/metrics`));
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((time, i) => time - (times[i] ?? 0));
}

const schedulers: ScrapeScheduler[] = [];

function newScheduler(scraper: ScrapeClient, options: Partial<ScrapeSchedulerOptions> = {}): ScrapeScheduler {
  const scheduler = new ScrapeScheduler(scraper, { intervalMs: 1000, concurrency: 10, onResult: () => true, ...options });
  schedulers.push(scheduler);
  return scheduler;
}

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));
});

describe('retryDelayMs', () => {
  it('doubles from one interval and caps at max(interval, 30 s)', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(1000, n))).toEqual([
      1000, 1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(retryDelayMs(60_000, 5)).toBe(60_000);
  });
});

describe('ScrapeScheduler on a fake clock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('scrapes every target once per interval, on a fixed grid', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper);
    const all = targets(5);
    scheduler.setTargets(all);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(9_999);
    for (const target of all) {
      expect(gaps(scraper.timesOf(target))).toEqual(Array(9).fill(1000));
    }
  });

  it('keeps a target\'s own interval (a scrape job\'s), whatever the run\'s interval becomes', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper);
    const [plain] = targets(1);
    const slow: Target = { ...targetFor('http://slow.example:9100/metrics'), scrape: { intervalMs: 5_000 } };
    scheduler.setTargets([plain!, slow]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(gaps(scraper.timesOf(plain!))).toEqual(Array(19).fill(1000));
    expect(gaps(scraper.timesOf(slow))).toEqual([5000, 5000, 5000]);
    scheduler.setIntervalMs(2000);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(gaps(scraper.timesOf(plain!)).slice(-5)).toEqual(Array(5).fill(2000));
    expect(gaps(scraper.timesOf(slow))).toEqual(Array(7).fill(5000));
  });

  it('spreads the targets over the interval', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper);
    const all = targets(8);
    scheduler.setTargets(all);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(999);
    const firsts = all.map((target) => scraper.timesOf(target)[0]);
    expect(firsts.every((at) => at !== undefined && at >= 0 && at < 1000)).toBe(true);
    expect(new Set(firsts).size).toBe(8);
  });

  it('never has more requests in flight than the concurrency', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { concurrency: 3 });
    const all = targets(20);
    for (const target of all) scraper.behaviour.set(target.id, taking(300));
    scheduler.setTargets(all);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scraper.maxInFlight).toBe(3);
    expect(new Set(scraper.calls.map((call) => call.id)).size).toBe(20);
  });

  it('without a concurrency, allows as many scrapes in flight as the load needs, so no turn is missed', async () => {
    // 500 targets every second, 300 ms a scrape: 150 in flight on average. A fixed 64 carries ~213 a second.
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { concurrency: undefined, openFiles: 1 << 20 });
    const all = targets(500);
    for (const target of all) scraper.behaviour.set(target.id, taking(300));
    scheduler.setTargets(all);
    // Until a scrape has been timed, an assumed scrape time.
    expect(scheduler.concurrency).toBe(concurrencyFor({ scrapesPerSecond: 500, scrapeMs: INITIAL_SCRAPE_MS }));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_999);
    // Once timed, the cap is the rate times the scrape time, twice over.
    expect(scheduler.concurrency).toBe(concurrencyFor({ scrapesPerSecond: 500, scrapeMs: 300 }));
    expect(scraper.maxInFlight).toBeGreaterThan(MIN_CONCURRENCY);
    expect(scraper.maxInFlight).toBeLessThanOrEqual(scheduler.concurrency);
    // Every turn from the second interval on was taken, at its phase: none skipped or queued.
    for (const target of all) {
      const times = scraper.timesOf(target).filter((at) => at >= 1000);
      expect(times).toHaveLength(5);
      expect(new Set(times.map((at) => at % 1000)).size).toBe(1);
    }
  });

  it('without a concurrency, still spreads the turns over the interval', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { concurrency: undefined, openFiles: 1 << 20 });
    const all = targets(500);
    for (const target of all) scraper.behaviour.set(target.id, taking(50));
    scheduler.setTargets(all);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(999);
    const starts = all.map((target) => scraper.timesOf(target)[0] ?? -1);
    // Ten 100 ms slices of the interval each hold about a tenth of the first scrapes, never all of them.
    const perSlice = Array.from({ length: 10 }, (_, i) => starts.filter((at) => Math.floor(at / 100) === i).length);
    expect(perSlice.every((n) => n > 20 && n < 80)).toBe(true);
  });

  it('without a concurrency, stays within the open-files limit', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { concurrency: undefined, openFiles: 80 + BASE_DESCRIPTORS });
    const all = targets(500);
    for (const target of all) scraper.behaviour.set(target.id, taking(300));
    scheduler.setTargets(all);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(scheduler.concurrency).toBe(80);
    expect(scraper.maxInFlight).toBe(80);
  });

  it('a given concurrency stays a hard cap however slow the scrapes', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { concurrency: 64, openFiles: 1 << 20 });
    const all = targets(500);
    for (const target of all) scraper.behaviour.set(target.id, taking(300));
    scheduler.setTargets(all);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(scheduler.concurrency).toBe(64);
    expect(scraper.maxInFlight).toBe(64);
  });

  it('without a concurrency, lowers the cap again when scrapes get quicker', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { concurrency: undefined, openFiles: 1 << 20 });
    const all = targets(500);
    let scrapeMs = 300;
    for (const target of all) scraper.behaviour.set(target.id, (t, signal) => taking(scrapeMs)(t, signal));
    scheduler.setTargets(all);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    const slow = scheduler.concurrency;
    scrapeMs = 10;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(scheduler.concurrency).toBeLessThan(slow);
    // 500 a second at 10 ms: 5 in flight on average, 10 with headroom, so the least limit.
    expect(scheduler.concurrency).toBe(MIN_CONCURRENCY);
  });

  it('keeps scraping fast targets on time while a slow one holds a place', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { concurrency: 2 });
    const [slow, ...fast] = targets(4);
    if (slow === undefined) throw new Error('no targets');
    scraper.behaviour.set(slow.id, taking(5_000, (target) => fail(target, 'timed out after 5 s')));
    scheduler.setTargets([slow, ...fast]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(9_999);
    for (const target of fast) expect(scraper.timesOf(target)).toHaveLength(10);
  });

  it('skips a turn while the previous scrape of that target still runs', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper);
    const [target] = targets(1);
    if (target === undefined) throw new Error('no targets');
    scraper.behaviour.set(target.id, taking(2_500));
    scheduler.setTargets([target]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(scraper.maxInFlightPerTarget).toBe(1);
    expect(gaps(scraper.timesOf(target))).toEqual([3000, 3000, 3000]);
  });

  it('does not start a scheduled turn while a scrapeAllOnce() scrape of that target runs', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper);
    const [target] = targets(1);
    if (target === undefined) throw new Error('no targets');
    scraper.behaviour.set(target.id, taking(2_500));
    scheduler.setTargets([target]);
    scheduler.start();
    const round = scheduler.scrapeAllOnce();
    await vi.advanceTimersByTimeAsync(5_000);
    await round;
    expect(scraper.maxInFlightPerTarget).toBe(1);
    const times = scraper.timesOf(target);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeGreaterThanOrEqual(2_500);
  });

  it('backs off a failing target and returns to the interval once it recovers', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper);
    const [target] = targets(1);
    if (target === undefined) throw new Error('no targets');
    let attempts = 0;
    scraper.behaviour.set(target.id, async (t) => (++attempts <= 4 ? fail(t, 'connection refused') : ok(t)));
    scheduler.setTargets([target]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(gaps(scraper.timesOf(target)).slice(0, 6)).toEqual([1000, 2000, 4000, 8000, 1000, 1000]);
  });

  it('caps the backoff at 30 s', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { intervalMs: 10_000 });
    const [target] = targets(1);
    if (target === undefined) throw new Error('no targets');
    scraper.behaviour.set(target.id, async (t) => fail(t, 'connection refused'));
    scheduler.setTargets([target]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(gaps(scraper.timesOf(target)).slice(0, 4)).toEqual([10_000, 20_000, 30_000, 30_000]);
  });

  it('counts a body the consumer rejects, or a throwing consumer, as a failure', async () => {
    const scraper = new FakeScraper();
    let delivered = 0;
    const scheduler = newScheduler(scraper, {
      onResult: () => {
        delivered += 1;
        if (delivered === 1) return false;
        if (delivered === 2) throw new Error('consumer bug');
        return Promise.resolve(true);
      },
    });
    const [target] = targets(1);
    if (target === undefined) throw new Error('no targets');
    scheduler.setTargets([target]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(gaps(scraper.timesOf(target)).slice(0, 4)).toEqual([1000, 2000, 1000, 1000]);
  });

  it('adds and removes targets without disturbing the others', async () => {
    const scraper = new FakeScraper();
    const results: string[] = [];
    const scheduler = newScheduler(scraper, {
      onResult: (result) => {
        results.push(result.target.id);
        return true;
      },
    });
    const [a, b, c] = targets(3);
    if (a === undefined || b === undefined || c === undefined) throw new Error('no targets');
    scraper.behaviour.set(a.id, hanging);
    scheduler.setTargets([a, b]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(scraper.timesOf(a)).toHaveLength(1);

    scheduler.setTargets([b, c]);
    const callsOfA = scraper.timesOf(a).length;
    await vi.advanceTimersByTimeAsync(5_000);

    expect(scraper.forgotten).toEqual([a.id]);
    expect(scraper.signals[0]?.aborted).toBe(true);
    expect(scraper.timesOf(a)).toHaveLength(callsOfA);
    expect(results).not.toContain(a.id);
    expect(scraper.timesOf(c)).toHaveLength(5);
    expect(gaps(scraper.timesOf(b))).toEqual(Array(7).fill(1000));
  });

  it('moves to a new interval', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper);
    const [target] = targets(1);
    if (target === undefined) throw new Error('no targets');
    scheduler.setTargets([target]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    const before = scraper.timesOf(target).length;
    scheduler.setIntervalMs(250);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(gaps(scraper.timesOf(target).slice(before))).toEqual(Array(11).fill(250));
  });

  it('stop() aborts scrapes in flight, settles, and schedules nothing more', async () => {
    const scraper = new FakeScraper();
    let delivered = 0;
    const scheduler = newScheduler(scraper, {
      onResult: () => {
        delivered += 1;
        return true;
      },
    });
    const all = targets(5);
    for (const target of all) scraper.behaviour.set(target.id, hanging);
    scheduler.setTargets(all);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scraper.inFlight).toBe(5);

    await scheduler.stop();
    expect(scraper.inFlight).toBe(0);
    expect(scraper.signals.every((signal) => signal.aborted)).toBe(true);
    expect(delivered).toBe(0);

    const calls = scraper.calls.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scraper.calls).toHaveLength(calls);
  });

  it('scrapeAllOnce() scrapes every target once within the concurrency', async () => {
    const scraper = new FakeScraper();
    const delivered: string[] = [];
    const scheduler = newScheduler(scraper, {
      concurrency: 3,
      onResult: (result) => {
        delivered.push(result.target.id);
        return true;
      },
    });
    const all = targets(10);
    for (const target of all) scraper.behaviour.set(target.id, taking(100));
    scheduler.setTargets(all);
    const round = scheduler.scrapeAllOnce();
    await vi.advanceTimersByTimeAsync(1_000);
    await round;
    expect(scraper.maxInFlight).toBe(3);
    expect(delivered.sort()).toEqual(all.map((target) => target.id).sort());
  });
});

describe('ScrapeScheduler with a quick start (firstRateMs), on a fake clock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The first slot of the target's grid (phase + k * interval) at or after `at`. */
  const slotFrom = (target: Target, intervalMs: number, at: number): number => {
    const phaseMs = Math.floor(phaseOf(target.id) * intervalMs);
    return phaseMs + Math.ceil((at - phaseMs) / intervalMs) * intervalMs;
  };

  it('scrapes every target at once, again firstRateMs later, then on its grid from an interval after the first', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { intervalMs: 2000, firstRateMs: 750 });
    const all = targets(6);
    scheduler.setTargets(all);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(all.map((target) => scraper.timesOf(target))).toEqual(all.map(() => [0]));
    await vi.advanceTimersByTimeAsync(12_000);
    for (const target of all) {
      const [first, second, third, ...rest] = scraper.timesOf(target);
      expect([first, second]).toEqual([0, 750]);
      // At least an interval after the first and half an interval after the second: a rate over 1 s or more.
      expect(third).toBe(slotFrom(target, 2000, 2000));
      expect(gaps([third!, ...rest])).toEqual(Array(rest.length).fill(2000));
      expect(rest.length).toBeGreaterThanOrEqual(4);
    }
  });

  it('gives each target added while running the same quick start', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { intervalMs: 2000, firstRateMs: 750 });
    const [old, late] = targets(2);
    scheduler.setTargets([old!]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    const oldCalls = scraper.timesOf(old!).length;
    scheduler.setTargets([old!, late!]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scraper.timesOf(late!).slice(0, 2)).toEqual([5_000, 5_750]);
    // The other target keeps its grid.
    expect(gaps(scraper.timesOf(old!).slice(oldCalls - 1))).toEqual(Array(scraper.timesOf(old!).length - oldCalls).fill(2000));
  });

  it('counts the second from when the first request went out, however long it queued for a place', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { intervalMs: 5000, firstRateMs: 750, concurrency: 1 });
    const [slow, quick] = targets(2);
    // The slow one fails, so it takes no second turn soon and leaves the place free.
    scraper.behaviour.set(slow!.id, taking(700, (target) => fail(target, 'timed out after 0.7 s')));
    scraper.behaviour.set(quick!.id, taking(10));
    scheduler.setTargets([slow!, quick!]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    // The fake scraper notes the time a request goes out, once the concurrency limit lets it:
    // the quick target waited for the slow one, so its second is 750 ms after 700, not after 0.
    expect(scraper.timesOf(slow!)).toEqual([0]);
    expect(scraper.timesOf(quick!).slice(0, 2)).toEqual([700, 1450]);
    expect(scraper.maxInFlight).toBe(1);
  });

  it('retries a failed first scrape on the grid, not at once', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { intervalMs: 2000, firstRateMs: 750 });
    const [target] = targets(1);
    scraper.behaviour.set(target!.id, async (t) => fail(t, 'connection refused'));
    scheduler.setTargets([target!]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(7_000);
    const [first, second, third] = scraper.timesOf(target!);
    expect(first).toBe(0);
    expect(second).toBe(slotFrom(target!, 2000, 2000));
    // Then the usual backoff: two intervals after the second failure.
    expect(third).toBe(second! + 4000);
  });

  it('needs no quick second when the interval is no longer than firstRateMs', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { intervalMs: 500, firstRateMs: 750 });
    const [target] = targets(1);
    scheduler.setTargets([target!]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    const [first, second, ...rest] = scraper.timesOf(target!);
    expect(first).toBe(0);
    expect(second).toBe(slotFrom(target!, 500, 500));
    expect(gaps([second!, ...rest])).toEqual(Array(rest.length).fill(500));
  });

  it('keeps the quick second when the interval changes meanwhile, and then takes the new interval', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { intervalMs: 2000, firstRateMs: 750 });
    const [target] = targets(1);
    scheduler.setTargets([target!]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    scheduler.setIntervalMs(5000);
    await vi.advanceTimersByTimeAsync(20_000);
    const [first, second, third, ...rest] = scraper.timesOf(target!);
    expect([first, second]).toEqual([0, 750]);
    expect(third).toBe(slotFrom(target!, 5000, 5000));
    expect(gaps([third!, ...rest])).toEqual(Array(rest.length).fill(5000));
  });

  it('leaves --once alone: scrapeAllOnce() without start() scrapes each target once', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { intervalMs: 2000, firstRateMs: 750 });
    const all = targets(3);
    scheduler.setTargets(all);
    await scheduler.scrapeAllOnce();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scraper.calls).toHaveLength(3);
  });

  it('schedules nothing more after stop(), the pending second included', async () => {
    const scraper = new FakeScraper();
    const scheduler = newScheduler(scraper, { intervalMs: 2000, firstRateMs: 750 });
    scheduler.setTargets(targets(3));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scraper.calls).toHaveLength(3);
  });
});

describe('ScrapeScheduler against real servers', () => {
  const servers: TestServer[] = [];
  const scrapers: Scraper[] = [];
  afterEach(async () => {
    await Promise.all(scrapers.splice(0).map((scraper) => scraper.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('finishes a round over good, refused, 500, garbage and slow targets', { timeout: 15_000 }, async () => {
    const body = '# TYPE up gauge\nup 1\n';
    const start = async (server: Promise<TestServer>): Promise<string> => {
      const started = await server;
      servers.push(started);
      return `${started.url}/metrics`;
    };
    const urls = {
      good: await start(startHttp((_req, res) => res.end(body))),
      goodGzip: await start(startHttp((_req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(gzipSync(body));
      })),
      refused: await refusedUrl(),
      error500: await start(startHttp((_req, res) => {
        res.writeHead(500);
        res.end();
      })),
      garbage: await start(startRaw((socket) => socket.end('\x00\x01garbage\r\n\r\n'))),
      slow: await start(startHttp(slowDrip)),
    };
    const scraper = new Scraper({ timeoutMs: 1_000 });
    scrapers.push(scraper);
    const results = new Map<string, ScrapeResult>();
    const scheduler = newScheduler(scraper, {
      concurrency: 3,
      onResult: (result) => {
        results.set(result.target.id, result);
        return result.ok;
      },
    });
    const byName = Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, targetFor(url)]));
    scheduler.setTargets(Object.values(byName));

    await scheduler.scrapeAllOnce();

    const outcome = (name: string): string => {
      const result = results.get(byName[name]?.id ?? '');
      if (result === undefined) return 'missing';
      return result.ok ? `ok: ${result.takeBody()}` : result.error;
    };
    expect(outcome('good')).toBe(`ok: ${body}`);
    expect(outcome('goodGzip')).toBe(`ok: ${body}`);
    expect(outcome('refused')).toBe('connection refused');
    expect(outcome('error500')).toBe('HTTP 500 Internal Server Error');
    expect(outcome('garbage')).toBe('invalid HTTP response');
    expect(outcome('slow')).toBe('timed out after 1 s');
  });
});
