/**
 * Scale as a measured property: the headless pipeline (scrape, parse, derive, store) at 100,
 * 1,000 and 2,000 nodes, every 1 s and 2 s, next to the real Prometheus on the same targets, and
 * the interactive UI drawing 1,000 nodes. Each is a process of its own whose CPU and RSS come
 * from /proc; the simulated cluster (bench/simulator-process.ts) runs apart, so its CPU is not
 * counted. The runs take turns rather than overlap: on a 2-core machine, running side by side
 * they would slow each other down. Only loopback is used; every run is bounded in time.
 * At 2,000 nodes the simulator answers without gzip (see bench/scale/simulator.ts).
 */
import { buildPipelineProcess } from './scale/build-process.js';
import { runPipeline, type PipelineFigures } from './scale/pipeline-run.js';
import { runPrometheus, type PrometheusFigures } from './scale/prometheus-run.js';
import { gzipAt, withCluster } from './scale/simulator.js';
import { runUi, type UiFigures } from './scale/ui-run.js';

export const SIZES = [100, 1000, 2000] as const;
export const INTERVALS_MS = [1000, 2000] as const;
const UI_NODES = 1000;
const UI_INTERVAL_MS = 1000;
const WARMUP_MS = 8_000;
const MEASURE_MS = 20_000;
/** Prometheus starts slower (TSDB, first compaction of the head) than cluster-top. */
const PROMETHEUS_WARMUP_MS = 12_000;

export interface ScaleRow {
  readonly nodes: number;
  readonly intervalMs: number;
  readonly gzip: boolean;
  readonly pipeline: PipelineFigures;
  readonly prometheus: PrometheusFigures;
}

export interface ScaleResult {
  readonly rows: readonly ScaleRow[];
  readonly ui: UiFigures;
}

export async function benchScale(log: (line: string) => void): Promise<ScaleResult> {
  const script = buildPipelineProcess();
  const rows: ScaleRow[] = [];
  let ui: UiFigures | undefined;
  for (const nodes of SIZES) {
    await withCluster(nodes, async (sim, targetsFile) => {
      for (const intervalMs of INTERVALS_MS) {
        log(`  ${nodes} nodes every ${intervalMs / 1000} s: cluster-top, then Prometheus`);
        const common = { intervalMs, simulatorPid: sim.pid, measureMs: MEASURE_MS };
        const pipeline = await runPipeline({ ...common, script, targetsFile, ignore: sim.failing, warmupMs: WARMUP_MS });
        const prometheus = await runPrometheus({ ...common, urls: sim.urls, warmupMs: PROMETHEUS_WARMUP_MS });
        rows.push({ nodes, intervalMs, gzip: gzipAt(nodes), pipeline, prometheus });
      }
      if (nodes === UI_NODES) {
        log(`  ${nodes} nodes every ${UI_INTERVAL_MS / 1000} s: the interactive UI in tmux`);
        const expectUp = sim.urls.length - sim.failing.length;
        ui = await runUi({ targetsFile, intervalMs: UI_INTERVAL_MS, expectUp, simulatorPid: sim.pid, warmupMs: WARMUP_MS, measureMs: MEASURE_MS });
      }
    });
  }
  if (ui === undefined) throw new Error(`no UI run: ${UI_NODES} is not among the sizes`);
  return { rows, ui };
}

const MiB = 1024 * 1024;
const mb = (bytes: number): string => (bytes / MiB).toFixed(0);
const pct = (share: number): string => `${(100 * share).toFixed(2)}%`;
const cpu = (s: number): string => s.toFixed(3);

export function printScale({ rows, ui }: ScaleResult): void {
  const header = ['nodes', 'every', 'gzip', 'CPU s/s', 'RSS MB', 'missed', 'MB/s wire', 'MB/s body', 'samples/s', '| Prom CPU', 'RSS MB', 'missed', '| CPU ratio', 'others CPU'];
  const table = rows.map((r) => [
    String(r.nodes),
    `${r.intervalMs / 1000} s`,
    r.gzip ? 'yes' : 'no',
    cpu(r.pipeline.cpuPerSecond),
    mb(r.pipeline.peakRssBytes),
    pct(r.pipeline.missedShare),
    (r.pipeline.wireBytesPerSecond / 1e6).toFixed(1),
    (r.pipeline.bodyBytesPerSecond / 1e6).toFixed(1),
    Math.round(r.pipeline.samplesPerSecond).toLocaleString('en-US'),
    `| ${cpu(r.prometheus.cpuPerSecond)}`,
    mb(r.prometheus.peakRssBytes),
    pct(r.prometheus.missedShare),
    `| ${(r.pipeline.cpuPerSecond / r.prometheus.cpuPerSecond).toFixed(2)}`,
    `${r.pipeline.othersCpuPerSecond.toFixed(2)}/${r.prometheus.othersCpuPerSecond.toFixed(2)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  for (const row of [header, ...table]) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  console.log('CPU s/s: CPU seconds per second of the process (all threads), from /proc; RSS: its peak.');
  console.log('missed: turns with no scrape (cluster-top: per target and interval, the simulator\'s down and slow node left out;');
  console.log('  Prometheus: samples of `up` against targets x intervals). others CPU: the rest of the machine meanwhile (cluster-top/Prometheus run).');
  console.log(`\nUI (built binary in tmux 120x40), ${UI_NODES} nodes every ${UI_INTERVAL_MS / 1000} s: CPU ${cpu(ui.cpuPerSecond)} s/s, RSS ${mb(ui.peakRssBytes)} MB, ${ui.upAtEnd} up at the end, others CPU ${ui.othersCpuPerSecond.toFixed(2)}`);
  printTargets(rows, ui);
}

/** The targets, each with its verdict. */
function printTargets(rows: readonly ScaleRow[], ui: UiFigures): void {
  const at = (nodes: number, intervalMs: number) => rows.find((r) => r.nodes === nodes && r.intervalMs === intervalMs);
  const main = at(UI_NODES, UI_INTERVAL_MS);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('\ntargets (1,000 nodes at 1 s, 2 cores):');
  if (main !== undefined) {
    console.log(`  every node scraped every interval: ${pct(main.pipeline.missedShare)} missed -> ${verdict(main.pipeline.missedShare === 0)}`);
    console.log(`  at most half of Prometheus's CPU: ${cpu(main.pipeline.cpuPerSecond)} vs ${cpu(main.prometheus.cpuPerSecond)} -> ${verdict(main.pipeline.cpuPerSecond <= main.prometheus.cpuPerSecond / 2)}`);
  }
  console.log(`  under 0.5 CPU s/s, UI included: ${cpu(ui.cpuPerSecond)} -> ${verdict(ui.cpuPerSecond < 0.5)}`);
  console.log(`  under 200 MB RSS, UI included: ${mb(ui.peakRssBytes)} MB -> ${verdict(ui.peakRssBytes < 200 * MiB)}`);
  const small = at(SIZES[0], UI_INTERVAL_MS);
  const large = at(SIZES[SIZES.length - 1] ?? SIZES[0], UI_INTERVAL_MS);
  if (small !== undefined && large !== undefined) {
    const perThousand = ((large.pipeline.peakRssBytes - small.pipeline.peakRssBytes) / (large.nodes - small.nodes)) * 1000;
    console.log(`  memory per 1,000 nodes (headless, ${small.nodes} -> ${large.nodes} nodes at 1 s): ${mb(perThousand)} MB, over a base of ${mb(small.pipeline.peakRssBytes)} MB`);
  }
}
