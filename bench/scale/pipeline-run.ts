/**
 * The headless pipeline at one cluster size and interval: bench/pipeline-process.ts in its own
 * process, its CPU and RSS read from /proc over the measured span, its scrapes counted per turn.
 */
import type { PlainHttpTransport } from '../../src/scrape/scraper.js';
import type { WindowLine } from '../pipeline-process.js';
import { JsonLinesChild } from './child.js';
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
}

export interface PipelineFigures extends SpanFigures {
  /** Missed turns over expected turns, in the whole intervals of the measured span. */
  readonly missedShare: number;
  readonly wireBytesPerSecond: number;
  readonly bodyBytesPerSecond: number;
  readonly samplesPerSecond: number;
  /** Scrapes started per second, failed ones included. */
  readonly scrapesPerSecond: number;
}

type Line = WindowLine | { readonly ready: true };

export async function runPipeline(o: PipelineRunOptions): Promise<PipelineFigures> {
  // The process's own bound, should this benchmark die without closing its stdin.
  const seconds = Math.ceil((o.warmupMs + o.measureMs) / 1000 + (6 * o.intervalMs) / 1000) + 30;
  const args = [...(o.nodeArgs ?? []), o.script, '--targets-file', o.targetsFile, '--interval', `${o.intervalMs}ms`, '--seconds', String(seconds), '--ignore', o.ignore.join(','), '--transport', o.transport ?? 'own'];
  const child = new JsonLinesChild<Line>(process.execPath, args);
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
    return { ...figures, ...throughput(windows, o.intervalMs) };
  } finally {
    await child.stop();
  }
}

function throughput(lines: readonly WindowLine[], intervalMs: number): Omit<PipelineFigures, keyof SpanFigures> {
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
