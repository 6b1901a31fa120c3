/**
 * `npm run bench -- backend [--nodes 10000,50000] [--baseline DIR] [--without-prometheus]`:
 * cluster-top --prometheus against the real VictoriaMetrics and the real Prometheus, each loaded
 * with the same simulated fleet (bench/backend/servers.ts). For each, and for the build in DIR
 * too (another checkout, built, with its .bench-out/backend-process.js) on the same loaded server:
 *   - `--once -o json` (the built binary, three runs, medians): seconds from start to the
 *     snapshot, checked to hold figures for every node that is up; its peak RSS and CPU seconds;
 *   - the live source (bench/backend-process.ts): seconds from start to every node's rows (all
 *     figures but perhaps CPU) and to every node's figures (a full frame), to history loaded, CPU
 *     seconds and bytes per refresh (means over a dozen refreshes), peak RSS;
 *     beside it the server's own CPU seconds per refresh, the peer figure, and the ratio.
 * Each figure is printed beside its target (issue #18). Loopback only; every wait is bounded.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Snapshot } from '../src/cli/snapshot.js';
import { BIN } from '../test/helpers/run-cli.js';
import type { BackendLine } from './backend-process.js';
import { loadPrometheus, loadVictoriaMetrics, type LoadedServer, type SamplePlan } from './backend/servers.js';
import { buildPipelineProcess } from './scale/build-process.js';
import { JsonLinesChild } from './scale/child.js';
import { sampleProc, type ProcSample } from './scale/proc.js';

export const BACKEND_SIZES = [10_000] as const;
const LIVE_LIMIT_MS = 180_000;
const MiB = 1024 * 1024;

/**
 * By fleet size: the samples (30 s apart up to 10,000 nodes, as is common; 60 s beyond, which
 * halves what 50,000 nodes' loading writes), the live refresh interval (also each query's
 * timeout: the longest the interval allows a busy machine's server), how long loading is
 * expected to take per node and server (the samples' anchor; the runs must fit in the samples
 * after it), and how many runs and refreshes are measured (fewer where each takes a minute).
 */
interface SizePlan {
  readonly samples: SamplePlan;
  readonly intervalMs: number;
  /**
   * Each `--once` query's deadline, much longer than the default 10 s: on a busy shared machine
   * the server's own evaluation of a query over a million CPU series takes longer, and the figures
   * should say how long rather than fail. Live queries get the interval (a timeout may not exceed it).
   */
  readonly queryTimeoutMs: number;
  readonly loadMsPerNode: Readonly<Record<LoadedServer['name'], number>>;
  readonly onceRuns: number;
  readonly refreshes: number;
}
function sizePlan(nodes: number): SizePlan {
  return nodes <= 10_000
    ? { samples: { scrapeMs: 30_000, before: 4, after: 34 }, intervalMs: 10_000, queryTimeoutMs: 60_000, loadMsPerNode: { VictoriaMetrics: 6, Prometheus: 15 }, onceRuns: 3, refreshes: 12 }
    : { samples: { scrapeMs: 60_000, before: 3, after: 14 }, intervalMs: 60_000, queryTimeoutMs: 180_000, loadMsPerNode: { VictoriaMetrics: 6, Prometheus: 15 }, onceRuns: 1, refreshes: 2 };
}

/** Issue #18's targets by fleet size: seconds to figures, RSS. */
const TARGETS: Readonly<Record<number, { seconds: number; rssMiB: number }>> = { 10_000: { seconds: 3, rssMiB: 400 }, 50_000: { seconds: 10, rssMiB: 1024 } };
const CPU_PER_REFRESH_TARGET = 0.3;

/** A build to measure: this checkout's, or another's (`--baseline`). */
export interface Build {
  readonly name: string;
  readonly bin: string;
  readonly script: string;
}

export interface BackendOptions {
  readonly sizes?: readonly number[];
  /** Another checkout, built (`npm run build`) with its bench process (.bench-out/backend-process.js). */
  readonly baseline?: string;
  readonly prometheus?: boolean;
}

export interface OnceFigures {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly withFigures: number;
}

export interface LiveFigures {
  /** Every up node listed with its figures but perhaps CPU (the first refresh's early rows). */
  readonly firstRowsSeconds: number;
  readonly firstFiguresSeconds: number;
  readonly historySeconds: number | null;
  readonly cpuPerRefresh: number;
  readonly serverCpuPerRefresh: number;
  readonly wireBytesPerRefresh: number;
  readonly bodyBytesPerRefresh: number;
  readonly historyWireBytes: number | null;
  readonly peakRssBytes: number;
}

export interface BackendRow {
  readonly build: string;
  readonly server: LoadedServer['name'];
  readonly nodes: number;
  readonly upNodes: number;
  readonly samples: number;
  readonly loadSeconds: number;
  readonly once: OnceFigures;
  readonly live: LiveFigures;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

/** The built binary under GNU time: its wall seconds, peak RSS and CPU. */
async function once(bin: string, url: string, upNodes: number, timeoutMs: number): Promise<OnceFigures> {
  const timeout = `${timeoutMs}ms`;
  const { stdout, stderr } = await promisify(execFile)('/usr/bin/time', ['-f', 'TIME %e %M %U %S', process.execPath, bin, '--prometheus', url, '-i', timeout, '--timeout', timeout, '--once', '-o', 'json'], {
    maxBuffer: 512 * MiB,
    timeout: 3 * timeoutMs,
  });
  const m = /TIME (\S+) (\d+) (\S+) (\S+)\s*$/.exec(stderr);
  if (m === null) throw new Error(`no figures from /usr/bin/time: ${stderr.slice(-300)}`);
  const snapshot = JSON.parse(stdout) as Snapshot;
  const withFigures = snapshot.nodes.filter((n) => n.up && typeof n.cpu?.usagePercent === 'number' && n.memory !== null).length;
  if (withFigures !== upNodes) console.log(`    --once: ${withFigures} of ${upNodes} nodes up with figures (${stderr.split('\n')[0]})`);
  return { seconds: Number(m[1]), peakRssBytes: Number(m[2]) * 1024, cpuSeconds: Number(m[3]) + Number(m[4]), withFigures };
}

async function live(script: string, server: LoadedServer, plan: SizePlan): Promise<LiveFigures> {
  const refreshes = plan.refreshes;
  const child = new JsonLinesChild<BackendLine>(process.execPath, [script, '--url', server.url, '--interval', `${plan.intervalMs}ms`, '--timeout', `${plan.intervalMs}ms`, '--seconds', String((3 * LIVE_LIMIT_MS) / 1000 + 60)]);
  const serverAt = new Map<BackendLine, ProcSample>();
  const watch = setInterval(() => {
    const last = child.lines.at(-1);
    if (last !== undefined && !serverAt.has(last)) serverAt.set(last, sampleProc(server.pid));
  }, 20);
  try {
    const all = await child.waitUntil((ls) => ls.some((l) => l.withFigures >= server.upNodes), LIVE_LIMIT_MS).catch(() => child.lines);
    const first = all.find((l) => l.withFigures >= server.upNodes);
    // Builds before the early rows do not report them: their first rows came with every figure.
    const rows = all.find((l) => (l.withRows ?? l.withFigures) >= server.upNodes);
    if (first === undefined) console.log(`    live: never all ${server.upNodes} nodes with figures (${all.at(-1)?.withFigures ?? 0}; ${all.at(-1)?.notice ?? 'no refresh'})`);
    // History lands as a line whose ring holds more than the refreshes so far.
    const withHistory = await child
      .waitUntil((ls) => ls.some((l) => l.historyRows > 3), LIVE_LIMIT_MS)
      .then((ls) => ls.find((l) => l.historyRows > 3)!)
      .catch(() => null);
    const start = child.lines.length;
    // Refreshes that fail still make lines: only a child gone or the time up leaves fewer.
    await child.waitUntil((ls) => ls.length >= start + refreshes + 1, LIVE_LIMIT_MS).catch((error: unknown) => console.log(`    live: ${String(error)}`));
    const peak = sampleProc(child.pid).peakRssBytes;
    const measured = child.lines.slice(start, start + refreshes + 1);
    const steps = measured.slice(1).map((l, i) => [measured[i]!, l] as const);
    const before = withHistory === null ? undefined : all[all.indexOf(withHistory) - 1];
    const serverCpu = steps.map(([a, b]) => {
      const sa = serverAt.get(a);
      const sb = serverAt.get(b);
      return sa && sb ? sb.cpuSeconds - sa.cpuSeconds : NaN;
    });
    return {
      firstRowsSeconds: rows === undefined ? NaN : rows.atMs / 1000,
      firstFiguresSeconds: first === undefined ? NaN : first.atMs / 1000,
      historySeconds: withHistory === null ? null : withHistory.atMs / 1000,
      // The mean, not the median: the collector's major cycles and the static queries (once a
      // minute) fall on some refreshes, and belong to the cost as much as the others.
      cpuPerRefresh: (measured.at(-1)!.cpuMs - measured[0]!.cpuMs) / 1000 / steps.length,
      serverCpuPerRefresh: mean(serverCpu.filter(Number.isFinite)),
      wireBytesPerRefresh: mean(steps.map(([a, b]) => b.wireBytes - a.wireBytes)),
      bodyBytesPerRefresh: mean(steps.map(([a, b]) => b.bodyBytes - a.bodyBytes)),
      historyWireBytes: withHistory === null || before === undefined ? null : withHistory.wireBytes - before.wireBytes,
      peakRssBytes: peak,
    };
  } finally {
    clearInterval(watch);
    await child.stop();
  }
}

/** The build in `dir`, checked to be built: its binary and its bench process. */
function baselineBuild(dir: string): Build {
  const build = { name: 'baseline', bin: join(dir, 'bin/cluster-top.js'), script: join(dir, '.bench-out/backend-process.js') };
  for (const file of [build.bin, build.script, join(dir, 'dist/cli/main.js')]) {
    if (!existsSync(file)) throw new Error(`--baseline ${dir}: no ${file} (run npm run build there, and its bench/scale/build-process.ts)`);
  }
  return build;
}

export async function benchBackend(log: (line: string) => void, options: BackendOptions = {}): Promise<BackendRow[]> {
  const script = buildPipelineProcess().replace(/pipeline-process\.js$/, 'backend-process.js');
  const builds: Build[] = [...(options.baseline === undefined ? [] : [baselineBuild(options.baseline)]), { name: 'this', bin: BIN, script }];
  const loads = [['VictoriaMetrics', loadVictoriaMetrics] as const, ...(options.prometheus === false ? [] : [['Prometheus', loadPrometheus] as const])];
  const rows: BackendRow[] = [];
  for (const nodes of options.sizes ?? BACKEND_SIZES) {
    const plan = sizePlan(nodes);
    for (const [name, load] of loads) {
      // The samples' anchor: when loading should be over. Done early, the runs wait until a
      // minute before it; late by more than the samples after it allow (less the runs' time),
      // the newest samples would run out during the runs.
      const anchorMs = Date.now() + nodes * plan.loadMsPerNode[name];
      const server = await load(nodes, anchorMs, plan.samples);
      try {
        const late = Date.now() - anchorMs;
        const allowed = plan.samples.after * plan.samples.scrapeMs - builds.length * 330_000;
        if (late > allowed) throw new Error(`${server.name}: loading took ${Math.round(late / 1000)} s longer than allowed for; run again on a quieter machine`);
        if (late < -60_000) await new Promise((resolve) => setTimeout(resolve, -late - 60_000));
        log(`  ${server.name}: ${nodes} nodes (${server.upNodes} up), ${(server.samples / 1e6).toFixed(1)} M samples loaded in ${server.loadSeconds.toFixed(0)} s (${Math.round(late / 1000)} s past the anchor)`);
        // Builds take turns on the same server, the baseline first.
        for (const build of builds) {
          const runs: OnceFigures[] = [];
          for (let i = 0; i < plan.onceRuns; i++) runs.push(await once(build.bin, server.url, server.upNodes, plan.queryTimeoutMs));
          const onceFigures: OnceFigures = {
            seconds: median(runs.map((r) => r.seconds)),
            cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
            peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)),
            withFigures: Math.min(...runs.map((r) => r.withFigures)),
          };
          const row: BackendRow = { build: build.name, server: server.name, nodes, upNodes: server.upNodes, samples: server.samples, loadSeconds: server.loadSeconds, once: onceFigures, live: await live(build.script, server, plan) };
          log(`    ${build.name}: once ${row.once.seconds.toFixed(2)} s, live figures ${row.live.firstFiguresSeconds.toFixed(2)} s, ${row.live.cpuPerRefresh.toFixed(3)} CPU s/refresh`);
          rows.push(row);
        }
      } finally {
        await server.stop();
      }
    }
  }
  return rows;
}

const mb = (bytes: number | null): string => (bytes === null ? '-' : (bytes / MiB).toFixed(1));
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

export function printBackend(rows: readonly BackendRow[]): void {
  const header = ['build', 'server', 'nodes', 'once s', 'once CPU s', 'once RSS MB', 'live rows s', 'live figures s', 'history s', 'CPU s/refresh', 'server CPU s/refresh', 'ratio', 'MB/refresh wire', 'body', 'history MB wire', 'live RSS MB'];
  const table = rows.map((r) => [
    r.build,
    r.server,
    String(r.nodes),
    r.once.seconds.toFixed(2),
    r.once.cpuSeconds.toFixed(2),
    mb(r.once.peakRssBytes),
    r.live.firstRowsSeconds.toFixed(2),
    r.live.firstFiguresSeconds.toFixed(2),
    r.live.historySeconds === null ? '-' : r.live.historySeconds.toFixed(1),
    r.live.cpuPerRefresh.toFixed(3),
    r.live.serverCpuPerRefresh.toFixed(3),
    (r.live.cpuPerRefresh / r.live.serverCpuPerRefresh).toFixed(2),
    mb(r.live.wireBytesPerRefresh),
    mb(r.live.bodyBytesPerRefresh),
    mb(r.live.historyWireBytes),
    mb(r.live.peakRssBytes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  for (const row of [header, ...table]) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  const [small, large] = [sizePlan(10_000), sizePlan(50_000)];
  console.log(
    `once: the built binary, --once -o json, medians of ${small.onceRuns} (${large.onceRuns} beyond 10,000 nodes; RSS: the highest); ` +
      `live: the source headless, means of ${small.refreshes} refreshes every ${small.intervalMs / 1000} s (${large.refreshes} every ${large.intervalMs / 1000} s beyond 10,000 nodes).`,
  );
  console.log('server CPU s/refresh: the server process over the same refreshes (the peer); ratio: cluster-top / server.');
  for (const r of rows) {
    const base = rows.find((b) => b.build === 'baseline' && b.server === r.server && b.nodes === r.nodes);
    if (r.build === 'baseline' || base === undefined) continue;
    const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-');
    console.log(
      `this / baseline, ${r.server}, ${r.nodes} nodes: once s ${ratio(r.once.seconds, base.once.seconds)}, live figures s ${ratio(r.live.firstFiguresSeconds, base.live.firstFiguresSeconds)}, ` +
        `CPU s/refresh ${ratio(r.live.cpuPerRefresh, base.live.cpuPerRefresh)}, server CPU s/refresh ${ratio(r.live.serverCpuPerRefresh, base.live.serverCpuPerRefresh)}, ` +
        `bytes/refresh ${ratio(r.live.wireBytesPerRefresh, base.live.wireBytesPerRefresh)} wire, ${ratio(r.live.bodyBytesPerRefresh, base.live.bodyBytesPerRefresh)} body, live RSS ${ratio(r.live.peakRssBytes, base.live.peakRssBytes)}`,
    );
  }
  console.log('\ntargets (issue #18):');
  for (const r of rows) {
    const t = TARGETS[r.nodes];
    const at = `${r.build}, ${r.server}, ${r.nodes} nodes`;
    console.log(`  ${at}: every up node has figures: ${r.once.withFigures} of ${r.upNodes} -> ${verdict(r.once.withFigures === r.upNodes)}`);
    if (t !== undefined) {
      const shown = Math.max(r.once.seconds, r.live.firstFiguresSeconds);
      console.log(`  ${at}: figures within ${t.seconds} s: once ${r.once.seconds.toFixed(2)} s, live ${r.live.firstFiguresSeconds.toFixed(2)} s -> ${verdict(shown <= t.seconds)}`);
      console.log(`  ${at}: rows (every figure but CPU) within ${t.seconds} s: live ${r.live.firstRowsSeconds.toFixed(2)} s -> ${verdict(r.live.firstRowsSeconds <= t.seconds)}`);
      const rss = Math.max(r.once.peakRssBytes, r.live.peakRssBytes);
      console.log(`  ${at}: at most ${t.rssMiB} MB: ${mb(rss)} MB -> ${verdict(rss <= t.rssMiB * MiB)}`);
    }
    console.log(`  ${at}: at most ${CPU_PER_REFRESH_TARGET} CPU s per refresh: ${r.live.cpuPerRefresh.toFixed(3)} -> ${verdict(r.live.cpuPerRefresh <= CPU_PER_REFRESH_TARGET)}`);
  }
}
