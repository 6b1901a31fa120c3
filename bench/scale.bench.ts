/**
 * Scale as a measured property: the headless pipeline (scrape, parse, derive, store) at 100,
 * 1,000 and 2,000 nodes, every 1 s and 2 s, next to the real Prometheus on the same targets, and
 * the interactive UI drawing 1,000 nodes. Each is a process of its own whose CPU and RSS come
 * from /proc; the simulated cluster (bench/simulator-process.ts) runs apart, so its CPU is not
 * counted. The runs take turns rather than overlap: on a 2-core machine, running side by side
 * they would slow each other down. Only loopback is used; every run is bounded in time.
 * At 2,000 nodes the simulator answers without gzip (see bench/scale/simulator.ts).
 *
 * ScaleOptions narrow a run: other sizes, no Prometheus, or the plain-HTTP scrapes over undici's
 * Client instead of our own reader (`--transport undici`), which keeps the memory reason for that
 * reader measured. The UI runs the built binary, which has no such switch: it is left out then.
 */
import type { PlainHttpTransport } from '../src/scrape/scraper.js';
import { buildPipelineProcess } from './scale/build-process.js';
import { runPipeline, type PipelineFigures } from './scale/pipeline-run.js';
import { runPrometheus, type PrometheusFigures } from './scale/prometheus-run.js';
import { gzipAt, withCluster, type Placement, type Workload } from './scale/simulator.js';
import { runUi, type UiFigures } from './scale/ui-run.js';

export const SIZES = [100, 1000, 2000] as const;
export const INTERVALS_MS = [1000, 2000] as const;
const UI_NODES = 1000;
const UI_INTERVAL_MS = 1000;
const WARMUP_MS = 8_000;
const MEASURE_MS = 20_000;
/** Prometheus starts slower (TSDB, first compaction of the head) than cluster-top. */
const PROMETHEUS_WARMUP_MS = 12_000;

/**
 * Fleet sizes (issue #18): the same 1,000 scrapes a second as 1,000 nodes every second, with 5x
 * and 10x the nodes. Prometheus does not run beside them: at about 1,500 series a node it would
 * hold 7.5 and 15 million series, more memory than this 24 GB machine has.
 */
export const FLEET_RUNS: readonly (readonly [nodes: number, intervalMs: number])[] = [
  [5000, 5000],
  [10_000, 10_000],
];
const PROMETHEUS_MAX_NODES = 2000;

export interface ScaleOptions {
  /** Cluster sizes; default SIZES. */
  readonly sizes?: readonly number[];
  /** Run FLEET_RUNS instead of the sizes at 1 s and 2 s. */
  readonly fleet?: boolean;
  /** Whether Prometheus runs beside each pipeline run; default true. */
  readonly prometheus?: boolean;
  /** What carries the pipeline's plain-HTTP scrapes; default our own reader. */
  readonly transport?: PlainHttpTransport;
  /**
   * Issues #16 and #17: 1,000 nodes at 1 s twice in one run, plain and with this workload on
   * every node (processes, containers, GPUs in the agent's payload), instead of the sizes (the
   * first size given replaces the 1,000; the UI runs at 1,000 only).
   */
  readonly workload?: Workload;
  /**
   * The simulator on CPU 0 and the headless pipeline on CPU 1 (taskset), so neither takes the
   * other's core and the diagnosis can tell which of them falls behind. Prometheus and the UI
   * are not pinned (only the simulator is kept to CPU 0).
   */
  readonly pin?: boolean;
}

const SIMULATOR_CPUS: Placement = { cpus: '0' };
const MEASURED_CPUS: Placement = { cpus: '1' };

/** The workload of `--workload` without numbers: the issues' 30 processes, 20 containers, 8 GPUs. */
export const ISSUE_WORKLOAD: Workload = { processes: 30, containers: 20, gpus: 8 };

export interface ScaleRow {
  readonly nodes: number;
  /** Set on the runs with processes, containers and GPUs on every node. */
  readonly workload: Workload | undefined;
  readonly intervalMs: number;
  readonly gzip: boolean;
  readonly pipeline: PipelineFigures;
  readonly prometheus: PrometheusFigures | undefined;
}

export interface ScaleResult {
  readonly transport: PlainHttpTransport;
  readonly rows: readonly ScaleRow[];
  /** Only with our own reader and UI_NODES among the sizes. */
  readonly ui: UiFigures | undefined;
  /** The UI on the cluster with the workload, with --workload; 'failed' when it never showed every node up. */
  readonly workloadUi: UiFigures | 'failed' | undefined;
}

export async function benchScale(log: (line: string) => void, options: ScaleOptions = {}): Promise<ScaleResult> {
  const { sizes = SIZES, prometheus: wantPrometheus = true, transport = 'own' } = options;
  const script = buildPipelineProcess();
  const rows: ScaleRow[] = [];
  let ui: UiFigures | undefined;
  let workloadUi: UiFigures | undefined;
  let workloadFailed = false;
  const workloads = options.workload === undefined ? [undefined] : [undefined, options.workload];
  const plan = options.fleet
    ? FLEET_RUNS.map(([nodes, intervalMs]) => [nodes, [intervalMs], undefined] as const)
    : options.workload !== undefined
      ? workloads.map((w) => [options.sizes?.[0] ?? UI_NODES, [UI_INTERVAL_MS], w] as const)
      : sizes.map((nodes) => [nodes, INTERVALS_MS, undefined] as const);
  for (const [nodes, intervals, workload] of plan) {
    const withPrometheus = wantPrometheus && nodes <= PROMETHEUS_MAX_NODES;
    const what = workload === undefined ? '' : ` with ${workload.processes} processes, ${workload.containers} containers, ${workload.gpus} GPUs each`;
    await withCluster(
      nodes,
      async (sim, targetsFile) => {
        for (const intervalMs of intervals) {
          log(`  ${nodes} nodes${what} every ${intervalMs / 1000} s: cluster-top (plain HTTP over ${transport === 'own' ? 'our reader' : 'undici'})${withPrometheus ? ', then Prometheus' : ''}`);
          // At least four intervals measured, after two to settle in.
          const common = { intervalMs, simulatorPid: sim.pid, measureMs: Math.max(MEASURE_MS, 4 * intervalMs) };
          const placement = options.pin ? MEASURED_CPUS : {};
          const pipeline = await runPipeline({ ...common, script, targetsFile, ignore: sim.failing, warmupMs: Math.max(WARMUP_MS, 2 * intervalMs), transport, placement, simulatorStats: sim.stats });
          const prometheus = withPrometheus ? await runPrometheus({ ...common, urls: sim.urls, warmupMs: PROMETHEUS_WARMUP_MS }) : undefined;
          rows.push({ nodes, workload, intervalMs, gzip: gzipAt(nodes, workload), pipeline, prometheus });
        }
        if (nodes === UI_NODES && transport === 'own') {
          log(`  ${nodes} nodes${what} every ${UI_INTERVAL_MS / 1000} s: the interactive UI in tmux`);
          const expectUp = sim.urls.length - sim.failing.length;
          try {
            const figures = await runUi({ targetsFile, intervalMs: UI_INTERVAL_MS, expectUp, simulatorPid: sim.pid, warmupMs: WARMUP_MS, measureMs: MEASURE_MS });
            if (workload === undefined) ui = figures;
            else workloadUi = figures;
          } catch (error) {
            // The headless figures are measured already: say what went wrong and print them.
            log(`  the UI run failed: ${error instanceof Error ? error.message : String(error)}`);
            if (workload !== undefined) workloadFailed = true;
          }
        }
      },
      workload,
      options.pin ? SIMULATOR_CPUS : {},
    );
  }
  return { transport, rows, ui, workloadUi: workloadUi ?? (workloadFailed ? 'failed' : undefined) };
}

const MiB = 1024 * 1024;
const mb = (bytes: number): string => (bytes / MiB).toFixed(0);
const pct = (share: number): string => `${(100 * share).toFixed(2)}%`;
const cpu = (s: number): string => s.toFixed(3);

export function printScale({ transport, rows, ui, workloadUi }: ScaleResult): void {
  console.log(`plain-HTTP scrapes over ${transport === 'own' ? 'our own reader' : "undici's Client"}`);
  const header = ['nodes', 'workload', 'every', 'gzip', 'CPU s/s', 'RSS MB', 'missed', 'MB/s wire', 'MB/s body', 'samples/s', '| Prom CPU', 'RSS MB', 'missed', '| CPU ratio', 'others CPU'];
  const table = rows.map((r) => [
    String(r.nodes),
    r.workload === undefined ? '-' : `${r.workload.processes}p ${r.workload.containers}c ${r.workload.gpus}g`,
    `${r.intervalMs / 1000} s`,
    r.gzip ? 'yes' : 'no',
    cpu(r.pipeline.cpuPerSecond),
    mb(r.pipeline.peakRssBytes),
    pct(r.pipeline.missedShare),
    (r.pipeline.wireBytesPerSecond / 1e6).toFixed(1),
    (r.pipeline.bodyBytesPerSecond / 1e6).toFixed(1),
    Math.round(r.pipeline.samplesPerSecond).toLocaleString('en-US'),
    `| ${r.prometheus === undefined ? '-' : cpu(r.prometheus.cpuPerSecond)}`,
    r.prometheus === undefined ? '-' : mb(r.prometheus.peakRssBytes),
    r.prometheus === undefined ? '-' : pct(r.prometheus.missedShare),
    `| ${r.prometheus === undefined ? '-' : (r.pipeline.cpuPerSecond / r.prometheus.cpuPerSecond).toFixed(2)}`,
    `${r.pipeline.othersCpuPerSecond.toFixed(2)}/${r.prometheus === undefined ? '-' : r.prometheus.othersCpuPerSecond.toFixed(2)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  for (const row of [header, ...table]) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  console.log('CPU s/s: CPU seconds per second of the process (all threads), from /proc; RSS: its peak.');
  console.log('missed: turns with no scrape (cluster-top: per target and interval, the simulator\'s down and slow node left out;');
  console.log('  Prometheus: samples of `up` against targets x intervals). others CPU: the rest of the machine meanwhile (cluster-top/Prometheus run).');
  printDiagnosis(rows);
  printFleetTargets(rows);
  if (workloadUi !== undefined) {
    printWorkload(rows, ui, workloadUi);
    return;
  }
  if (ui === undefined) {
    console.log(`\nUI: not run (it runs with our own reader, at ${UI_NODES} nodes)`);
    return;
  }
  console.log(`\nUI (built binary in tmux 120x40), ${UI_NODES} nodes every ${UI_INTERVAL_MS / 1000} s: CPU ${cpu(ui.cpuPerSecond)} s/s, RSS ${mb(ui.peakRssBytes)} MB, ${ui.upAtEnd} up at the end, others CPU ${ui.othersCpuPerSecond.toFixed(2)}`);
  printTargets(rows, ui);
}

/** The issue's targets, each with its verdict. */
function printTargets(rows: readonly ScaleRow[], ui: UiFigures): void {
  const at = (nodes: number, intervalMs: number) => rows.find((r) => r.nodes === nodes && r.intervalMs === intervalMs);
  const main = at(UI_NODES, UI_INTERVAL_MS);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('\ntargets (1,000 nodes at 1 s, 2 cores):');
  if (main !== undefined) {
    console.log(`  every node scraped every interval: ${pct(main.pipeline.missedShare)} missed -> ${verdict(main.pipeline.missedShare === 0)}`);
    const prometheus = main.prometheus;
    if (prometheus !== undefined) console.log(`  at most half of Prometheus's CPU: ${cpu(main.pipeline.cpuPerSecond)} vs ${cpu(prometheus.cpuPerSecond)} -> ${verdict(main.pipeline.cpuPerSecond <= prometheus.cpuPerSecond / 2)}`);
  }
  console.log(`  under 0.5 CPU s/s, UI included: ${cpu(ui.cpuPerSecond)} -> ${verdict(ui.cpuPerSecond < 0.5)}`);
  console.log(`  under 200 MB RSS, UI included: ${mb(ui.peakRssBytes)} MB -> ${verdict(ui.peakRssBytes < 200 * MiB)}`);
  const sizes = [...new Set(rows.map((r) => r.nodes))];
  const small = at(Math.min(...sizes), UI_INTERVAL_MS);
  const large = at(Math.max(...sizes), UI_INTERVAL_MS);
  if (small !== undefined && large !== undefined && large.nodes > small.nodes) {
    const perThousand = ((large.pipeline.peakRssBytes - small.pipeline.peakRssBytes) / (large.nodes - small.nodes)) * 1000;
    console.log(`  memory per 1,000 nodes (headless, ${small.nodes} -> ${large.nodes} nodes at 1 s): ${mb(perThousand)} MB, over a base of ${mb(small.pipeline.peakRssBytes)} MB`);
  }
}

/** Issue #18's targets for the fleet runs: CPU, RSS by size, missed turns. */
function printFleetTargets(rows: readonly ScaleRow[]): void {
  const fleet = rows.filter((r) => FLEET_RUNS.some(([nodes, intervalMs]) => r.nodes === nodes && r.intervalMs === intervalMs));
  if (fleet.length === 0) return;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('\ntargets (fleet sizes, headless; Prometheus not beside them, see FLEET_RUNS):');
  for (const r of fleet) {
    const rssTarget = r.nodes <= 5000 ? 300 : 450;
    const at = `${r.nodes} nodes every ${r.intervalMs / 1000} s`;
    console.log(`  ${at}: at most 0.5 CPU s/s: ${cpu(r.pipeline.cpuPerSecond)} -> ${verdict(r.pipeline.cpuPerSecond <= 0.5)}`);
    console.log(`  ${at}: RSS at most ${rssTarget} MB: ${mb(r.pipeline.peakRssBytes)} MB -> ${verdict(r.pipeline.peakRssBytes <= rssTarget * MiB)}`);
    console.log(`  ${at}: at most 1 % of turns missed: ${pct(r.pipeline.missedShare)} -> ${verdict(r.pipeline.missedShare <= 0.01)}`);
  }
}

/** --workload: plain and with the workload side by side, against the budgets (issues #16, #17). */
function printWorkload(rows: readonly ScaleRow[], ui: UiFigures | undefined, withWorkload: UiFigures | 'failed'): void {
  const plain = rows.find((r) => r.workload === undefined);
  const loaded = rows.find((r) => r.workload !== undefined);
  if (loaded === undefined) return;
  const w = loaded.workload!;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const grew = (from: number | undefined, to: number, f: (x: number) => string) => (from === undefined ? '' : ` (plain ${f(from)}, x${(to / from).toFixed(2)})`);
  console.log(`\nworkload: ${w.processes} processes, ${w.containers} containers (cAdvisor names), ${w.gpus} GPUs (dcgm-exporter names) per node, in the agent's one payload`);
  const perScrape = loaded.pipeline.bodyBytesPerSecond / Math.max(1, loaded.pipeline.scrapesPerSecond);
  const plainPerScrape = plain === undefined ? undefined : plain.pipeline.bodyBytesPerSecond / Math.max(1, plain.pipeline.scrapesPerSecond);
  console.log(`  payload per scrape: ${(perScrape / 1024).toFixed(0)} KB${grew(plainPerScrape, perScrape, (x) => `${(x / 1024).toFixed(0)} KB`)}`);
  console.log(`  headless CPU: ${cpu(loaded.pipeline.cpuPerSecond)} s/s${grew(plain?.pipeline.cpuPerSecond, loaded.pipeline.cpuPerSecond, cpu)}; RSS ${mb(loaded.pipeline.peakRssBytes)} MB${grew(plain?.pipeline.peakRssBytes, loaded.pipeline.peakRssBytes, (x) => `${mb(x)} MB`)}`);
  if (loaded.prometheus !== undefined) {
    console.log(`  Prometheus CPU: ${cpu(loaded.prometheus.cpuPerSecond)} s/s${grew(plain?.prometheus?.cpuPerSecond, loaded.prometheus.cpuPerSecond, cpu)}; RSS ${mb(loaded.prometheus.peakRssBytes)} MB; cluster-top/Prometheus CPU ${(loaded.pipeline.cpuPerSecond / loaded.prometheus.cpuPerSecond).toFixed(2)}`);
  }
  if (withWorkload === 'failed') {
    console.log('  UI: never showed every node up (see above): not measured -> budgets NOT met');
    return;
  }
  console.log(`  UI CPU: ${cpu(withWorkload.cpuPerSecond)} s/s${grew(ui?.cpuPerSecond, withWorkload.cpuPerSecond, cpu)}; RSS ${mb(withWorkload.peakRssBytes)} MB${grew(ui?.peakRssBytes, withWorkload.peakRssBytes, (x) => `${mb(x)} MB`)}; ${withWorkload.upAtEnd} up at the end; others CPU ${withWorkload.othersCpuPerSecond.toFixed(2)}, simulator ${withWorkload.simulatorCpuPerSecond.toFixed(2)}`);
  console.log('targets (1,000 nodes at 1 s with the workload, UI included):');
  console.log(`  every node scraped every interval: ${pct(loaded.pipeline.missedShare)} missed -> ${verdict(loaded.pipeline.missedShare === 0)}`);
  console.log(`  under 0.5 CPU s/s: ${cpu(withWorkload.cpuPerSecond)} -> ${verdict(withWorkload.cpuPerSecond < 0.5)}`);
  console.log(`  under 200 MB RSS: ${mb(withWorkload.peakRssBytes)} MB -> ${verdict(withWorkload.peakRssBytes < 200 * MiB)}`);
}

/** Which side fell behind in each run: our scrape starts and event loop, or the simulator's answers and loop. */
function printDiagnosis(rows: readonly ScaleRow[]): void {
  const ms = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(0));
  console.log('\nturn timing (ms; "late": scrape start after its turn, p50 / worst window p99 / max; loop delay p99 / max):');
  const header = ['nodes', 'every', 'late p50', 'p99', 'max', 'scrape p99', 'max', 'our loop p99', 'max', 'sim loop p99', 'max', 'failed', 'missed after fail'];
  const table = rows.map((r) => {
    const d = r.pipeline.diagnosis;
    return [String(r.nodes), `${r.intervalMs / 1000} s`, ms(d.lateP50Ms), ms(d.lateP99Ms), ms(d.lateMaxMs), ms(d.durationP99Ms), ms(d.durationMaxMs), ms(d.loopDelayP99Ms), ms(d.loopDelayMaxMs), ms(d.simulatorLoopDelayP99Ms), ms(d.simulatorLoopDelayMaxMs), pct(d.failedShare), pct(d.missedAfterFailureShare)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  for (const row of [header, ...table]) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
}
