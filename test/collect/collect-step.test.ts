/**
 * The shared scrape -> parse -> derive step (src/collect/): the parse's bound and its one-line
 * error, the report's health bookkeeping, and --once's rounds. The sources' own tests run it end to
 * end against real exporters and captured kubelet payloads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CollectLoop } from '../../src/collect/collect-loop.js';
import { NodeReport } from '../../src/collect/node-report.js';
import { MAX_SAMPLES, PayloadReader } from '../../src/collect/payload.js';
import { NODE_EXPORTER_FAMILIES } from '../../src/metrics/node-exporter.js';
import { EMPTY_FIGURES } from '../../src/metrics/node-figures.js';
import type { ScrapeClient } from '../../src/scrape/scheduler.js';
import type { ScrapeResult } from '../../src/scrape/types.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { parseTarget } from '../../src/targets/parse-target.js';
import type { Target } from '../../src/targets/target.js';

const FIXTURE = readFileSync(new URL('../fixtures/node-exporter.prom', import.meta.url), 'utf8');
const TEXT = 'text/plain; version=0.0.4';

describe('PayloadReader', () => {
  it('keeps only the families asked for, and every sample without a filter', () => {
    const reader = new PayloadReader();
    const all = reader.read(FIXTURE, TEXT, undefined);
    const node = reader.read(FIXTURE, TEXT, NODE_EXPORTER_FAMILIES);
    if (typeof all === 'string' || typeof node === 'string') throw new Error('the fixture should parse');
    expect(node.samples.length).toBeGreaterThan(0);
    expect(node.samples.length).toBeLessThan(all.samples.length);
    expect(node.samples.every((s) => s.name.startsWith('node_'))).toBe(true);
  });

  it('says in one line why a payload is no metrics payload', () => {
    const error = new PayloadReader().read('<html>\n<body>not metrics</body>\n', TEXT, undefined);
    expect(typeof error).toBe('string');
    expect(error).toMatch(/^invalid metrics payload: [^\n]+$/);
  });

  it('refuses a payload of more samples than the bound, by default MAX_SAMPLES', () => {
    const lines = Array.from({ length: 11 }, (_, i) => `m{i="${i}"} ${i}`).join('\n') + '\n';
    expect(typeof new PayloadReader(10).read(lines, TEXT, undefined)).toBe('string');
    expect(typeof new PayloadReader().read(lines, TEXT, undefined)).not.toBe('string');
    expect(MAX_SAMPLES).toBe(200_000);
  });
});

describe('NodeReport', () => {
  it('counts failures in a row, clears them on a success, and forgets a node that left', () => {
    const store = new ClusterStore(10);
    store.upsert({ id: 'a', name: 'a', target: 'http://a/metrics' });
    const report = new NodeReport(store);
    report.down('a', 1000, 5, 'connection refused');
    report.down('a', 2000, 5, 'connection refused');
    expect(store.get('a')?.health).toMatchObject({ up: false, consecutiveFailures: 2, lastError: 'connection refused' });
    report.up('a', { atMs: 3000, durationMs: 7, bodyBytes: 100, wireBytes: 50, samples: 3 }, { name: 'a', source: 'node_exporter', figures: EMPTY_FIGURES });
    expect(store.get('a')?.health).toMatchObject({ up: true, consecutiveFailures: 0, lastSuccessMs: 3000, lastSamples: 3 });
    report.down('a', 4000, 5, 'timeout');
    report.forget('a');
    report.down('a', 5000, 5, 'timeout');
    expect(store.get('a')?.health.consecutiveFailures).toBe(1);
  });
});

describe('CollectLoop', () => {
  /** Answers every scrape at once with a failure: the loop's rounds are what is counted. */
  function countingClient(): ScrapeClient & { scrapes: number } {
    const client = {
      scrapes: 0,
      scrape: async (target: Target): Promise<ScrapeResult> => {
        client.scrapes++;
        return { ok: false, target, error: 'refused', startedAtMs: Date.now(), durationMs: 0 };
      },
      forget: () => {},
    };
    return client;
  }

  it('--once: two rounds, then more while wanted, then one cluster row', async () => {
    const store = new ClusterStore(10);
    const client = countingClient();
    const loop = new CollectLoop(store, client, { intervalMs: 1, concurrency: 2, onResult: () => false });
    loop.setTargets([parseTarget('http://127.0.0.1:1/metrics'), parseTarget('http://127.0.0.1:2/metrics')]);
    await loop.collectOnce();
    expect(client.scrapes).toBe(4);
    let more = 3;
    await loop.collectOnce({ more: { wanted: () => more-- > 0, withinMs: 60_000 } });
    expect(client.scrapes).toBe(4 + 4 + 3 * 2);
    expect(store.cluster.length).toBe(2);
    await loop.stop();
  });
});
