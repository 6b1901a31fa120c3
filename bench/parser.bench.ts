/**
 * Exposition parser throughput on a real node_exporter payload, against parse-prometheus-text-format.
 * Run alone with `node --import tsx bench/parser.bench.ts`, or through bench/run.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { parseExposition } from '../src/exposition/parser.js';
import { NODE_EXPORTER_FAMILIES } from '../src/metrics/node-exporter.js';

export interface ParserBenchResult {
  readonly payloadBytes: number;
  /** Every family: samples with their labels, and every TYPE. */
  readonly fullMBps: number;
  /** The node view's families only: what the pipeline does per scrape. */
  readonly filteredMBps: number;
  readonly peerMBps: number;
  readonly fullRatio: number;
  readonly filteredRatio: number;
}


const FIXTURE = fileURLToPath(new URL('../test/fixtures/node-exporter.prom', import.meta.url));
const WARMUP_MS = 300;
const ROUNDS = 10;
const ROUND_MS = 200;
// Caps a round even if the clock misbehaves; far above what ROUND_MS allows on this payload.
const MAX_ITERATIONS_PER_ROUND = 200_000;

interface Contender {
  readonly run: () => number;
  readonly roundMBps: number[];
}

export async function benchParser(): Promise<ParserBenchResult> {
  const text = readFileSync(FIXTURE, 'utf8');
  const payloadBytes = Buffer.byteLength(text);
  const full: Contender = { run: () => parseExposition(text).samples.length, roundMBps: [] };
  const filtered: Contender = {
    run: () => parseExposition(text, { families: NODE_EXPORTER_FAMILIES }).samples.length,
    roundMBps: [],
  };
  const peer: Contender = { run: () => parsePrometheusTextFormat(text).length, roundMBps: [] };
  const contenders = [full, filtered, peer];

  for (const c of contenders) measure(c, WARMUP_MS, payloadBytes);
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, and the order rotates, so a noisy stretch of the machine hits every parser.
    const shift = round % contenders.length;
    for (const c of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
      c.roundMBps.push(measure(c, ROUND_MS, payloadBytes));
    }
    // Yields to the event loop between rounds so a caller's timers are not starved.
    await new Promise((resolve) => setImmediate(resolve));
  }

  const fullMBps = median(full.roundMBps);
  const filteredMBps = median(filtered.roundMBps);
  const peerMBps = median(peer.roundMBps);
  return {
    payloadBytes,
    fullMBps,
    filteredMBps,
    peerMBps,
    fullRatio: fullMBps / peerMBps,
    filteredRatio: filteredMBps / peerMBps,
  };
}

export function printParserBench(r: ParserBenchResult): void {
  const line = (label: string, mbps: number, ratio: number) =>
    console.log(`${label.padEnd(44)} ${mbps.toFixed(1).padStart(7)} MB/s  ${ratio.toFixed(1).padStart(5)}x`);
  console.log(`payload ${(r.payloadBytes / 1024).toFixed(1)} KiB (test/fixtures/node-exporter.prom, real node_exporter 1.5)`);
  line('cluster-top, every family', r.fullMBps, r.fullRatio);
  line('cluster-top, the node view\'s families', r.filteredMBps, r.filteredRatio);
  line('parse-prometheus-text-format (peer)', r.peerMBps, 1);
}

let sink = 0;

/** Runs one contender for about `ms` and returns its throughput in MB/s (10^6 bytes). */
function measure(c: Contender, ms: number, payloadBytes: number): number {
  const deadline = performance.now() + ms;
  const start = performance.now();
  let iterations = 0;
  let now = start;
  while (now < deadline && iterations < MAX_ITERATIONS_PER_ROUND) {
    sink += c.run();
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
