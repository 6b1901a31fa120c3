/** bench/simulator-process.ts as a child: a node_exporter-shaped cluster on loopback, its CPU apart. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JsonLinesChild } from './child.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../../.bench-out/', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
/**
 * Past this many nodes the simulator answers without gzip: at 2,000 scrapes a second, gzip takes
 * it more CPU than a 2-core machine has beside the process measured (see SimClusterOptions.gzip).
 */
const GZIP_UP_TO = 1000;

/**
 * With a workload (processes, containers, GPUs: 150 KB a payload), not at all: rendering takes the
 * simulator 0.5-0.8 ms a scrape and gzip 0.4 ms more, 1.2 cores at 1,000 scrapes a second, which
 * left the process measured too little of this 2-core machine to answer within its timeouts.
 */
export const gzipAt = (nodes: number, workload: Workload = NO_WORKLOAD): boolean =>
  nodes <= GZIP_UP_TO && workload.processes + workload.containers + workload.gpus === 0;

interface Ready {
  readonly urls: string[];
  readonly down: number[];
  readonly slow: number[];
  readonly flapping: number[];
}

/** The simulator's event-loop delay over one second (simulator-process.ts --stats). */
export interface SimulatorStats {
  readonly atMs: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

type SimulatorLine = Ready | { readonly stats: SimulatorStats };

export interface RunningSimulator {
  readonly pid: number;
  readonly urls: readonly string[];
  /** The down, the slow and the flapping node: they fail by design, and cluster-top backs off from them. */
  readonly failing: readonly string[];
  /** Its seconds' event-loop delays so far (every simulator process's, when several). */
  stats(): readonly SimulatorStats[];
  stop(): Promise<void>;
}

/** Where the processes run: `cpus` for taskset -c (such as "0"), or anywhere. */
export interface Placement {
  readonly cpus?: string;
}

/** The command and arguments that start `args` on `placement`'s CPUs (taskset execs, so the pid is the program's). */
export function placed(placement: Placement, command: string, args: readonly string[]): [string, string[]] {
  return placement.cpus === undefined ? [command, [...args]] : ['taskset', ['-c', placement.cpus, command, ...args]];
}

/** What every node serves besides node_exporter's families, in its one payload, as `cluster-top agent` does. */
export interface Workload {
  readonly processes: number;
  readonly containers: number;
  readonly gpus: number;
}

export const NO_WORKLOAD: Workload = { processes: 0, containers: 0, gpus: 0 };

export async function startSimulator(nodes: number, gzip: boolean, seed = 1, workload: Workload = NO_WORKLOAD, placement: Placement = {}): Promise<RunningSimulator> {
  const args = ['--import', 'tsx', 'bench/simulator-process.ts', '--nodes', String(nodes), '--seed', String(seed), '--stats', ...(gzip ? [] : ['--no-gzip'])];
  args.push('--processes', String(workload.processes), '--containers', String(workload.containers), '--gpus', String(workload.gpus));
  const child = new JsonLinesChild<SimulatorLine>(...placed(placement, process.execPath, args), { cwd: ROOT });
  try {
    const [first] = await child.waitUntil((lines) => lines.length > 0, READY_TIMEOUT_MS);
    if (first === undefined || !('urls' in first)) throw new Error('the simulator did not say it was ready first');
    const urls = first.urls;
    return {
      pid: child.pid,
      urls,
      failing: [...first.down, ...first.slow, ...first.flapping].map((i) => urls[i]!),
      stats: () => child.lines.flatMap((l) => ('stats' in l ? [l.stats] : [])),
      stop: () => child.stop(),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/**
 * Nodes one simulator process serves at most: a listener and a scraper's connection each, so
 * 5,000 nodes hold 10,000 descriptors, half this machine's limit of 20,000. Larger clusters are
 * served by several processes (seeds 1, 2, …); the first one's CPU is the simulator figure, the
 * others' counts among the rest of the machine.
 */
const NODES_PER_SIMULATOR = 5000;

/** A simulated cluster of `nodes` and a targets file listing it (.bench-out/targets-N.txt), for `run`. */
export async function withCluster<T>(nodes: number, run: (sim: RunningSimulator, targetsFile: string) => Promise<T>, workload: Workload = NO_WORKLOAD, placement: Placement = {}): Promise<T> {
  const sims: RunningSimulator[] = [];
  try {
    for (let from = 0; from < nodes; from += NODES_PER_SIMULATOR) {
      sims.push(await startSimulator(Math.min(NODES_PER_SIMULATOR, nodes - from), gzipAt(nodes, workload), sims.length + 1, workload, placement));
    }
    const sim: RunningSimulator = {
      pid: sims[0]!.pid,
      urls: sims.flatMap((s) => s.urls),
      failing: sims.flatMap((s) => s.failing),
      stats: () => sims.flatMap((s) => s.stats()),
      stop: async () => undefined,
    };
    mkdirSync(OUT_DIR, { recursive: true });
    const targetsFile = `${OUT_DIR}targets-${nodes}.txt`;
    writeFileSync(targetsFile, `${sim.urls.join('\n')}\n`);
    return await run(sim, targetsFile);
  } finally {
    for (const s of sims) await s.stop();
  }
}
