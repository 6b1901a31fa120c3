/**
 * The first seconds: rates (CPU %, bytes a second) need two readings, and a view should not wait
 * a whole interval for them. The scrape pipeline scrapes every target at once and again
 * FIRST_RATE_MS later; this machine's source reads /proc at once and LOCAL_FIRST_RATE_MS later.
 * Each test uses an interval of a minute, so that only the quick second reading can give a rate.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FIRST_RATE_MS, Pipeline } from '../src/sources/node-list/pipeline.js';
import { LOCAL_FIRST_RATE_MS, LOCAL_ID, LocalSource } from '../src/sources/local/local-source.js';
import type { MachineReader, MachineReading } from '../src/sources/local/machine-reading.js';
import { parseTarget } from '../src/targets/parse-target.js';
import { serve } from './helpers/http-endpoints.js';

const MINUTE = 60_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The n-th payload (from 1): one core 40 % busy between any two, 1,000 bytes received each time. */
function payload(n: number): string {
  return [
    '# TYPE node_cpu_seconds_total counter',
    `node_cpu_seconds_total{cpu="0",mode="idle"} ${100 + 0.3 * n}`,
    `node_cpu_seconds_total{cpu="0",mode="user"} ${10 + 0.2 * n}`,
    '# TYPE node_network_receive_bytes_total counter',
    `node_network_receive_bytes_total{device="eth0"} ${1000 * n}`,
    '# TYPE node_memory_MemTotal_bytes gauge',
    'node_memory_MemTotal_bytes 8e9',
    '# TYPE node_memory_MemAvailable_bytes gauge',
    'node_memory_MemAvailable_bytes 6e9',
    '',
  ].join('\n');
}

describe('the scrape pipeline\'s first rates', () => {
  it('come from a second scrape FIRST_RATE_MS after the first, not an interval later', async () => {
    let answered = 0;
    const endpoint = await serve((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(payload(++answered));
    });
    cleanups.push(() => endpoint.close());
    const pipeline = new Pipeline({ targets: [parseTarget(endpoint.url)], intervalMs: MINUTE, concurrency: 4, historyPoints: 10, scraper: { timeoutMs: 2_000 } });
    cleanups.push(() => pipeline.stop());
    const node = () => pipeline.store.nodes()[0]!;
    pipeline.start();
    // Bounded: 10 s at most, far below the minute after which the grid's next turn would come.
    for (let i = 0; i < 200 && node().figures.cpu?.usagePercent == null; i++) await new Promise((r) => setTimeout(r, 50));
    expect(node().figures.cpu?.usagePercent).toBeCloseTo(40, 6);
    expect(node().figures.network?.receiveBytesPerSecond).toBeGreaterThan(0);
    expect(endpoint.requests).toHaveLength(2);
    // The two scrapes' times as the store has them: FIRST_RATE_MS apart or more (the second counts
    // from when the first request went out), less a few ms as the scheduler and the scraper each
    // read the clock.
    const history = node().history;
    expect(history.length).toBe(2);
    expect(history.timeAt(1) - history.timeAt(0)).toBeGreaterThanOrEqual(FIRST_RATE_MS - 5);
  });
});

/** A machine whose n-th reading (from 1) has one core 40 % busy since the last and 1,000 bytes more received. */
class CountingReader implements MachineReader {
  readonly missing = [] as const;
  reads = 0;

  async read(): Promise<MachineReading> {
    const n = ++this.reads;
    return {
      timeSeconds: Date.now() / 1000,
      bootTimeSeconds: 0,
      uname: { nodename: 'here' },
      cpus: [{ cpu: '0', seconds: { idle: 100 + 0.3 * n, user: 10 + 0.2 * n } }],
      load: [1, 1, 1],
      memory: { MemTotal: 8e9, MemAvailable: 6e9 },
      network: [{ device: 'eth0', in: 1000 * n, out: 0 }],
      disks: [],
      filesystem: null,
    };
  }
}

describe('this machine\'s first rates', () => {
  it('come from a second read LOCAL_FIRST_RATE_MS after the first, then one a minute', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const reader = new CountingReader();
    const source = new LocalSource({ intervalMs: MINUTE, historyPoints: 10, reader });
    cleanups.push(() => source.stop());
    const figures = () => source.store.get(LOCAL_ID)!.figures;
    source.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(reader.reads).toBe(1);
    expect(figures().cpu?.usagePercent).toBeNull();
    await vi.advanceTimersByTimeAsync(LOCAL_FIRST_RATE_MS);
    expect(reader.reads).toBe(2);
    expect(figures().cpu?.usagePercent).toBeCloseTo(40, 6);
    expect(figures().network?.receiveBytesPerSecond).toBeCloseTo(1000 / (LOCAL_FIRST_RATE_MS / 1000), 6);
    await vi.advanceTimersByTimeAsync(MINUTE - LOCAL_FIRST_RATE_MS - 1);
    expect(reader.reads).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(reader.reads).toBe(3);
  });

  it('reads only every interval when the interval is no longer than the quick second', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const reader = new CountingReader();
    const source = new LocalSource({ intervalMs: LOCAL_FIRST_RATE_MS, historyPoints: 10, reader });
    cleanups.push(() => source.stop());
    source.start();
    await vi.advanceTimersByTimeAsync(LOCAL_FIRST_RATE_MS * 3);
    expect(reader.reads).toBe(4);
  });

  it('reads nothing more once stopped within the first second', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const reader = new CountingReader();
    const source = new LocalSource({ intervalMs: MINUTE, historyPoints: 10, reader });
    source.start();
    await vi.advanceTimersByTimeAsync(10);
    await source.stop();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(reader.reads).toBe(1);
  });
});

// The constants the tests above stand on: a first rate within about a second, from two readings far enough apart.
describe('the quick second\'s delays', () => {
  it('are under a second and long enough for a usable rate', () => {
    expect(FIRST_RATE_MS).toBeGreaterThanOrEqual(500);
    expect(FIRST_RATE_MS).toBeLessThanOrEqual(1000);
    expect(LOCAL_FIRST_RATE_MS).toBeGreaterThanOrEqual(250);
    expect(LOCAL_FIRST_RATE_MS).toBeLessThanOrEqual(FIRST_RATE_MS);
  });
});
