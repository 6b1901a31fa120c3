/**
 * The headless pipeline at one cluster size and interval: bench/pipeline-process.ts in its own
 * process, its CPU and RSS read from /proc over the measured span, its scrapes counted per turn.
 */
import type { PlainHttpTransport } from '../../src/scrape/scraper.js';
import type { WindowLine } from '../pipeline-process.js';
import { JsonLinesChild } from './child.js';
import { placed, type Placement, type SimulatorStats } from './simulator.js';
import { Span, sleep, type SpanFigures } from './proc.js';

export interface PipelineRunOptions {
  /** .bench-out/pipeline-process.js, from buildPipelineProcess(). */
  readonly script: string;
  readonly targetsFile: string;
  readonly intervalMs: number;
  /** Targets expected to fail (the simulator's down and slow node): not counted as missed. */
  readonly ignore: readonly string[];
  readonly simulatorPid: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  /** What carries the plain-HTTP scrapes (ScraperOptions.plainHttpTransport); default our own reader. */
  readonly transport?: PlainHttpTransport;
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
  /** Where the pipeline process runs (taskset); default anywhere. */
  readonly placement?: Placement;
  /** The simulator's event-loop delays, for the diagnosis. */
  readonly simulatorStats?: () => readonly SimulatorStats[];
}

/** Which side fell behind, over the measured span (see TurnTally's timing). */
export interface TurnDiagnosis {
  /** Scrape start after its turn: the median window's median, the worst window's 99th percentile, the largest. */
  readonly lateP50Ms: number;
  readonly lateP99Ms: number;
  readonly lateMaxMs: number;
  /** Scrape durations: the worst window's 99th percentile, the largest. */
  readonly durationP99Ms: number;
  readonly durationMaxMs: number;
  /** Our event loop's delay: the worst report tick's 99th percentile, the largest. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** The simulator's, the same way; undefined without its stats. */
  readonly simulatorLoopDelayP99Ms: number | undefined;
  readonly simulatorLoopDelayMaxMs: number | undefined;
  /** Failed scrapes over expected turns, and missed turns that followed a failure (the back-off's). */
  readonly failedShare: number;
  readonly missedAfterFailureShare: number;
}

export interface PipelineFigures extends SpanFigures {
  /** Missed turns over expected turns, in the whole intervals of the measured span. */
  readonly missedShare: number;
  readonly wireBytesPerSecond: number;
  readonly bodyBytesPerSecond: number;
  readonly samplesPerSecond: number;
  /** Scrapes started per second, failed ones included. */
  readonly scrapesPerSecond: number;
  readonly diagnosis: TurnDiagnosis;
}

type Line = WindowLine | { readonly ready: true };

export async function runPipeline(o: PipelineRunOptions): Promise<PipelineFigures> {
  // The process's own bound, should this benchmark die without closing its stdin.
  const seconds = Math.ceil((o.warmupMs + o.measureMs) / 1000 + (6 * o.intervalMs) / 1000) + 30;
  const args = [...(o.nodeArgs ?? []), o.script, '--targets-file', o.targetsFile, '--interval', `${o.intervalMs}ms`, '--seconds', String(seconds), '--ignore', o.ignore.join(','), '--transport', o.transport ?? 'own'];
  const child = new JsonLinesChild<Line>(...placed(o.placement ?? {}, process.execPath, args));
  try {
    await child.waitUntil((lines) => lines.length > 0, 30_000);
    await sleep(o.warmupMs);
    const fromMs = Date.now();
    const span = new Span(child.pid, o.simulatorPid);
    await sleep(o.measureMs);
    const figures = span.end();
    const first = Math.ceil(fromMs / o.intervalMs);
    const last = Math.floor(Date.now() / o.intervalMs) - 1;
    const all = await child.waitUntil((lines) => lines.some((l) => 'window' in l && l.window >= last), 6 * o.intervalMs + 5_000);
    const windows = all.filter((l): l is WindowLine => 'window' in l && l.window >= first && l.window <= last);
    const simulator = o.simulatorStats?.().filter((st) => st.atMs > fromMs && st.atMs <= (last + 1) * o.intervalMs);
    return { ...figures, ...throughput(windows, o.intervalMs), diagnosis: diagnose(windows, simulator) };
  } finally {
    await child.stop();
  }
}

function diagnose(lines: readonly WindowLine[], simulator: readonly SimulatorStats[] | undefined): TurnDiagnosis {
  const max = (values: readonly number[]) => values.reduce((m, v) => Math.max(m, v), 0);
  const medians = lines.map((l) => l.timing.lateP50Ms).sort((a, b) => a - b);
  const expected = lines.reduce((s, l) => s + l.expected, 0);
  const share = (f: (l: WindowLine) => number) => (expected > 0 ? lines.reduce((s, l) => s + f(l), 0) / expected : 0);
  const some = simulator !== undefined && simulator.length > 0;
  return {
    lateP50Ms: medians[Math.floor(medians.length / 2)] ?? 0,
    lateP99Ms: max(lines.map((l) => l.timing.lateP99Ms)),
    lateMaxMs: max(lines.map((l) => l.timing.lateMaxMs)),
    durationP99Ms: max(lines.map((l) => l.timing.durationP99Ms)),
    durationMaxMs: max(lines.map((l) => l.timing.durationMaxMs)),
    loopDelayP99Ms: max(lines.map((l) => l.loopDelayP99Ms)),
    loopDelayMaxMs: max(lines.map((l) => l.loopDelayMaxMs)),
    simulatorLoopDelayP99Ms: some ? max(simulator.map((st) => st.loopDelayP99Ms)) : undefined,
    simulatorLoopDelayMaxMs: some ? max(simulator.map((st) => st.loopDelayMaxMs)) : undefined,
    failedShare: share((l) => l.failed),
    missedAfterFailureShare: share((l) => l.missedAfterFailure),
  };
}

function throughput(lines: readonly WindowLine[], intervalMs: number): Omit<PipelineFigures, keyof SpanFigures | 'diagnosis'> {
  const sum = (f: (l: WindowLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  const seconds = (lines.length * intervalMs) / 1000;
  const expected = sum((l) => l.expected);
  return {
    missedShare: expected > 0 ? sum((l) => l.missed) / expected : 0,
    wireBytesPerSecond: sum((l) => l.wireBytes) / seconds,
    bodyBytesPerSecond: sum((l) => l.bodyBytes) / seconds,
    samplesPerSecond: sum((l) => l.samples) / seconds,
    scrapesPerSecond: sum((l) => l.scrapes) / seconds,
  };
}
