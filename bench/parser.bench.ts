/**
 * Exposition parser throughput on a real node_exporter payload, against parse-prometheus-text-format.
 * Run alone with `node --import tsx bench/parser.bench.ts`, or through bench/run.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { LineCache } from '../src/exposition/line-cache.js';
import { parseExposition } from '../src/exposition/parser.js';
import { NODE_EXPORTER_FAMILIES } from '../src/metrics/node-exporter.js';
import { makeClusterSpecs } from '../src/simulator/sim-cluster.js';
import { SimNode } from '../src/simulator/sim-node.js';

export interface ParserBenchResult {
  readonly payloadBytes: number;
  readonly scrapes: number;
  /** Every family, each payload read as if it were the first: samples with their labels, and every TYPE. */
  readonly coldMBps: number;
  /** Every family, with the lines of earlier scrapes cached: what every scrape after the first costs. */
  readonly cachedMBps: number;
  /** The node view's families with the lines cached: what the pipeline does per scrape. */
  readonly filteredMBps: number;
  readonly peerMBps: number;
  /** Payloads of CLUSTER_NODES simulated nodes in turn, each with its own devices, node view's families. */
  readonly cluster: {
    readonly payloadBytes: number;
    readonly coldMBps: number;
    readonly cachedMBps: number;
    readonly peerMBps: number;
    /** Of the chunks the shared cache was asked for over the timed rounds, the share it had. */
    readonly hitRate: number;
    /** What the shared cache holds at the end, about (LineCache.bytes). */
    readonly cacheBytes: number;
  };
}

const FIXTURE = fileURLToPath(new URL('../test/fixtures/node-exporter.prom', import.meta.url));
/** Successive scrapes of one node: the same lines with new values, as a real exporter writes them. */
const SCRAPES = 8;
/** Enough nodes that each one's own lines (veth devices, serials) fall out of the cache between its scrapes. */
const CLUSTER_NODES = 300;
const WARMUP_MS = 300;
const ROUNDS = 10;
const ROUND_MS = 200;
// Caps a round even if the clock misbehaves; far above what ROUND_MS allows on this payload.
const MAX_ITERATIONS_PER_ROUND = 200_000;

interface Contender {
  readonly run: (text: string) => number;
  readonly roundMBps: number[];
}

export async function benchParser(): Promise<ParserBenchResult> {
  const fixture = readFileSync(FIXTURE, 'utf8');
  const scrapes = Array.from({ length: SCRAPES }, (_, i) => nextScrape(fixture, i));
  const payloadBytes = scrapes.reduce((sum, s) => sum + Buffer.byteLength(s), 0) / SCRAPES;
  const cache = new LineCache();
  const cold: Contender = { run: (text) => parseExposition(text).samples.length, roundMBps: [] };
  const cached: Contender = { run: (text) => parseExposition(text, { cache }).samples.length, roundMBps: [] };
  const filteredCache = new LineCache();
  const filtered: Contender = {
    run: (text) => parseExposition(text, { families: NODE_EXPORTER_FAMILIES, cache: filteredCache }).samples.length,
    roundMBps: [],
  };
  const peer: Contender = { run: (text) => parsePrometheusTextFormat(text).length, roundMBps: [] };
  await runRounds([cold, cached, filtered, peer], scrapes, payloadBytes);

  const nodes = makeClusterSpecs(CLUSTER_NODES, 1).map((spec) => new SimNode(spec).render(Date.UTC(2026, 10, 21)));
  const nodeBytes = nodes.reduce((sum, s) => sum + Buffer.byteLength(s), 0) / nodes.length;
  const clusterCache = new LineCache();
  const clusterCold: Contender = { run: (text) => parseExposition(text, { families: NODE_EXPORTER_FAMILIES }).samples.length, roundMBps: [] };
  const clusterCached: Contender = {
    run: (text) => parseExposition(text, { families: NODE_EXPORTER_FAMILIES, cache: clusterCache }).samples.length,
    roundMBps: [],
  };
  const clusterPeer: Contender = { run: (text) => parsePrometheusTextFormat(text).length, roundMBps: [] };
  await runRounds([clusterCold, clusterCached, clusterPeer], nodes, nodeBytes, () => {
    clusterCache.hits = 0;
    clusterCache.misses = 0;
  });

  return {
    cluster: {
      payloadBytes: nodeBytes,
      coldMBps: median(clusterCold.roundMBps),
      cachedMBps: median(clusterCached.roundMBps),
      peerMBps: median(clusterPeer.roundMBps),
      hitRate: clusterCache.hits / (clusterCache.hits + clusterCache.misses),
      cacheBytes: clusterCache.bytes,
    },
    payloadBytes,
    scrapes: SCRAPES,
    coldMBps: median(cold.roundMBps),
    cachedMBps: median(cached.roundMBps),
    filteredMBps: median(filtered.roundMBps),
    peerMBps: median(peer.roundMBps),
  };
}

export function printParserBench(r: ParserBenchResult): void {
  const line = (label: string, mbps: number) =>
    console.log(`${label.padEnd(52)} ${mbps.toFixed(1).padStart(7)} MB/s  ${(mbps / r.peerMBps).toFixed(1).padStart(5)}x`);
  console.log(
    `payload ${(r.payloadBytes / 1024).toFixed(1)} KiB (test/fixtures/node-exporter.prom, real node_exporter 1.5), ` +
      `${r.scrapes} scrapes of it with new values, in turn`,
  );
  line('cluster-top, every family, first scrape (no cache)', r.coldMBps);
  line('cluster-top, every family, later scrapes', r.cachedMBps);
  line('cluster-top, the node view\'s families, later scrapes', r.filteredMBps);
  line('parse-prometheus-text-format (peer)', r.peerMBps);
  const c = r.cluster;
  const clusterLine = (label: string, mbps: number) =>
    console.log(`${label.padEnd(52)} ${mbps.toFixed(1).padStart(7)} MB/s  ${(mbps / c.peerMBps).toFixed(1).padStart(5)}x`);
  console.log(
    `${CLUSTER_NODES} simulated nodes in turn (2-128 cores, each with its own veth devices), ` +
      `${(c.payloadBytes / 1024).toFixed(1)} KiB each, the node view's families`,
  );
  clusterLine('cluster-top, no cache', c.coldMBps);
  clusterLine('cluster-top, line cache shared by the nodes', c.cachedMBps);
  console.log(`${'  its hit rate, and what it holds'.padEnd(52)} ${(100 * c.hitRate).toFixed(1).padStart(7)} %     ${(c.cacheBytes / 1024).toFixed(0)} KiB`);
  clusterLine('parse-prometheus-text-format (peer)', c.peerMBps);
}

async function runRounds(contenders: readonly Contender[], payloads: readonly string[], payloadBytes: number, afterWarmup = () => {}): Promise<void> {
  for (const c of contenders) measure(c, WARMUP_MS, payloads, payloadBytes);
  afterWarmup();
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, and the order rotates, so a noisy stretch of the machine hits every parser.
    const shift = round % contenders.length;
    for (const c of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
      c.roundMBps.push(measure(c, ROUND_MS, payloads, payloadBytes));
    }
    // Yields to the event loop between rounds so a caller's timers are not starved.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The payload with every sample value changed, as the node's next scrape would write it. */
function nextScrape(text: string, step: number): string {
  return text.replace(/^([^#\n].*) (\S+)$/gm, (_, series: string, value: string) => {
    const n = Number(value);
    return `${series} ${Number.isFinite(n) ? String(n + step * (1 + Math.abs(n) * 0.001)) : value}`;
  });
}

let sink = 0;

/** Runs one contender for about `ms` and returns its throughput in MB/s (10^6 bytes). */
function measure(c: Contender, ms: number, scrapes: readonly string[], payloadBytes: number): number {
  const deadline = performance.now() + ms;
  const start = performance.now();
  let iterations = 0;
  let now = start;
  while (now < deadline && iterations < MAX_ITERATIONS_PER_ROUND) {
    sink += c.run(scrapes[iterations % scrapes.length] as string);
    iterations++;
    now = performance.now();
  }
  return (iterations * payloadBytes) / 1e6 / ((now - start) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : (hi + (sorted[mid - 1] ?? hi)) / 2;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchParser();
  printParserBench(r);
  if (sink === -1) console.log('unreachable: keeps the parse results observable');
}
