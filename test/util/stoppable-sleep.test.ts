import { describe, expect, it, vi } from 'vitest';
import { StoppableSleep } from '../../src/util/stoppable-sleep.js';

describe('StoppableSleep', () => {
  it('waits, and stop() ends the pending wait and every later one', async () => {
    vi.useFakeTimers();
    try {
      const s = new StoppableSleep();
      let woke = false;
      const waiting = s.sleep(60_000).then(() => (woke = true));
      await vi.advanceTimersByTimeAsync(1000);
      expect(woke).toBe(false);
      s.stop();
      await waiting;
      expect(woke).toBe(true);
      expect(s.stopped).toBe(true);
      await s.sleep(60_000); // resolves at once: no timer left to advance
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
