/**
 * One tick of a very large cluster loaded from a recording (`--replay … --once`): the store's
 * insert is what stood in the way (it copied its node list on every add: 13.8 s for 40,000
 * nodes). The peer is the floor of the same work: JSON.parse of every line of the same file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeEntry, headerLine } from '../src/record/format.js';
import { ReplaySource } from '../src/sources/replay/replay-source.js';
import { EMPTY_FIGURES, type NodeFigures } from '../src/metrics/node-figures.js';
import type { TargetHealth } from '../src/scrape/types.js';

export interface ReplayLoadResult {
  readonly nodes: number;
  readonly fileBytes: number;
  readonly loadMs: number;
  readonly parseMs: number;
}

const T0 = Date.UTC(2026, 11, 7);

function figures(i: number): NodeFigures {
  return {
    ...EMPTY_FIGURES,
    cpu: { cores: 16, usagePercent: i % 100, perCoreUsagePercent: null },
    load: { load1: 1, load5: 2, load15: 3 },
    memory: { totalBytes: 64e9, usedBytes: 32e9, availableBytes: 32e9, usedPercent: 50 },
    network: { receiveBytesPerSecond: i, transmitBytesPerSecond: i },
    disk: { readBytesPerSecond: i, writtenBytesPerSecond: i },
    uptimeSeconds: 1000 + i,
  };
}

function writeRecording(path: string, nodes: number): number {
  const lines = [headerLine(T0, 10_000)];
  const entries: unknown[] = [T0 + 10_000];
  for (let i = 0; i < nodes; i++) {
    const id = `http://10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:9100/metrics`;
    lines.push(`${JSON.stringify({ node: i, id, name: `node-${i}`, target: id, source: 'node_exporter', labels: { zone: `z${i % 3}` } })}\n`);
    const health: TargetHealth = {
      up: true, lastSuccessMs: T0, lastScrapeMs: T0, lastDurationMs: 5, lastBodyBytes: 70_000, lastWireBytes: 14_000,
      lastSamples: 760, lastError: null, consecutiveFailures: 0,
    };
    entries.push(encodeEntry(i, health, figures(i)));
  }
  lines.push(`${JSON.stringify(entries)}\n`);
  const text = lines.join('');
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

export async function benchReplayLoad(sizes: readonly number[] = [10_000, 40_000, 100_000]): Promise<ReplayLoadResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ct-bench-replay-'));
  const results: ReplayLoadResult[] = [];
  try {
    for (const nodes of sizes) {
      const path = join(dir, `${nodes}.rec`);
      const fileBytes = writeRecording(path, nodes);
      const t0 = performance.now();
      for (const line of readFileSync(path, 'utf8').split('\n')) if (line) JSON.parse(line);
      const parseMs = performance.now() - t0;
      const t1 = performance.now();
      const source = ReplaySource.open({ path, speed: 1, historyMs: 60_000 });
      await source.collectOnce();
      const loaded = source.store.nodes().length;
      await source.stop();
      const loadMs = performance.now() - t1;
      if (loaded !== nodes) throw new Error(`replay loaded ${loaded} of ${nodes} nodes`);
      results.push({ nodes, fileBytes, loadMs, parseMs });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export function printReplayLoad(results: readonly ReplayLoadResult[]): void {
  for (const r of results) {
    console.log(
      `${String(r.nodes).padStart(7)} nodes, ${(r.fileBytes / 2 ** 20).toFixed(1)} MiB: replay --once ${r.loadMs.toFixed(0)} ms (target < 2000 at 100,000); ` +
        `JSON.parse of the same lines ${r.parseMs.toFixed(0)} ms; ratio ${(r.loadMs / r.parseMs).toFixed(2)}x`,
    );
  }
}
