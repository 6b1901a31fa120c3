/**
 * GPU exporters attached to nodes by host, end to end: the real node_exporter and captured GPU
 * exporter payloads (test/fixtures/gpu) served on other loopback ports of the same host.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Pipeline } from '../../../src/sources/node-list/pipeline.js';
import { parseTarget } from '../../../src/targets/parse-target.js';
import { serve, type Endpoint } from '../../helpers/http-endpoints.js';
import { NODE_EXPORTER, startNodeExporter } from '../../helpers/node-exporter.js';
import { requireBinary } from '../../helpers/real-binary.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/gpu/${name}`, import.meta.url), 'utf8');
const UNTIL = { timeout: 15_000, interval: 100 } as const;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function exporter(body: () => string | null): Promise<Endpoint> {
  const endpoint = await serve((_req, res) => {
    const text = body();
    if (text === null) {
      res.statusCode = 503;
      res.end('down');
      return;
    }
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(text);
  });
  cleanups.push(() => endpoint.close());
  return endpoint;
}

function pipeline(targets: string[], gpuPort?: number): Pipeline {
  const p = new Pipeline({
    targets: targets.map((t) => parseTarget(t)),
    gpuPort,
    intervalMs: 200,
    concurrency: 4,
    historyPoints: 20,
    scraper: { timeoutMs: 2_000 },
  });
  cleanups.push(() => p.stop());
  p.start();
  return p;
}

describe.runIf(requireBinary(NODE_EXPORTER))('GPU exporters beside the real node_exporter', () => {
  it('puts a dcgm-exporter of the same host under the node: one row, with its GPU and its history', { timeout: 30_000 }, async () => {
    const node = await startNodeExporter();
    cleanups.push(() => node.stop());
    const dcgm = await exporter(() => fixture('dcgm-ericsson-t4-busy.metrics'));
    const p = pipeline([node.url, dcgm.url]);
    await expect.poll(() => p.store.nodes()[0]?.gpus?.gpus[0]?.history.length ?? 0, UNTIL).toBeGreaterThanOrEqual(2);
    expect(p.store.nodes()).toHaveLength(1);
    const [row] = p.store.nodes();
    expect(row!.source).toBe('node_exporter');
    expect(row!.figures.cpu).not.toBeNull();
    expect(row!.gpus!.gpus[0]!.figures).toMatchObject({ model: 'Tesla T4', utilizationPercent: 91, temperatureCelsius: 74 });
    expect(row!.gpus!.gpus[0]!.history.tail('util')).toContain(91);
  });

  it('shows a failing GPU exporter as the node GPU error, the node itself up', { timeout: 30_000 }, async () => {
    const node = await startNodeExporter();
    cleanups.push(() => node.stop());
    let up = true;
    const smi = await exporter(() => (up ? fixture('nvidia-gpu-exporter-l40s-595.80-load.metrics') : null));
    const p = pipeline([node.url], smi.port); // --gpu-port: the exporter's port on the node's host
    await expect.poll(() => p.store.nodes()[0]?.gpus?.gpus.length ?? 0, UNTIL).toBe(1);
    expect(p.store.nodes()[0]!.gpus!.gpus[0]!.figures.processes).toHaveLength(2);
    up = false;
    await expect.poll(() => p.store.nodes()[0]?.gpus?.error ?? null, UNTIL).toMatch(/503/);
    expect(p.store.nodes()[0]!.health.up).toBe(true);
    expect(p.store.nodes()).toHaveLength(1);
  });
});

describe('a GPU exporter alone on its host', () => {
  it('is a row of its own, with its GPUs', { timeout: 30_000 }, async () => {
    const amd = await exporter(() => fixture('amd-device-metrics-mi300x.metrics'));
    const p = pipeline([amd.url]);
    await expect.poll(() => p.store.nodes()[0]?.gpus?.gpus.length ?? 0, UNTIL).toBe(3);
    expect(p.store.nodes()[0]!.source).toBe('app');
    expect(p.store.nodes()[0]!.gpus!.gpus.map((e) => e.figures.utilizationPercent)).toEqual([100, 0, 0]);
  });
});
