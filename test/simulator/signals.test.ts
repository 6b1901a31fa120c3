import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/simulator/random.js';
import { Activity, Noise, Ramp, Wave } from '../../src/simulator/signals.js';

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

  it('stay inside the bounds with a day, noise and a heating ramp taking their share', () => {
    const rng = new Rng(10);
    for (const mean of [0.01, 0.1, 0.3, 0.6, 0.95]) {
      const activity = new Activity(rng, mean, PERIODS, {
        reserveShare: 0.3,
        swing: 1,
        daily: { periodS: 600, phase: 1, share: 0.4 },
        noise: 0.3,
        heat: { start: 100, rampS: 600, holdS: 240 },
        burstProbability: 1,
      });
      const core = new Wave(rng, 0, activity.reserve, [[5, 20]]);
      for (let t = 0; t < 4000; t += 0.9) {
        const share = activity.at(t) + core.at(t);
        expect(share).toBeGreaterThanOrEqual(0.02 - 1e-12);
        expect(share).toBeLessThanOrEqual(0.97 + 1e-12);
      }
    }
  });

  it('make noise that changes every second, within its amplitude, and integrates to what it is at', () => {
    const rng = new Rng(12);
    const noise = new Noise(rng, 0.05);
    const levels = new Set<number>();
    let before = 0;
    for (let t = 0; t < 400; t += 0.25) {
      const v = noise.at(t);
      expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
      levels.add(v);
      // Within a second the level holds, so the integral's slope is that level.
      if (t % 1 < 0.99) expect((noise.integral(t + 0.01) - noise.integral(t)) / 0.01).toBeCloseTo(noise.at(t), 6);
      // Continuous: no jump at a second's or the pattern's edge.
      const i = noise.integral(t);
      expect(Math.abs(i - before)).toBeLessThanOrEqual(0.05 * 0.25 + 1e-12);
      before = i;
    }
    expect(levels.size).toBeGreaterThan(50);
    expect(noise.integral(0)).toBe(0);
  });

  it('ramp up, hold, start over, and integrate to what they are at', () => {
    const ramp = new Ramp(100, 0.5, 600, 240);
    expect(ramp.at(50)).toBe(0);
    expect(ramp.at(400)).toBeCloseTo(0.25, 12);
    expect(ramp.at(800)).toBe(0.5);
    expect(ramp.at(941)).toBeCloseTo(0.5 / 600, 9);
    expect(ramp.fraction(1000)).toBeCloseTo(60 / 600, 12);
    expect(ramp.integral(100)).toBe(0);
    // One cycle: the triangle, then the plateau.
    expect(ramp.integral(940)).toBeCloseTo(0.5 * 300 + 0.5 * 240, 9);
    let before = 0;
    for (let t = 0; t < 3000; t += 0.37) {
      const v = ramp.integral(t);
      expect(v).toBeGreaterThanOrEqual(before);
      before = v;
      // Not across a restart, where the level drops and the slope is an average of two.
      const r = ((t - 100) % 840 + 840) % 840;
      if (r < 839.98) expect((ramp.integral(t + 0.01) - v) / 0.01).toBeCloseTo(ramp.at(t + 0.005), 3);
    }
    expect(() => new Ramp(0, 1, 0, 10)).toThrow(RangeError);
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
