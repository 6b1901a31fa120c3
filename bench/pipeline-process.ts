/**
 * The headless pipeline (scrape, parse, derive, store) in a process of its own, so a benchmark
 * can read this process's CPU and memory from /proc, apart from the simulator's and its own:
 *
 *   node .bench-out/pipeline-process.js --targets-file F --interval 1s --seconds 60 [--ignore URL,URL] [--transport own|undici]
 *
 * bench/scale/build-process.ts turns this file into .bench-out/pipeline-process.js on the built
 * dist/ (tsx's loader thread alone would add about 50 MB of RSS to the figures). The Pipeline is
 * built with the command line's own defaults (timeout, concurrency, history) for the same flags.
 * `--transport undici` scrapes plain HTTP over undici's Client instead of our own reader
 * (ScraperOptions.plainHttpTransport), to measure what the reader saves.
 *
 * Prints {"ready":true} once scraping starts, then one JSON line per interval (WindowLine) three
 * intervals after it ends, when its scrapes have all finished. It stops on SIGTERM, SIGINT, the
 * end of stdin, or after --seconds.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Pipeline } from '../src/sources/node-list/pipeline.js';
import { buildProgram, cliOptions, effectiveTimeoutMs } from '../src/cli/options.js';
import { readTargetsFile, uniqueTargets } from '../src/targets/targets-file.js';
import { parseTarget } from '../src/targets/parse-target.js';
import { phaseOf } from '../src/scrape/scheduler.js';
import { TurnTally, type WindowStats } from './scale/turn-tally.js';
import { tuneHeap } from '../src/cli/heap.js';

/**
 * One interval's counts (see TurnTally), with this process's CPU, RSS and event-loop delay
 * (99th percentile and largest, ms: how late its timers and I/O callbacks ran) over the report
 * tick that printed it.
 */
export interface WindowLine extends WindowStats {
  readonly cpuMs: number;
  readonly rssBytes: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** V8's heap (used, and reserved) and the memory outside it (Buffers), at the report tick: where the RSS goes. */
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  readonly externalBytes: number;
}

// As bin/cluster-top.js does, so the headless figures are the product's.
tuneHeap();

const { values } = parseArgs({
  options: {
    'targets-file': { type: 'string' },
    interval: { type: 'string', default: '1s' },
    seconds: { type: 'string', default: '60' },
    ignore: { type: 'string', default: '' },
    transport: { type: 'string', default: 'own' },
  },
  strict: true,
});
const targetsFile = values['targets-file'];
if (targetsFile === undefined) throw new Error('--targets-file is required');
const transport = (['own', 'undici'] as const).find((t) => t === values.transport);
if (transport === undefined) throw new Error('--transport is own or undici');
const program = buildProgram();
program.parse(['-f', targetsFile, '-i', values.interval], { from: 'user' });
const options = cliOptions(program, process.env);
if (options.source.kind !== 'node-list') throw new Error('-f gives a node list');
const scrape = options.source;
const intervalMs = scrape.intervalMs;
const targets = uniqueTargets(await readTargetsFile(targetsFile));
const ignored = new Set(values.ignore.split(',').filter((t) => t !== '').map((t) => parseTarget(t).id));
const counted = targets.filter((t) => !ignored.has(t.id));
// As the scheduler places turns: floor(phase × interval) ms into each interval.
const phaseMs = new Map(counted.map((t) => [t.id, Math.floor(phaseOf(t.id) * intervalMs)]));

const pipeline = new Pipeline({
  targets,
  intervalMs,
  concurrency: scrape.concurrency,
  historyPoints: Math.max(2, Math.ceil(options.historyMs / intervalMs)),
  scraper: { timeoutMs: effectiveTimeoutMs(scrape), maxBodyBytes: scrape.maxBodyBytes, plainHttpTransport: transport },
});

// The store is where every scrape ends up, success or failure: tapping it observes the pipeline
// without a hook in the product for benchmarks alone.
const store = pipeline.store;
const record = store.record.bind(store);
const recordDown = store.recordDown.bind(store);
store.record = (id, atMs, update) => {
  tally.observe(id, atMs, update.health);
  record(id, atMs, update);
};
store.recordDown = (id, atMs, health) => {
  tally.observe(id, atMs, health);
  recordDown(id, atMs, health);
};

// The first window whose turns all come after the start.
const tally = new TurnTally(intervalMs, phaseMs, Math.floor(Date.now() / intervalMs) + 1);
pipeline.start();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let cpuMark = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

const report = setInterval(() => {
  const cpu = process.cpuUsage(cpuMark);
  cpuMark = process.cpuUsage();
  const { rss: rssBytes, heapUsed: heapUsedBytes, heapTotal: heapTotalBytes, external: externalBytes } = process.memoryUsage();
  const loopDelayP99Ms = loopDelay.percentile(99) / 1e6;
  const loopDelayMaxMs = loopDelay.max / 1e6;
  loopDelay.reset();
  // A turn's scrape may start late in its window and take up to the timeout: three windows on, it is over.
  for (const stats of tally.takeUpTo(Math.floor(Date.now() / intervalMs) - 3)) {
    const line: WindowLine = { ...stats, cpuMs: (cpu.user + cpu.system) / 1000, rssBytes, loopDelayP99Ms, loopDelayMaxMs, heapUsedBytes, heapTotalBytes, externalBytes };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}, intervalMs);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  clearInterval(report);
  clearTimeout(bound);
  process.stdin.pause();
  void pipeline.stop().then(() => process.exit(0));
};
const bound = setTimeout(stop, Number(values.seconds) * 1000);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.once('end', stop);
process.stdin.once('close', stop);
process.stdin.resume();
