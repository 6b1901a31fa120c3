import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReplaySource } from '../../../src/sources/replay/replay-source.js';
import { historyView, liveStoreAt, ringRows, nodeView, recordScenario, tempPath, tickTime, T0 } from '../../record/scenario.js';

const TICKS = 150;
const HISTORY_MS = 30_000; // 30 rows at the recorded 1 s interval
let path: string;

beforeAll(() => {
  path = tempPath();
  recordScenario(path, TICKS);
});

afterEach(() => {
  vi.useRealTimers();
});

/** The live store after refresh k, with the replay's history length. */
const liveAt = (k: number) => liveStoreAt(k, HISTORY_MS / 1000);

/**
 * The replay's store equals the live one after refresh k. History: all of it while playing on;
 * after a jump, the rows within the history's span, plus at most the one scrape before it that
 * the span's first refresh still showed (live, a node scraped less often had older rows too).
 */
function expectStoreAt(replay: ReplaySource, k: number, jumped = false): void {
  const live = liveAt(k);
  expect(replay.store.nodes().map(nodeView)).toEqual(live.nodes().map(nodeView));
  if (!jumped) {
    expect(historyView(replay.store)).toEqual(historyView(live));
    return;
  }
  const since = tickTime(k) - HISTORY_MS;
  expect(historyView(replay.store, since)).toEqual(historyView(live, since));
  for (const n of replay.store.nodes()) expect(n.history.length - ringRows(n.history, since).times.length).toBeLessThanOrEqual(1);
}

describe('ReplaySource', () => {
  it('plays at 10x on the clock, filling figures and history, and stops the clock when paused', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const replay = ReplaySource.open({ path, speed: 10, historyMs: HISTORY_MS });
    try {
      replay.start();
      expect(replay.clockMs()).toBe(tickTime(0));
      expectStoreAt(replay, 0);

      await vi.advanceTimersByTimeAsync(1000); // 10 recorded seconds
      expect(replay.clockMs()).toBe(tickTime(10));
      expectStoreAt(replay, 10);
      expect(replay.notice).toBe('replay +11s of +2m30s, 10x');

      replay.setPaused(true);
      await vi.advanceTimersByTimeAsync(5000);
      expect(replay.clockMs()).toBe(tickTime(10));
      expect(replay.notice).toBe('replay +11s of +2m30s, 10x, paused');
      expectStoreAt(replay, 10);

      replay.setPaused(false);
      await vi.advanceTimersByTimeAsync(4000); // 40 s more: past the history's 30 rows
      expect(replay.clockMs()).toBe(tickTime(50));
      expectStoreAt(replay, 50);
      expect(replay.store.cluster.length).toBe(30);

      await vi.advanceTimersByTimeAsync(60_000); // well past the end: the clock stops there
      expect(replay.clockMs()).toBe(tickTime(TICKS - 1));
      expectStoreAt(replay, TICKS - 1);
      expect(replay.notice).toMatch(/, end$/);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      await replay.stop();
    }
  });

  it('seeks back and forward a minute, rebuilding the history that fits', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const replay = ReplaySource.open({ path, speed: 1, historyMs: HISTORY_MS });
    try {
      replay.start();
      replay.setPaused(true);
      replay.seek(100_000);
      expect(replay.clockMs()).toBe(tickTime(100));
      expectStoreAt(replay, 100, true);

      replay.seek(-60_000);
      expect(replay.clockMs()).toBe(tickTime(40));
      expectStoreAt(replay, 40, true);

      replay.seek(-60_000); // before the start: the first refresh
      expect(replay.clockMs()).toBe(tickTime(0));
      expectStoreAt(replay, 0);

      replay.seek(5000); // a short step forward plays the refreshes between
      expectStoreAt(replay, 5);

      replay.setPaused(false);
      await vi.advanceTimersByTimeAsync(2000);
      expectStoreAt(replay, 7);
    } finally {
      await replay.stop();
    }
  });

  it('shows the moment asked for with --at, as an offset or a time', async () => {
    for (const at of [{ text: '+30s', kind: 'offset' as const, ms: 30_000 }, { text: 'iso', kind: 'time' as const, ms: T0 + 30_500 }]) {
      const replay = ReplaySource.open({ path, speed: 1, historyMs: HISTORY_MS, at });
      try {
        await replay.collectOnce();
        expect(replay.clockMs()).toBe(T0 + at.ms - (at.kind === 'time' ? T0 : 0));
        expectStoreAt(replay, 29, true); // refresh 29 is at +30 s
      } finally {
        await replay.stop();
      }
    }
  });

  it('refuses an --at outside the recording, naming the flag and the span', () => {
    expect(() => ReplaySource.open({ path, speed: 1, historyMs: HISTORY_MS, at: { text: '+3m', kind: 'offset', ms: 180_000 } })).toThrow(
      `--at +3m: ${path} covers 2026-11-21T05:00:00.000Z (+0s) to 2026-11-21T05:02:30.000Z (+2m30s)`,
    );
  });
});
