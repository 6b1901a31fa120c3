import type { Rng } from './random.js';

/**
 * Time-varying shares for the simulator, each with a closed-form integral. A counter is the
 * integral of its rate since boot, computed straight from the moment asked for: no state, so
 * renders are deterministic in (seed, moment) and can be asked for in any order.
 */

/** A smooth level: a mean plus a few sines of seeded periods and phases. */
export class Wave {
  /**
   * Per sine: amplitude, angular frequency, phase, amplitude / frequency and cos(phase) (the last
   * two for the integral), in one flat array: nodes have dozens of waves, and arrays cost memory.
   */
  private readonly terms: number[] = [];

  /** `periods` gives one [min, max] range (seconds) per sine; their amplitudes add up to `amplitude`. */
  constructor(
    rng: Rng,
    readonly mean: number,
    readonly amplitude: number,
    periods: readonly (readonly [number, number])[],
  ) {
    const weights = periods.map(() => rng.range(0.5, 1.5));
    const total = weights.reduce((a, b) => a + b, 0);
    periods.forEach(([lo, hi], i) => {
      const amp = (amplitude * (weights[i] ?? 0)) / total;
      const omega = (2 * Math.PI) / rng.range(lo, hi);
      const phase = rng.range(0, 2 * Math.PI);
      this.terms.push(amp, omega, phase, amp / omega, Math.cos(phase));
    });
  }

  at(t: number): number {
    const k = this.terms;
    let v = this.mean;
    for (let i = 0; i < k.length; i += 5) v += k[i]! * Math.sin(k[i + 1]! * t + k[i + 2]!);
    return v;
  }

  /** Integral from 0 to t. */
  integral(t: number): number {
    const k = this.terms;
    let v = this.mean * t;
    for (let i = 0; i < k.length; i += 5) v -= k[i + 3]! * (Math.cos(k[i + 1]! * t + k[i + 2]!) - k[i + 4]!);
    return v;
  }
}

const SLOT_SECONDS = 75;
const SLOTS = 48;
const PERIOD_SECONDS = SLOT_SECONDS * SLOTS;

/**
 * Occasional rectangular bursts (a job starting, a backup) on a schedule that repeats hourly.
 * Heights are multiples of 1/64 and starts and lengths whole seconds, so the prefix sums are exact
 * and the integral meets itself exactly at slot and period boundaries: it can never step back.
 */
export class Bursts {
  /**
   * Heights, starts and lengths per slot, then SLOTS + 1 prefix sums, in one array as nodes have
   * many bursts. All are multiples of 1/64 below 2^17, so 32-bit floats hold them exactly.
   */
  private readonly table = new Float32Array(4 * SLOTS + 1);

  constructor(rng: Rng, maxHeight: number, probability: number) {
    const t = this.table;
    for (let j = 0; j < SLOTS; j++) {
      const on = rng.next() < probability;
      const length = rng.int(4, 40);
      t[SLOTS + j] = rng.int(0, SLOT_SECONDS - 1 - length);
      t[2 * SLOTS + j] = length;
      t[j] = on ? Math.floor(64 * maxHeight * rng.range(0.4, 1)) / 64 : 0;
      t[3 * SLOTS + j + 1] = t[3 * SLOTS + j]! + t[j]! * length;
    }
  }

  at(t: number): number {
    const [j, offset] = locate(t);
    const start = this.table[SLOTS + j]!;
    return offset >= start && offset < start + this.table[2 * SLOTS + j]! ? this.table[j]! : 0;
  }

  /** Integral from 0 to t. */
  integral(t: number): number {
    const cycles = Math.floor(t / PERIOD_SECONDS);
    const [j, offset] = locate(t);
    const inside = Math.min(Math.max(offset - this.table[SLOTS + j]!, 0), this.table[2 * SLOTS + j]!);
    return cycles * this.table[4 * SLOTS]! + this.table[3 * SLOTS + j]! + this.table[j]! * inside;
  }
}

/** Slot index and offset into it; rounding at the edges lands on a value equal to the edge's. */
function locate(t: number): [number, number] {
  const tau = t - Math.floor(t / PERIOD_SECONDS) * PERIOD_SECONDS;
  const j = Math.min(SLOTS - 1, Math.max(0, Math.floor(tau / SLOT_SECONDS)));
  return [j, tau - j * SLOT_SECONDS];
}

/**
 * Default bounds of an activity's share. Kept off 0 and 1 so a counter's rate and its complement's
 * (idle CPU time) stay well above float rounding, and counters cannot step back by a rounding.
 */
const SHARE_MIN = 0.02;
const SHARE_MAX = 0.97;

export interface ActivityOptions {
  /** Lowest share; default SHARE_MIN. Byte counters can go lower: they have no complement. */
  readonly min?: number;
  /**
   * Part of the room on each side left out, as `reserve`, for a caller's own zero-mean wave (a
   * core's deviation from its node) of at most that amplitude.
   */
  readonly reserveShare?: number;
  /** Chance of a burst in each 75 s slot; default 0.2. */
  readonly burstProbability?: number;
}

/** A share in [min, SHARE_MAX]: a wave around `mean` plus bursts filling the headroom above. */
export class Activity {
  readonly wave: Wave;
  readonly bursts: Bursts;
  readonly reserve: number;

  constructor(rng: Rng, mean: number, periods: readonly (readonly [number, number])[], options: ActivityOptions = {}) {
    const min = options.min ?? SHARE_MIN;
    const m = Math.min(Math.max(mean, 1.5 * min), SHARE_MAX - 0.01);
    const room = Math.min(m - min, SHARE_MAX - m);
    this.reserve = (options.reserveShare ?? 0) * room;
    const amplitude = 0.5 * (room - this.reserve);
    this.wave = new Wave(rng, m, amplitude, periods);
    this.bursts = new Bursts(rng, SHARE_MAX - this.reserve - m - amplitude, options.burstProbability ?? 0.2);
  }

  at(t: number): number {
    return this.wave.at(t) + this.bursts.at(t);
  }

  integral(t: number): number {
    return this.wave.integral(t) + this.bursts.integral(t);
  }
}

/** Mean of a rate over the `window` seconds before t, from its integral (load averages). */
export function meanOver(integral: (t: number) => number, at: (t: number) => number, t: number, window: number): number {
  const w = Math.min(window, t);
  return w > 0 ? (integral(t) - integral(t - w)) / w : at(t);
}
