/**
 * A GPU node's processes, containers and GPUs played back (test/record/tables-scenario.ts): at
 * every refresh the replay's tables and GPU history equal the live store's, the exporter's
 * failures and missed refreshes included, and after a jump the GPU rows within the history's span.
 */
import { statSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReplaySource } from '../../../src/sources/replay/replay-source.js';
import { tempPath } from '../../record/scenario.js';
import { GPU_NODE, liveTablesAt, recordTablesScenario, tablesOf, tablesTickTime } from '../../record/tables-scenario.js';

const TICKS = 40;
const HISTORY_MS = 15_000; // 15 rows at the recorded 1 s interval
/** Jumps include ones whose span begins at a failed GPU refresh (17, 27, 37: refreshes 3, 13, 23) or at one with no GPUs (22: 8). */
let path: string;

beforeAll(() => {
  path = tempPath();
  recordTablesScenario(path, TICKS);
});

afterEach(() => {
  vi.useRealTimers();
});

const played = (replay: ReplaySource) => tablesOf(replay.store.get(GPU_NODE)!);
const live = (k: number) => tablesOf(liveTablesAt(k, HISTORY_MS / 1000).get(GPU_NODE)!);

describe('ReplaySource with processes, containers and GPUs', () => {
  it('fills them, and the GPU rings, as the clock moves, refresh by refresh', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const replay = ReplaySource.open({ path, speed: 1, historyMs: HISTORY_MS });
    try {
      replay.start();
      for (let k = 0; k < TICKS; k++) {
        expect(replay.clockMs()).toBe(tablesTickTime(k));
        expect(played(replay), `refresh ${k}`).toEqual(live(k));
        await vi.advanceTimersByTimeAsync(1000);
      }
      expect(played(replay).gpus!.gpus[0]!.rows.length).toBe(HISTORY_MS / 1000);
    } finally {
      await replay.stop();
    }
  });

  it.each([9, 13, 17, 18, 22, 23, 27, 33, 37])('after a jump to refresh %i, the figures, the error and the GPU rows within the span', async (k) => {
    const replay = ReplaySource.open({ path, speed: 1, historyMs: HISTORY_MS, at: { kind: 'offset', ms: tablesTickTime(k) - tablesTickTime(0), text: `+${k}s` } });
    try {
      await replay.collectOnce();
      expect(replay.clockMs()).toBe(tablesTickTime(k));
      const since = tablesTickTime(k) - HISTORY_MS;
      expect(tablesOf(replay.store.get(GPU_NODE)!, since)).toEqual(tablesOf(liveTablesAt(k, HISTORY_MS / 1000).get(GPU_NODE)!, since));
    } finally {
      await replay.stop();
    }
  });

  it('--record-without processes,containers leaves those tables out, and keeps the GPUs and their history', async () => {
    const lean = tempPath();
    recordTablesScenario(lean, TICKS, new Set(['processes', 'containers'] as const));
    // Each refresh of the scenario has 2 process rows, 1 group and 1 container: those bytes are gone.
    expect(statSync(lean).size).toBeLessThan(statSync(path).size);
    const replay = ReplaySource.open({ path: lean, speed: 1, historyMs: HISTORY_MS, at: { kind: 'offset', ms: tablesTickTime(13) - tablesTickTime(0), text: '+13s' } });
    try {
      await replay.collectOnce();
      const since = tablesTickTime(13) - HISTORY_MS;
      const full = tablesOf(liveTablesAt(13, HISTORY_MS / 1000).get(GPU_NODE)!, since);
      expect(full.processes).not.toBeNull();
      expect(full.containers).not.toBeNull();
      expect(tablesOf(replay.store.get(GPU_NODE)!, since)).toEqual({ ...full, processes: null, containers: null });
    } finally {
      await replay.stop();
    }
  });
});
