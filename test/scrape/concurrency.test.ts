import { describe, expect, it } from 'vitest';
import { CONCURRENCY_HEADROOM, concurrencyFor, MAX_CONCURRENCY, MIN_CONCURRENCY } from '../../src/scrape/concurrency.js';
import { Semaphore } from '../../src/scrape/semaphore.js';
import { BASE_DESCRIPTORS } from '../../src/util/open-files.js';

describe('concurrencyFor', () => {
  it('keeps small clusters at the least limit', () => {
    // 24 nodes every 2 s, 20 ms a scrape: 0.24 in flight on average.
    expect(concurrencyFor({ scrapesPerSecond: 12, scrapeMs: 20 })).toBe(MIN_CONCURRENCY);
    expect(concurrencyFor({ scrapesPerSecond: 0, scrapeMs: 100 })).toBe(MIN_CONCURRENCY);
  });

  it('allows the scrapes in flight the rate and scrape time make, with headroom', () => {
    // 5,000 nodes every 5 s, 150 ms a scrape: 150 in flight on average.
    expect(concurrencyFor({ scrapesPerSecond: 1000, scrapeMs: 150 })).toBe(150 * CONCURRENCY_HEADROOM);
    // Slower scrapes, more of them at once.
    expect(concurrencyFor({ scrapesPerSecond: 1000, scrapeMs: 300 })).toBe(300 * CONCURRENCY_HEADROOM);
  });

  it('stops at the maximum', () => {
    // 10,000 nodes every 10 s at 700 ms a scrape would want 1,400.
    expect(concurrencyFor({ scrapesPerSecond: 1000, scrapeMs: 700 })).toBe(MAX_CONCURRENCY);
  });

  it('stays within the open-files limit, past the descriptors a run holds anyway', () => {
    expect(concurrencyFor({ scrapesPerSecond: 1000, scrapeMs: 300, openFiles: 400 })).toBe(400 - BASE_DESCRIPTORS);
    expect(concurrencyFor({ scrapesPerSecond: 12, scrapeMs: 20, openFiles: 100 })).toBe(100 - BASE_DESCRIPTORS);
    // A limit below what the run needs anyway still lets one scrape through.
    expect(concurrencyFor({ scrapesPerSecond: 1000, scrapeMs: 300, openFiles: 10 })).toBe(1);
  });

  it('takes nonsense for nothing', () => {
    expect(concurrencyFor({ scrapesPerSecond: -5, scrapeMs: -1 })).toBe(MIN_CONCURRENCY);
  });
});

describe('Semaphore.setLimit', () => {
  /** Acquires `count` places in order; `held` gets each release function as its place comes. */
  function acquireAll(semaphore: Semaphore, count: number, held: Array<() => void>): void {
    for (let i = 0; i < count; i++) void semaphore.acquire().then((release) => held.push(release));
  }
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('lets waiters in at once when raised', async () => {
    const semaphore = new Semaphore(2);
    const held: Array<() => void> = [];
    acquireAll(semaphore, 5, held);
    await settle();
    expect(held).toHaveLength(2);
    semaphore.setLimit(4);
    await settle();
    expect(held).toHaveLength(4);
    expect(semaphore.size).toBe(4);
  });

  it('lets nobody new in when lowered until the holders are under the new limit', async () => {
    const semaphore = new Semaphore(4);
    const held: Array<() => void> = [];
    acquireAll(semaphore, 6, held);
    await settle();
    expect(held).toHaveLength(4);
    semaphore.setLimit(2);
    // Four held against a limit of 2: two releases give places up, the third hands one on.
    held[0]?.();
    held[1]?.();
    await settle();
    expect(held).toHaveLength(4);
    held[2]?.();
    await settle();
    expect(held).toHaveLength(5);
    held[3]?.();
    await settle();
    expect(held).toHaveLength(6);
  });

  it('refuses a limit under 1', () => {
    expect(() => new Semaphore(4).setLimit(0)).toThrow(RangeError);
  });
});
