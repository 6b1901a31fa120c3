/**
 * The cluster simulator as its own process, so benchmarks measure the scraper without the
 * simulator's CPU in the same event loop:
 *
 *   node --import tsx bench/simulator-process.ts --nodes 1000 --seed 1 [--base-port 20000] [--duration 60] [--no-gzip]
 *
 * Prints one JSON line {"urls":[...],"down":[i...],"slow":[i...],"flapping":[i...]} on stdout once
 * every endpoint listens, then serves until SIGTERM, SIGINT, the end of stdin, or --duration
 * seconds. Watching stdin ties it to its parent: when the parent dies, the pipe closes and the
 * simulator stops. So spawn it with a stdin pipe (the default), not 'ignore', which reads as an
 * immediate end.
 * --no-gzip answers uncompressed even when asked for gzip, sparing the simulator ~0.2 ms of CPU
 * per scrape where it shares the machine's cores with the scraper being measured.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimCluster } from '../src/simulator/sim-cluster.js';

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

  const cluster = await startSimCluster({ n, seed, basePort, gzip: values['no-gzip'] !== true });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(timer);
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

main().catch((err: unknown) => {
  process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
