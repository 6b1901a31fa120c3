/**
 * `npm run bench -- scale-soak [--minutes 60]`: the interactive UI on 1,000 nodes every 1 s for 10
 * minutes (or as many as asked), its RSS sampled every 10 s. Memory is sized by the node count and
 * the history length, never by running time: after the history rings fill, the curve must be flat.
 * The verdict is the slope of the second half of the run (at least 5 minutes; least squares),
 * against a bound well below what a leak of one object per scrape would give (1,000 scrapes a
 * second). Each minute's line goes to stderr as it ends, so a long run shows its curve as it goes.
 */
import type { ProcSample } from './proc.js';
import { withCluster } from './simulator.js';
import { runUi, type UiFigures } from './ui-run.js';

const NODES = 1000;
const INTERVAL_MS = 1000;
const DEFAULT_MINUTES = 10;
const EVERY_MS = 10_000;
const MIN_VERDICT_SPAN_MS = 5 * 60_000;
/** MB per minute: 0.5 is 30 MB an hour, 12 bytes per scrape. */
const FLAT_MB_PER_MIN = 0.5;

export interface SoakResult {
  readonly samples: readonly ProcSample[];
  readonly run: UiFigures;
}

export async function benchSoak(minutes = DEFAULT_MINUTES): Promise<SoakResult> {
  const samples: ProcSample[] = [];
  const report = (s: ProcSample): void => {
    samples.push(s);
    if (samples.length % 6 === 0) process.stderr.write(`${minuteLine(samples, samples.length - 6)}\n`);
  };
  const run = await withCluster(NODES, (sim, targetsFile) =>
    runUi({
      targetsFile,
      intervalMs: INTERVAL_MS,
      expectUp: sim.urls.length - sim.failing.length,
      simulatorPid: sim.pid,
      warmupMs: 0,
      measureMs: minutes * 60_000,
      everyMs: EVERY_MS,
      onSample: report,
    }),
  );
  return { samples, run };
}

export function printSoak({ samples, run }: SoakResult): void {
  const t0 = samples[0]?.atMs ?? 0;
  console.log(`RSS (MB) every ${EVERY_MS / 1000} s, one line a minute, with that minute's CPU s/s:`);
  for (let i = 0; i < samples.length; i += 6) console.log(minuteLine(samples, i));
  const end = samples[samples.length - 1]?.atMs ?? 0;
  const spanMs = Math.max(MIN_VERDICT_SPAN_MS, Math.floor((end - t0) / 2 / 60_000) * 60_000);
  const tail = samples.filter((s) => s.atMs >= end - spanMs);
  const slope = slopePerMinute(tail.map((s) => [(s.atMs - t0) / 60_000, s.rssBytes / 2 ** 20]));
  const verdict = Math.abs(slope) <= FLAT_MB_PER_MIN ? 'flat (no growth with running time)' : 'GROWS with running time';
  console.log(`last ${spanMs / 60_000} min: ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MB/min -> ${verdict}; peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MB; CPU over the run ${run.cpuPerSecond.toFixed(3)} s/s (the simulator ${run.simulatorCpuPerSecond.toFixed(2)}, other processes ${run.othersCpuPerSecond.toFixed(2)})`);
  // Whether the CPU of a 10-minute soak holds over a long one: its first ten minutes against its last ten.
  const first = cpuBetween(samples, t0, t0 + 10 * 60_000);
  const last = cpuBetween(samples, end - 10 * 60_000, end);
  if (end - t0 >= 20 * 60_000 && first !== undefined && last !== undefined) {
    console.log(`CPU s/s: first 10 min ${first.toFixed(3)}, last 10 min ${last.toFixed(3)} (ratio ${(last / first).toFixed(2)})`);
  }
}

/** One minute of the curve: its six RSS samples and, after the first, that minute's CPU s/s. */
function minuteLine(samples: readonly ProcSample[], i: number): string {
  const minute = samples.slice(i, i + 6);
  const before = samples[i - 1];
  const last = minute[minute.length - 1]!;
  const cpu = before === undefined ? '' : `  CPU ${((last.cpuSeconds - before.cpuSeconds) / ((last.atMs - before.atMs) / 1000)).toFixed(3)}`;
  return `  ${String(i / 6 + 1).padStart(2)} min: ${minute.map((s) => (s.rssBytes / 2 ** 20).toFixed(0).padStart(4)).join('')}${cpu}`;
}

/** CPU s/s between the samples nearest to `fromMs` and `toMs`. */
function cpuBetween(samples: readonly ProcSample[], fromMs: number, toMs: number): number | undefined {
  const a = samples.find((s) => s.atMs >= fromMs);
  const b = [...samples].reverse().find((s) => s.atMs <= toMs);
  if (a === undefined || b === undefined || b.atMs <= a.atMs) return undefined;
  return (b.cpuSeconds - a.cpuSeconds) / ((b.atMs - a.atMs) / 1000);
}

/** Least-squares slope of y over x. */
function slopePerMinute(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}
