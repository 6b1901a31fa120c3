/**
 * The two servers of the backend benchmark, each loaded with the same simulated fleet's series
 * (test/helpers/node-series.ts) the quick way: VictoriaMetrics through its import API (a few
 * requests in flight while the next piece is written), Prometheus from TSDB blocks that promtool
 * makes out of OpenMetrics text. Samples are a scrape interval apart around `anchorMs`, most of
 * them ahead: the loading takes minutes, and the measured runs after it must find fresh samples.
 * Few samples per series: enough for the rates (four intervals) and a few minutes of history.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NodeSeries } from '../../test/helpers/node-series.js';
import { startPrometheus } from '../../test/helpers/prometheus-server.js';
import { makeTempDir, removeTempDir } from '../../test/helpers/temp-dir-core.js';
import { startVictoriaMetrics } from '../../test/helpers/victoria-metrics.js';

export const PROMTOOL = '/usr/bin/promtool';

/** Where the samples are: `scrapeMs` apart, `before` of them before the anchor and `after` after. */
export interface SamplePlan {
  readonly scrapeMs: number;
  readonly before: number;
  readonly after: number;
}

const CHUNK_BYTES = 16_000_000;
/** VictoriaMetrics imports this many pieces at once, while the next is written. */
const IMPORTS_IN_FLIGHT = 2;

export interface LoadedServer {
  readonly name: 'VictoriaMetrics' | 'Prometheus';
  readonly url: string;
  readonly pid: number;
  /** Nodes with node_exporter series (the rest have only up 0). */
  readonly upNodes: number;
  readonly loadSeconds: number;
  readonly samples: number;
  stop(): Promise<void>;
}

function series(nodes: number, anchorMs: number, plan: SamplePlan, format: 'prometheus' | 'openmetrics'): NodeSeries {
  const timesMs = Array.from({ length: plan.before + plan.after + 1 }, (_, k) => anchorMs + (k - plan.before) * plan.scrapeMs);
  return new NodeSeries({ nodes, seed: 1, timesMs, format });
}

function upNodes(s: NodeSeries, nodes: number): number {
  let up = 0;
  for (let i = 0; i < nodes; i++) if (s.node(i).up) up++;
  return up;
}

const lines = (text: string): number => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

export async function loadVictoriaMetrics(nodes: number, anchorMs: number, plan: SamplePlan): Promise<LoadedServer> {
  const started = performance.now();
  const s = series(nodes, anchorMs, plan, 'prometheus');
  const vm = await startVictoriaMetrics();
  let samples = 0;
  const inFlight = new Set<Promise<void>>();
  try {
    for (const text of s.chunks(CHUNK_BYTES)) {
      samples += lines(text);
      const sent: Promise<void> = vm.importText(text).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
      if (inFlight.size >= IMPORTS_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await vm.flush();
  } catch (error) {
    await Promise.allSettled(inFlight);
    await vm.stop();
    throw error;
  }
  return { name: 'VictoriaMetrics', url: vm.url, pid: vm.pid, upNodes: upNodes(s, nodes), loadSeconds: (performance.now() - started) / 1000, samples, stop: () => vm.stop() };
}

export async function loadPrometheus(nodes: number, anchorMs: number, plan: SamplePlan): Promise<LoadedServer> {
  const started = performance.now();
  const s = series(nodes, anchorMs, plan, 'openmetrics');
  const work = makeTempDir('bench-openmetrics');
  let samples = 0;
  try {
    const prometheus = await startPrometheus(
      () => `global: { scrape_interval: ${plan.scrapeMs / 1000}s }\n`,
      async (dataDir) => {
        const file = join(work, 'series.om');
        const out = createWriteStream(file);
        for (const text of s.chunks(CHUNK_BYTES)) {
          samples += lines(text);
          if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
        await new Promise<void>((resolve, reject) => out.end('# EOF\n', () => resolve()).once('error', reject));
        // Two-hour blocks (promtool's default), as Prometheus cuts its own.
        await promisify(execFile)(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], { maxBuffer: 64 * 1024 * 1024, timeout: 1_800_000 });
      },
    );
    return { name: 'Prometheus', url: prometheus.url, pid: prometheus.pid, upNodes: upNodes(s, nodes), loadSeconds: (performance.now() - started) / 1000, samples, stop: () => prometheus.stop() };
  } finally {
    removeTempDir(work);
  }
}
