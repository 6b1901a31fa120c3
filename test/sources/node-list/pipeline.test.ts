/**
 * The pipeline's collector narrowing (src/metrics/collector-narrowing.ts), end to end: the real
 * node_exporter behind a forwarder that records every request path, and in-test exporters that
 * refuse `collect[]` or answer it short of a family.
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { Pipeline } from '../../../src/sources/node-list/pipeline.js';
import { parseTarget } from '../../../src/targets/parse-target.js';
import { parseColumn } from '../../../src/expr/column.js';
import { serve, type Endpoint } from '../../helpers/http-endpoints.js';
import { NODE_EXPORTER, startNodeExporter, type RunningExporter } from '../../helpers/node-exporter.js';
import { requireBinary } from '../../helpers/real-binary.js';

const FIXTURE = readFileSync(new URL('../../fixtures/node-exporter.prom', import.meta.url), 'utf8');
const LINUX_COLLECTORS = ['cpu', 'loadavg', 'meminfo', 'netdev', 'diskstats', 'filesystem', 'stat', 'time', 'uname'];
const NARROWED = `/metrics?${LINUX_COLLECTORS.map((c) => `collect%5B%5D=${c}`).join('&')}`;
/** expect.poll's bounds for a pipeline to reach a state: 15 s at most, every 100 ms. */
const UNTIL = { timeout: 15_000, interval: 100 } as const;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startPipeline(url: string, options: { columns?: string[] } = {}): Promise<Pipeline> {
  const pipeline = new Pipeline({
    targets: [parseTarget(url)],
    intervalMs: 200,
    concurrency: 4,
    historyPoints: 20,
    scraper: { timeoutMs: 2_000 },
    columns: (options.columns ?? []).map(parseColumn),
  });
  cleanups.push(() => pipeline.stop());
  pipeline.start();
  return pipeline;
}

async function until(check: () => boolean): Promise<void> {
  await expect.poll(check, UNTIL).toBe(true);
}

/** The fixture (a real node_exporter 1.5 payload) as an exporter that answers `collect[]` with `narrowed`. */
async function fixtureExporter(narrowed: (res: import('node:http').ServerResponse) => void): Promise<Endpoint> {
  const endpoint = await serve((req, res) => {
    if ((req.url ?? '').includes('?')) return narrowed(res);
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(FIXTURE);
  });
  cleanups.push(() => endpoint.close());
  return endpoint;
}

const paths = (endpoint: Endpoint) => endpoint.requests.map((r) => r.url ?? '');

describe.runIf(requireBinary(NODE_EXPORTER))('collector narrowing against the real node_exporter', () => {
  it('asks for only the node view collectors after the first scrape, with the same figures and half the bytes', { timeout: 30_000 }, async () => {
    const exporter: RunningExporter = await startNodeExporter();
    cleanups.push(() => exporter.stop());
    // Forwards every request to the exporter, keeping its path, so the test sees what was asked.
    const forwarder = await serve((req, res) => {
      const upstream = request(`http://127.0.0.1:${exporter.port}${req.url ?? '/'}`, { headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end();
    });
    cleanups.push(() => forwarder.close());
    const pipeline = await startPipeline(forwarder.url);
    const node = () => pipeline.store.nodes()[0]!;
    const fullBytes = () => node().health.lastBodyBytes ?? 0;
    await until(() => node().health.up);
    const firstBytes = fullBytes();
    await until(() => paths(forwarder).filter((p) => p === NARROWED).length >= 4);

    expect(paths(forwarder)[0]).toBe('/metrics');
    expect(new Set(paths(forwarder))).toEqual(new Set(['/metrics', NARROWED]));
    const n = node();
    expect(n.health.up).toBe(true);
    expect(n.health.consecutiveFailures).toBe(0);
    expect(n.health.lastBodyBytes).toBeLessThan(firstBytes * 0.75);
    expect(n.name).toBe(hostname());
    const memTotalKiB = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    const f = n.figures;
    expect(f.cpu?.cores).toBe(cpus().length);
    expect(f.cpu?.usagePercent).not.toBeNull();
    expect(f.memory?.totalBytes).toBe(memTotalKiB * 1024);
    expect(f.load).not.toBeNull();
    expect(f.network).not.toBeNull();
    expect(f.disk).not.toBeNull();
    expect(f.filesystem).not.toBeNull();
    expect(f.uptimeSeconds).not.toBeNull();
  });
});

describe('collector narrowing falls back to full payloads', () => {
  it('for good, without the node ever showing down, when the exporter refuses collect[]', { timeout: 30_000 }, async () => {
    const exporter = await fixtureExporter((res) => {
      res.writeHead(400);
      res.end("Couldn't create filtered metrics handler: couldn't create collector: missing collector: cpu");
    });
    const pipeline = await startPipeline(exporter.url);
    await until(() => paths(exporter).length >= 8);
    const asked = paths(exporter);
    expect(asked.filter((p) => p.includes('?'))).toEqual([NARROWED]);
    expect(asked.slice(asked.indexOf(NARROWED) + 1).every((p) => p === '/metrics')).toBe(true);
    const node = pipeline.store.nodes()[0]!;
    expect(node.health.up).toBe(true);
    expect(node.health.consecutiveFailures).toBe(0);
    expect(node.health.lastError).toBeNull();
  });

  it('for good when the narrowed payload lacks a family the full one had, whose figure is kept', { timeout: 30_000 }, async () => {
    const withoutUname = FIXTURE.split('\n').filter((line) => !line.includes('node_uname_info')).join('\n');
    const exporter = await fixtureExporter((res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(withoutUname);
    });
    const pipeline = await startPipeline(exporter.url);
    await until(() => paths(exporter).length >= 8);
    expect(paths(exporter).filter((p) => p.includes('?'))).toEqual([NARROWED]);
    const node = pipeline.store.nodes()[0]!;
    // The name comes from node_uname_info: the short payload was never used.
    expect(node.name).toBe(/node_uname_info\{[^}]*nodename="([^"]+)"/.exec(FIXTURE)?.[1]);
    expect(node.health.up).toBe(true);
  });

  it('never narrows a target with a query of its own, or when --column may read any family', { timeout: 30_000 }, async () => {
    const exporter = await fixtureExporter((res) => res.end(FIXTURE));
    await startPipeline(`${exporter.url}?module=node`);
    await startPipeline(exporter.url.replace('127.0.0.1', 'localhost'), { columns: ['entropy=node_entropy_available_bits'] });
    await until(() => paths(exporter).length >= 10);
    expect(new Set(paths(exporter))).toEqual(new Set(['/metrics?module=node', '/metrics']));
  });
});
