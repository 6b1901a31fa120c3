import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/simulator/random.js';
import { Activity, Wave } from '../../src/simulator/signals.js';

const PERIODS = [[15, 45], [90, 300], [600, 2400]] as const;

describe('signals', () => {
  it('keep an activity strictly inside its bounds, with a reserve left for a core wave', () => {
    const rng = new Rng(9);
    for (const mean of [0, 0.01, 0.1, 0.5, 0.9, 1]) {
      const activity = new Activity(rng, mean, PERIODS, { reserveShare: 0.4 });
      const core = new Wave(rng, 0, activity.reserve, [[5, 20]]);
      for (let t = 0; t < 7200; t += 0.7) {
        const share = activity.at(t) + core.at(t);
        expect(share).toBeGreaterThanOrEqual(0.02 - 1e-12);
        expect(share).toBeLessThanOrEqual(0.97 + 1e-12);
      }
    }
  });

  it('integrate to what they are at: counters move at the rate the gauges show', () => {
    const rng = new Rng(4);
    const activity = new Activity(rng, 0.3, PERIODS);
    let checked = 0;
    for (let i = 0; i < 500; i++) {
      const t = rng.range(0, 10 * 86_400);
      // A burst switching on or off inside the step makes the slope an average of two levels.
      if (activity.bursts.at(t) !== activity.bursts.at(t + 0.01)) continue;
      const slope = (activity.integral(t + 0.01) - activity.integral(t)) / 0.01;
      expect(slope).toBeCloseTo(activity.at(t + 0.005), 3);
      checked++;
    }
    expect(checked).toBeGreaterThan(450);
    expect(activity.integral(0)).toBe(0);
  });
});
