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

export const gzipAt = (nodes: number): boolean => nodes <= GZIP_UP_TO;

interface Ready {
  readonly urls: string[];
  readonly down: number[];
  readonly slow: number[];
  readonly flapping: number[];
}

export interface RunningSimulator {
  readonly pid: number;
  readonly urls: readonly string[];
  /** The down, the slow and the flapping node: they fail by design, and cluster-top backs off from them. */
  readonly failing: readonly string[];
  stop(): Promise<void>;
}

export async function startSimulator(nodes: number, gzip: boolean, seed = 1): Promise<RunningSimulator> {
  const args = ['--import', 'tsx', 'bench/simulator-process.ts', '--nodes', String(nodes), '--seed', String(seed), ...(gzip ? [] : ['--no-gzip'])];
  const child = new JsonLinesChild<Ready>(process.execPath, args, { cwd: ROOT });
  try {
    const [ready] = await child.waitUntil((lines) => lines.length > 0, READY_TIMEOUT_MS);
    const urls = ready!.urls;
    return {
      pid: child.pid,
      urls,
      failing: [...ready!.down, ...ready!.slow, ...ready!.flapping].map((i) => urls[i]!),
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
export async function withCluster<T>(nodes: number, run: (sim: RunningSimulator, targetsFile: string) => Promise<T>): Promise<T> {
  const sims: RunningSimulator[] = [];
  try {
    for (let from = 0; from < nodes; from += NODES_PER_SIMULATOR) {
      sims.push(await startSimulator(Math.min(NODES_PER_SIMULATOR, nodes - from), gzipAt(nodes), sims.length + 1));
    }
    const sim: RunningSimulator = {
      pid: sims[0]!.pid,
      urls: sims.flatMap((s) => s.urls),
      failing: sims.flatMap((s) => s.failing),
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
