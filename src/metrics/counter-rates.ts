import { detach } from '../util/detach.js';

/**
 * Per-series counter bookkeeping for rates. Each series remembers its last reading and the
 * last rate computed from two readings with different timestamps, so:
 * - an endpoint whose samples keep the same timestamp for a few scrapes (the kubelet stamps
 *   samples with their collection time) keeps its last rate instead of showing 0 or dividing by 0;
 * - a counter that went down was reset: its increase is its new value, as Prometheus's rate()
 *   assumes, so a rate is never negative;
 * - series that disappear are dropped at the next sweep, so the map never grows without bound.
 */
interface CounterState {
  value: number;
  timeMs: number;
  rate: number | null;
  seen: number;
}

export class CounterRates {
  private readonly series = new Map<string, CounterState>();
  private generation = 0;

  /** Starts a scrape's worth of updates; call sweep() after the last update. */
  begin(): void {
    this.generation++;
  }

  /** Feeds one reading; returns the series' current rate per second, null until it has one. */
  update(key: string, value: number, timeMs: number): number | null {
    const state = this.series.get(key);
    if (!state) {
      // The key is made of label values, slices of the payload: the map would keep that payload.
      this.series.set(detach(key), { value, timeMs, rate: null, seen: this.generation });
      return null;
    }
    state.seen = this.generation;
    if (timeMs > state.timeMs && Number.isFinite(value)) {
      const increase = value >= state.value ? value - state.value : value;
      state.rate = (increase * 1000) / (timeMs - state.timeMs);
      state.value = value;
      state.timeMs = timeMs;
    }
    return state.rate;
  }

  sweep(): void {
    for (const [key, state] of this.series) if (state.seen !== this.generation) this.series.delete(key);
  }
}

/**
 * CPU busy share per core from cumulative seconds: the last interval's increase of the idle
 * modes and of all modes, kept per core so an unchanged timestamp reuses the last interval.
 */
interface CoreState {
  total: number;
  idle: number;
  timeMs: number;
  dTotal: number | null;
  dIdle: number | null;
  seen: number;
}

export class CpuIntervals {
  private readonly cores = new Map<string, CoreState>();
  private generation = 0;

  begin(): void {
    this.generation++;
  }

  /** Returns the core's last interval as [idle increase, total increase], or null before two readings. */
  update(core: string, total: number, idle: number, timeMs: number): readonly [number, number] | null {
    const state = this.cores.get(core);
    if (!state) {
      this.cores.set(core, { total, idle, timeMs, dTotal: null, dIdle: null, seen: this.generation });
      return null;
    }
    state.seen = this.generation;
    if (timeMs > state.timeMs) {
      const reset = total < state.total || idle < state.idle;
      state.dTotal = reset ? total : total - state.total;
      state.dIdle = reset ? idle : idle - state.idle;
      state.total = total;
      state.idle = idle;
      state.timeMs = timeMs;
    }
    return state.dTotal === null || state.dIdle === null ? null : [state.dIdle, state.dTotal];
  }

  sweep(): void {
    for (const [key, state] of this.cores) if (state.seen !== this.generation) this.cores.delete(key);
  }
}

/** 100 x (1 - idle / total), clamped to [0, 100]; null when no time passed. */
export function busyPercent(dIdle: number, dTotal: number): number | null {
  if (!(dTotal > 0)) return null;
  const p = 100 * (1 - dIdle / dTotal);
  return Math.min(100, Math.max(0, p));
}
