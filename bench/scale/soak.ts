/**
 * `npm run bench -- scale-soak`: the interactive UI on 1,000 nodes every 1 s for 10 minutes, its
 * RSS sampled every 10 s. Memory is sized by the node count and the history length, never by
 * running time: after the history rings fill, the curve must be flat. The verdict is the slope
 * of the last 5 minutes (least squares), against a bound well below what a leak of one object per
 * scrape would give (1,000 scrapes a second).
 */
import type { ProcSample } from './proc.js';
import { withCluster } from './simulator.js';
import { runUi, type UiFigures } from './ui-run.js';

const NODES = 1000;
const INTERVAL_MS = 1000;
const DURATION_MS = 10 * 60_000;
const EVERY_MS = 10_000;
const VERDICT_SPAN_MS = 5 * 60_000;
/** MB per minute: 0.5 is 30 MB an hour, 12 bytes per scrape. */
const FLAT_MB_PER_MIN = 0.5;

export interface SoakResult {
  readonly samples: readonly ProcSample[];
  readonly run: UiFigures;
}

export async function benchSoak(): Promise<SoakResult> {
  const samples: ProcSample[] = [];
  const run = await withCluster(NODES, (sim, targetsFile) =>
    runUi({
      targetsFile,
      intervalMs: INTERVAL_MS,
      expectUp: sim.urls.length - sim.failing.length,
      simulatorPid: sim.pid,
      warmupMs: 0,
      measureMs: DURATION_MS,
      everyMs: EVERY_MS,
      onSample: (s) => samples.push(s),
    }),
  );
  return { samples, run };
}

export function printSoak({ samples, run }: SoakResult): void {
  const t0 = samples[0]?.atMs ?? 0;
  console.log(`RSS (MB) every ${EVERY_MS / 1000} s, one line a minute, with that minute's CPU s/s:`);
  for (let i = 0; i < samples.length; i += 6) {
    const minute = samples.slice(i, i + 6);
    const before = samples[i - 1];
    const last = minute[minute.length - 1]!;
    const cpu = before === undefined ? '' : `  CPU ${((last.cpuSeconds - before.cpuSeconds) / ((last.atMs - before.atMs) / 1000)).toFixed(3)}`;
    console.log(`  ${String(i / 6 + 1).padStart(2)} min: ${minute.map((s) => (s.rssBytes / 2 ** 20).toFixed(0).padStart(4)).join('')}${cpu}`);
  }
  const end = samples[samples.length - 1]?.atMs ?? 0;
  const tail = samples.filter((s) => s.atMs >= end - VERDICT_SPAN_MS);
  const slope = slopePerMinute(tail.map((s) => [(s.atMs - t0) / 60_000, s.rssBytes / 2 ** 20]));
  const verdict = Math.abs(slope) <= FLAT_MB_PER_MIN ? 'flat (no growth with running time)' : 'GROWS with running time';
  console.log(`last ${VERDICT_SPAN_MS / 60_000} min: ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MB/min -> ${verdict}; peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MB; CPU over the run ${run.cpuPerSecond.toFixed(3)} s/s (the simulator ${run.simulatorCpuPerSecond.toFixed(2)}, other processes ${run.othersCpuPerSecond.toFixed(2)})`);
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
