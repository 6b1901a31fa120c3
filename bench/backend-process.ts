/**
 * The --prometheus source, headless, in a process of its own, so a benchmark reads its CPU and
 * memory from /proc apart from the server's and its own:
 *
 *   node .bench-out/backend-process.js --url URL --interval 2s [--timeout 60s] --seconds 60
 *
 * Built like pipeline-process.ts (bench/scale/build-process.ts) on dist/, with the command
 * line's own defaults (history, timeout, body cap) for the same flags. Prints one JSON line per
 * refresh (BackendLine), as soon as the store has changed for it, and stops on SIGTERM, the end
 * of stdin, or after --seconds.
 */
import { parseArgs } from 'node:util';
import { buildProgram, cliOptions } from '../src/cli/options.js';
import { buildPrometheusSource } from '../src/sources/prometheus/from-options.js';
import { tuneHeap } from '../src/cli/heap.js';

export interface BackendLine {
  /** ms since this process started (performance.now()). */
  readonly atMs: number;
  /** The refresh's time (the cluster ring's newest row); null for the first rows before it. */
  readonly refreshMs: number | null;
  readonly nodes: number;
  /** Nodes up with CPU and memory figures. */
  readonly withFigures: number;
  /** Nodes up with memory figures: listed with every figure but perhaps CPU (the first rows). */
  readonly withRows: number;
  /** Rows the first node's ring holds: backfilled history shows here. */
  readonly historyRows: number;
  readonly wireBytes: number;
  readonly bodyBytes: number;
  readonly cpuMs: number;
  readonly rssBytes: number;
  readonly notice: string | null;
}

tuneHeap();

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    interval: { type: 'string', default: '2s' },
    seconds: { type: 'string', default: '60' },
    timeout: { type: 'string' },
  },
  strict: true,
});
if (values.url === undefined) throw new Error('--url is required');
const program = buildProgram();
program.parse(['--prometheus', values.url, '-i', values.interval, ...(values.timeout === undefined ? [] : ['--timeout', values.timeout])], { from: 'user' });
const options = cliOptions(program, process.env);
if (options.source.kind !== 'prometheus') throw new Error('--prometheus did not pick the Prometheus source');
const source = await buildPrometheusSource(options.source, { historyMs: options.historyMs });

let lastRefresh: number | null = null;
let lastHistory = 0;
let lastRows = 0;
const report = () => {
  const refreshMs = source.store.cluster.latestTime();
  const nodes = source.store.nodes();
  const historyRows = nodes[0]?.history.length ?? 0;
  let withFigures = 0;
  let withRows = 0;
  for (const n of nodes) {
    if (!n.health.up || n.figures.memory === null) continue;
    withRows++;
    if (n.figures.cpu?.usagePercent != null) withFigures++;
  }
  // One line per refresh, one more when history lands (the rings grow by more than a row), and
  // before the first refresh's row one for its first rows (every figure but CPU).
  const firstRows = refreshMs === null && withRows > lastRows;
  lastRows = withRows;
  if (!firstRows && (refreshMs === null || (refreshMs === lastRefresh && historyRows <= lastHistory + 1))) return;
  lastRefresh = refreshMs;
  lastHistory = historyRows;
  const cpu = process.cpuUsage();
  const line: BackendLine = {
    atMs: performance.now(),
    refreshMs,
    nodes: nodes.length,
    withFigures,
    withRows,
    historyRows,
    wireBytes: source.bytesReceived.wire,
    bodyBytes: source.bytesReceived.body,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBytes: process.memoryUsage.rss(),
    notice: source.notice ?? null,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
// The store notifies on every node's change: the line is written once the refresh's last change is in.
let pending = false;
source.store.subscribe(() => {
  if (pending) return;
  pending = true;
  setImmediate(() => {
    pending = false;
    report();
  });
});
source.start();

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void source.stop().then(() => process.exit(0));
};
setTimeout(stop, Number(values.seconds) * 1000).unref();
process.once('SIGTERM', stop);
process.stdin.once('end', stop);
process.stdin.resume();
