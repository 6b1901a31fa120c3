import { Rng } from './random.js';

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

  /** One more sine of a given period and phase (at t = 0), for a rhythm shared by many waves. */
  addSine(amplitude: number, periodS: number, phase: number): this {
    const omega = (2 * Math.PI) / periodS;
    this.terms.push(amplitude, omega, phase, amplitude / omega, Math.cos(phase));
    return this;
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

/** Seconds a noise pattern lasts before it repeats: a prime, so it lines up with no other period. */
const NOISE_SLOTS = 97;
const NOISE_PATTERNS = 32;

/**
 * One second-by-second noise pattern: a level in [-1, 1] for each second, repeating, with prefix
 * sums for the integral. Levels are multiples of 1/1024, so the sums are exact in 32-bit floats
 * and the integral meets itself exactly at second and cycle boundaries.
 */
class NoisePattern {
  /** NOISE_SLOTS levels, then NOISE_SLOTS + 1 prefix sums. */
  private readonly table = new Float32Array(2 * NOISE_SLOTS + 1);

  constructor(rng: Rng) {
    const t = this.table;
    for (let j = 0; j < NOISE_SLOTS; j++) {
      t[j] = rng.int(-1024, 1024) / 1024;
      t[NOISE_SLOTS + j + 1] = t[NOISE_SLOTS + j]! + t[j]!;
    }
  }

  at(t: number): number {
    const j = Math.min(NOISE_SLOTS - 1, Math.max(0, Math.floor(t - Math.floor(t / NOISE_SLOTS) * NOISE_SLOTS)));
    return this.table[j]!;
  }

  integral(t: number): number {
    const cycles = Math.floor(t / NOISE_SLOTS);
    const tau = t - cycles * NOISE_SLOTS;
    const j = Math.min(NOISE_SLOTS - 1, Math.max(0, Math.floor(tau)));
    return cycles * this.table[2 * NOISE_SLOTS]! + this.table[NOISE_SLOTS + j]! + this.table[j]! * (tau - j);
  }
}

/** A few patterns shared by every node: each noise picks one and a start in it, so nodes cost no memory for it. */
const PATTERNS = (() => {
  const rng = new Rng(0x0015e);
  return Array.from({ length: NOISE_PATTERNS }, () => new NoisePattern(rng));
})();

/**
 * Noise that changes every second, within ±amplitude: what a scrape every second or two sees of
 * a real CPU or link beside its smoother swings.
 */
export class Noise {
  private readonly pattern: NoisePattern;
  private readonly offset: number;
  private readonly base: number;

  constructor(
    rng: Rng,
    readonly amplitude: number,
  ) {
    this.pattern = PATTERNS[rng.int(0, NOISE_PATTERNS - 1)]!;
    this.offset = rng.int(0, NOISE_SLOTS - 1);
    this.base = this.pattern.integral(this.offset);
  }

  at(t: number): number {
    return this.amplitude * this.pattern.at(t + this.offset);
  }

  /** Integral from 0 to t. */
  integral(t: number): number {
    return this.amplitude * (this.pattern.integral(t + this.offset) - this.base);
  }
}

/**
 * Something heating up: from `start` the level climbs linearly to `height` over `rampS`, stays
 * there `holdS`, then drops to 0 and climbs again (a leaking process, restarted when it has
 * eaten the machine). 0 before `start`.
 */
export class Ramp {
  private readonly period: number;
  private readonly perCycle: number;

  constructor(
    readonly start: number,
    readonly height: number,
    readonly rampS: number,
    readonly holdS: number,
  ) {
    if (!(rampS > 0) || !(holdS >= 0)) throw new RangeError('a ramp needs rampS > 0 and holdS >= 0');
    this.period = rampS + holdS;
    this.perCycle = height * (rampS / 2 + holdS);
  }

  /** How far up, 0..1. */
  fraction(t: number): number {
    const u = t - this.start;
    if (u <= 0) return 0;
    return Math.min(1, (u - Math.floor(u / this.period) * this.period) / this.rampS);
  }

  at(t: number): number {
    return this.height * this.fraction(t);
  }

  /** Integral from 0 to t. */
  integral(t: number): number {
    const u = t - this.start;
    if (u <= 0) return 0;
    const cycles = Math.floor(u / this.period);
    const r = u - cycles * this.period;
    const partial = r < this.rampS ? (this.height * r * r) / (2 * this.rampS) : this.height * (this.rampS / 2 + (r - this.rampS));
    return cycles * this.perCycle + partial;
  }
}

/**
 * Default bounds of an activity's share. Kept off 0 and 1 so a counter's rate and its complement's
 * (idle CPU time) stay well above float rounding, and counters cannot step back by a rounding.
 */
export const SHARE_MIN = 0.02;
export const SHARE_MAX = 0.97;

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
  /** Part of the room on each side the waves swing through, 0..1; default 0.5. */
  readonly swing?: number;
  /**
   * A rhythm shared with other activities (the cluster's day): a sine of this period and phase
   * taking `share` (0..1) of the swing, the seeded sines the rest.
   */
  readonly daily?: { readonly periodS: number; readonly phase: number; readonly share: number };
  /** Part of the swing (0..1) that is second-by-second noise (see Noise); default none. */
  readonly noise?: number;
  /**
   * Heating up (see Ramp) from `start` over `rampS`, then held `holdS`: to the top of the
   * headroom, which it takes from the bursts.
   */
  readonly heat?: { readonly start: number; readonly rampS: number; readonly holdS: number };
}

/**
 * A share in [min, SHARE_MAX]: a wave around `mean` plus bursts (and a heating ramp, if any)
 * filling the headroom above.
 */
export class Activity {
  readonly wave: Wave;
  readonly bursts: Bursts;
  readonly reserve: number;
  readonly ramp: Ramp | undefined;
  readonly noise: Noise | undefined;

  constructor(rng: Rng, mean: number, periods: readonly (readonly [number, number])[], options: ActivityOptions = {}) {
    const min = options.min ?? SHARE_MIN;
    const m = Math.min(Math.max(mean, 1.5 * min), SHARE_MAX - 0.01);
    const room = Math.min(m - min, SHARE_MAX - m);
    this.reserve = (options.reserveShare ?? 0) * room;
    const amplitude = Math.min(Math.max(options.swing ?? 0.5, 0), 1) * (room - this.reserve);
    const daily = options.daily;
    const dailyShare = daily === undefined ? 0 : Math.min(Math.max(daily.share, 0), 1);
    const noiseShare = Math.min(Math.max(options.noise ?? 0, 0), 1 - dailyShare);
    this.wave = new Wave(rng, m, amplitude * (1 - dailyShare - noiseShare), periods);
    if (daily !== undefined && dailyShare > 0) this.wave.addSine(amplitude * dailyShare, daily.periodS, daily.phase);
    this.noise = noiseShare > 0 ? new Noise(rng, amplitude * noiseShare) : undefined;
    const headroom = Math.max(0, SHARE_MAX - this.reserve - m - amplitude);
    const heat = options.heat;
    // A heating node keeps a little of the headroom for bursts, so it still flickers on its way up.
    this.ramp = heat === undefined ? undefined : new Ramp(heat.start, 0.92 * headroom, heat.rampS, heat.holdS);
    this.bursts = new Bursts(rng, headroom - (this.ramp?.height ?? 0), options.burstProbability ?? 0.2);
  }

  at(t: number): number {
    return this.wave.at(t) + (this.noise?.at(t) ?? 0) + this.bursts.at(t) + (this.ramp?.at(t) ?? 0);
  }

  integral(t: number): number {
    return this.wave.integral(t) + (this.noise?.integral(t) ?? 0) + this.bursts.integral(t) + (this.ramp?.integral(t) ?? 0);
  }

  /** The smooth part and the noise, without bursts and ramp: what a core follows of its node. */
  baseAt(t: number): number {
    return this.wave.at(t) + (this.noise?.at(t) ?? 0);
  }

  baseIntegral(t: number): number {
    return this.wave.integral(t) + (this.noise?.integral(t) ?? 0);
  }
}
