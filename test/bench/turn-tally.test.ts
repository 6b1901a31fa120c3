import { describe, expect, it } from 'vitest';
import { TurnTally } from '../../bench/scale/turn-tally.js';
import { UNKNOWN_HEALTH, type TargetHealth } from '../../src/scrape/types.js';

const up: TargetHealth = { ...UNKNOWN_HEALTH, up: true, lastWireBytes: 10, lastBodyBytes: 100, lastSamples: 5 };
const down: TargetHealth = { ...UNKNOWN_HEALTH, lastError: 'connection refused' };

describe('TurnTally', () => {
  it('counts a turn taken when its scrape starts late in the window or a few ms early', () => {
    // Target a: turns at 300 ms into each 1 s window.
    const tally = new TurnTally(1000, new Map([['a', 300]]), 1);
    tally.observe('a', 1300, up);
    tally.observe('a', 2950, up); // queued: late, still turn 2
    tally.observe('a', 3298, up); // the wall clock 2 ms behind the timer's: turn 3
    tally.observe('a', 5301, up); // turn 4 was skipped
    const windows = tally.takeUpTo(5);
    expect(windows.map((w) => w.missed)).toEqual([0, 0, 0, 1, 0]);
    expect(windows.map((w) => w.scrapes)).toEqual([1, 1, 1, 0, 1]);
    expect(windows[0]).toMatchObject({ window: 1, scrapes: 1, failed: 0, missed: 0, expected: 1, wireBytes: 10, bodyBytes: 100, samples: 5, missedAfterFailure: 0 });
  });

  it('counts a failed scrape as a turn taken, without bytes', () => {
    const tally = new TurnTally(1000, new Map([['a', 0]]), 1);
    tally.observe('a', 1001, down);
    expect(tally.takeUpTo(1)).toMatchObject([{ window: 1, scrapes: 1, failed: 1, missed: 0, expected: 1, wireBytes: 0, bodyBytes: 0, samples: 0 }]);
  });

  it('counts the scrapes of targets left out, not their turns', () => {
    const tally = new TurnTally(1000, new Map([['a', 0]]), 1);
    tally.observe('a', 1000, up);
    tally.observe('ignored', 1500, down);
    expect(tally.takeUpTo(1)[0]).toMatchObject({ scrapes: 2, failed: 1, missed: 0, expected: 1 });
  });

  it('drops scrapes before the first window and after their window was taken', () => {
    const tally = new TurnTally(1000, new Map([['a', 0]]), 2);
    tally.observe('a', 1000, up);
    expect(tally.takeUpTo(2)).toMatchObject([{ window: 2, scrapes: 0, failed: 0, missed: 1, expected: 1, wireBytes: 0, bodyBytes: 0, samples: 0 }]);
    tally.observe('a', 2100, up);
    expect(tally.takeUpTo(3)[0]).toMatchObject({ window: 3, scrapes: 0, missed: 1 });
  });

  it('says how late after its turn each scrape started and how long it took', () => {
    // Turns at 100 ms into each 1 s window; three targets' worth of scrapes in window 1.
    const tally = new TurnTally(1000, new Map([['a', 100], ['b', 100], ['c', 100]]), 1);
    tally.observe('a', 1110, { ...up, lastDurationMs: 30 });
    tally.observe('b', 1150, { ...up, lastDurationMs: 80 });
    tally.observe('c', 1700, { ...up, lastDurationMs: 500 });
    expect(tally.takeUpTo(1)[0]!.timing).toEqual({ lateP50Ms: 50, lateP99Ms: 600, lateMaxMs: 600, durationP99Ms: 500, durationMaxMs: 500 });
  });

  it('counts the turns missed after a failed scrape apart: the back-off, not a late start', () => {
    const tally = new TurnTally(1000, new Map([['a', 0], ['b', 0]]), 1);
    tally.observe('a', 1000, down);
    tally.observe('b', 1000, up);
    // a backs off two turns, b skips one after a success.
    tally.observe('a', 4000, up);
    tally.observe('b', 3000, up);
    tally.observe('b', 4000, up);
    const windows = tally.takeUpTo(4);
    expect(windows.map((w) => w.missed)).toEqual([0, 2, 1, 0]);
    expect(windows.map((w) => w.missedAfterFailure)).toEqual([0, 1, 1, 0]);
  });
});
