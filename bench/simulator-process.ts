/**
 * The cluster simulator as its own process, so benchmarks measure the scraper without the
 * simulator's CPU in the same event loop:
 *
 *   node --import tsx bench/simulator-process.ts --nodes 1000 --seed 1 [--base-port 20000] [--duration 60] [--no-gzip]
 *     [--processes 30] [--containers 20] [--gpus 8]
 *
 * Prints one JSON line {"urls":[...],"down":[i...],"slow":[i...],"flapping":[i...]} on stdout once
 * every endpoint listens, then serves until SIGTERM, SIGINT, the end of stdin, or --duration
 * seconds. Watching stdin ties it to its parent: when the parent dies, the pipe closes and the
 * simulator stops. So spawn it with a stdin pipe (the default), not 'ignore', which reads as an
 * immediate end.
 * --no-gzip answers uncompressed even when asked for gzip, sparing the simulator ~0.2 ms of CPU
 * per scrape where it shares the machine's cores with the scraper being measured.
 * --stats prints one more JSON line a second, {"stats":{"atMs","loopDelayP99Ms","loopDelayMaxMs"}}:
 * how late the simulator's own event loop ran over that second, to tell its lateness from the scraper's.
 * --processes, --containers and --gpus give every node that many top processes, containers and
 * GPUs, all in its one payload as `cluster-top agent` serves them (see withWorkload).
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { makeClusterSpecs, startSimCluster } from '../src/simulator/sim-cluster.js';
import type { GpuScenario, SimNodeSpec } from '../src/simulator/node-model.js';

function positiveInt(name: string, raw: string | undefined, fallback: number | undefined): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0, got ${raw}`);
  return n;
}

/** The soft open-files limit, where /proc tells it (Linux); undefined elsewhere. */
function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string' },
      seed: { type: 'string' },
      'base-port': { type: 'string' },
      duration: { type: 'string' },
      'no-gzip': { type: 'boolean' },
      processes: { type: 'string' },
      containers: { type: 'string' },
      gpus: { type: 'string' },
      stats: { type: 'boolean' },
    },
    strict: true,
  });
  const n = positiveInt('nodes', values.nodes, 24)!;
  const seed = positiveInt('seed', values.seed, 1)!;
  const basePort = positiveInt('base-port', values['base-port'], undefined);
  const duration = positiveInt('duration', values.duration, undefined);

  // One fd per listener and one per scraper connection, plus Node's own few dozen.
  const needed = 2 * n + 64;
  const limit = openFilesLimit();
  if (limit !== undefined && limit < needed) {
    process.stderr.write(`simulator: ${n} nodes may need ${needed} open files; the limit is ${limit} (raise it with ulimit -n)\n`);
  }

  const workload = {
    processes: positiveInt('processes', values.processes, 0)!,
    containers: positiveInt('containers', values.containers, 0)!,
    gpus: positiveInt('gpus', values.gpus, 0)!,
  };
  const specs = withWorkload(makeClusterSpecs(n, seed), workload);
  const cluster = await startSimCluster({ n, seed, basePort, specs, gzip: values['no-gzip'] !== true });
  let stopping = false;
  const stats = values.stats === true ? reportLoopDelay() : undefined;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(timer);
    clearInterval(stats);
    process.stdin.pause();
    void cluster.close().then(() => process.exit(0));
  };
  const timer = duration === undefined ? undefined : setTimeout(stop, duration * 1000);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  process.stdin.resume();

  const indexes = (pick: (i: number) => boolean) => cluster.specs.map((_, i) => i).filter(pick);
  const ready = {
    urls: cluster.urls,
    down: indexes((i) => cluster.specs[i]!.down === true),
    slow: indexes((i) => (cluster.specs[i]!.slowMs ?? 0) > 0),
    flapping: indexes((i) => cluster.specs[i]!.flapping === true),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

/** Every second, the event loop's delay over that second (see --stats). */
function reportLoopDelay(): NodeJS.Timeout {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return setInterval(() => {
    const stats = { atMs: Date.now(), loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6 };
    delay.reset();
    process.stdout.write(`${JSON.stringify({ stats })}\n`);
  }, 1000);
}

const SCENARIOS: readonly GpuScenario[] = ['training', 'idle-allocated', 'hot', 'xid', 'free'];

/**
 * Every node with the agent's processes and containers and a GPU exporter's GPUs in its payload:
 * the shape of `cluster-top agent` on a GPU host (node families, cluster_top_process_*, containers
 * in cAdvisor's names, GPUs in dcgm-exporter's names), one scrape per node. GPU scenarios in turn.
 */
function withWorkload(specs: SimNodeSpec[], w: { processes: number; containers: number; gpus: number }): SimNodeSpec[] {
  return specs.map((s, i) => ({
    ...s,
    ...(w.processes > 0 ? { processes: w.processes } : {}),
    ...(w.containers > 0 ? { containers: w.containers } : {}),
    ...(w.gpus > 0 ? { gpus: { count: w.gpus, model: 'NVIDIA H100 80GB HBM3', memoryMiB: 81_559, powerLimitW: 700, scenario: SCENARIOS[i % SCENARIOS.length]! } } : {}),
  }));
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
