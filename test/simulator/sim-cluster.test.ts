import { Agent, request } from 'node:http';
import { freePort } from '../helpers/node-exporter.js';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { collectorOf } from '../../src/simulator/collectors.js';
import { acceptsGzip, makeClusterSpecs, startSimCluster, type SimCluster } from '../../src/simulator/sim-cluster.js';
import { SimNode } from '../../src/simulator/sim-node.js';
import { familyNames } from './sim-fixtures.js';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  /** The client side's port, telling which connection carried the request. */
  readonly localPort: number | undefined;
}

/** A plain node:http GET, so the test (not fetch) decides about Accept-Encoding. */
function get(url: string, headers: Record<string, string> = {}, agent: Agent | false = false): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      const localPort = res.socket.localPort;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), localPort }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function errorCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? err.cause : undefined;
  return typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
}

describe('makeClusterSpecs', () => {
  it('is deterministic, varied and has one down and one slow node from 8 nodes on', () => {
    const specs = makeClusterSpecs(200, 5);
    expect(makeClusterSpecs(200, 5)).toEqual(specs);
    expect(makeClusterSpecs(200, 6)).not.toEqual(specs);
    expect(specs[0]!.name).toBe('sim-node-001');
    expect(specs[199]!.name).toBe('sim-node-200');
    expect(makeClusterSpecs(1000, 1)[999]!.name).toBe('sim-node-1000');
    expect(new Set(specs.map((s) => s.seed)).size).toBe(200);
    const cores = specs.map((s) => s.cores);
    expect(cores.every((c) => c >= 2 && c <= 128)).toBe(true);
    expect(cores.filter((c) => c >= 4 && c <= 16).length).toBeGreaterThan(140);
    expect(cores).toContain(2);
    expect(cores.some((c) => c >= 32)).toBe(true);
    for (const s of specs) {
      expect(s.memoryBytes / s.cores).toBeGreaterThan(1.9 * 1024 ** 3);
      expect(s.baseLoad).toBeGreaterThanOrEqual(0);
      expect(s.baseLoad).toBeLessThanOrEqual(1);
    }
    const down = specs.filter((s) => s.down);
    const slow = specs.filter((s) => (s.slowMs ?? 0) > 0);
    expect(down).toHaveLength(1);
    expect(slow).toHaveLength(1);
    expect(slow[0]!.slowMs).toBeGreaterThan(3000);
    expect(slow[0]).not.toBe(down[0]);
    for (const n of [0, 1, 7]) expect(makeClusterSpecs(n, 5).some((s) => s.down || s.slowMs)).toBe(false);
    expect(makeClusterSpecs(8, 5).filter((s) => s.down || s.slowMs)).toHaveLength(2);
  });
});

describe('acceptsGzip', () => {
  it('reads Accept-Encoding lists and q-values', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

describe('startSimCluster', () => {
  const NOW = Date.UTC(2026, 5, 1, 12);
  let cluster: SimCluster;
  let down: number;
  let slow: number;
  const healthy = () => cluster.urls.filter((_, i) => i !== down && i !== slow);

  beforeAll(async () => {
    cluster = await startSimCluster({ n: 24, seed: 1, now: () => NOW });
    down = cluster.specs.findIndex((s) => s.down);
    slow = cluster.specs.findIndex((s) => s.slowMs);
  });
  afterAll(() => cluster.close());

  it('serves n loopback endpoints, each its node', async () => {
    expect(cluster.urls).toHaveLength(24);
    expect(new Set(cluster.urls).size).toBe(24);
    for (const url of cluster.urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(down).toBeGreaterThanOrEqual(0);
    expect(slow).toBeGreaterThanOrEqual(0);
    for (const i of [0, 5, 23].filter((k) => k !== down && k !== slow)) {
      const res = await fetch(cluster.urls[i]!);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const { samples } = parseExposition(await res.text());
      expect(samples.find((s) => s.name === 'node_uname_info')?.labels.nodename).toBe(cluster.specs[i]!.name);
      expect(samples.find((s) => s.name === 'node_time_seconds')?.value).toBe(NOW / 1000);
    }
    // Boot moments were filled in, before the start.
    for (const s of cluster.specs) expect(s.bootTimeMs).toBeLessThan(NOW);
  });

  it('gzips when asked, with the same body, over one kept-alive connection, and 404s other paths', async () => {
    const url = healthy()[0]!;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const plain = await get(url, {}, agent);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await get(url, { 'accept-encoding': 'gzip' }, agent);
    agent.destroy();
    expect(zipped.localPort).toBe(plain.localPort);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(gunzipSync(zipped.body).toString()).toBe(plain.body.toString());
    expect((await get(url.replace('/metrics', '/'))).status).toBe(404);
    expect((await get(url.replace('/metrics', '/metricsx'))).status).toBe(404);
  });

  it('answers collect[] with those collectors only, the key URL-encoded or not, gzipped alike', async () => {
    const url = healthy()[1]!;
    const i = cluster.urls.indexOf(url);
    const node = new SimNode(cluster.specs[i]!);
    const res = await get(`${url}?collect[]=cpu&collect[]=meminfo`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = res.body.toString();
    expect(text).toBe(node.render(NOW, ['cpu', 'meminfo']));
    expect(new Set(familyNames(text).map(collectorOf))).toEqual(new Set(['*', 'cpu', 'meminfo']));
    const scraped = parseExposition(text).samples.filter((s) => s.name === 'node_scrape_collector_success');
    expect(scraped.map((s) => s.labels.collector)).toEqual(['cpu', 'meminfo']);
    expect((await get(`${url}?collect%5B%5D=meminfo&collect%5b%5d=cpu`)).body.toString()).toBe(text);
    const zipped = await get(`${url}?collect[]=meminfo&collect[]=cpu`, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe(text);
  });

  it('answers without collect[] the full payload, byte for byte', async () => {
    const url = healthy()[2]!;
    const full = new SimNode(cluster.specs[cluster.urls.indexOf(url)]!).renderBuffer(NOW);
    for (const suffix of ['', '?', '?collect=cpu&x[]=1']) expect((await get(url + suffix)).body.equals(full), suffix).toBe(true);
  });

  it('answers 400 for a name that is no collector, as node_exporter words it', async () => {
    const url = healthy()[0]!;
    for (const [query, name] of [
      ['collect[]=cpu&collect[]=bogus&collect[]=worse', 'bogus'],
      ['collect%5B%5D=ntp', 'ntp'],
      ['collect[]=', ''],
    ]) {
      const res = await get(`${url}?${query}`, { 'accept-encoding': 'gzip' });
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toBe(`Couldn't create filtered metrics handler: couldn't create collector: missing collector: ${name}`);
    }
  });

  it('refuses connections to the down node', async () => {
    const err = await fetch(cluster.urls[down]!).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorCode(err)).toBe('ECONNREFUSED');
  });

  it('does not answer from the slow node before a short abort', async () => {
    const err = await fetch(cluster.urls[slow]!, { signal: AbortSignal.timeout(300) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe('TimeoutError');
  });

  it('listens on basePort + i when given, and close() releases every port and pending answer', async () => {
    // A free pair of ports is likely but not certain, so a few bases are tried.
    let own: SimCluster | undefined;
    for (let attempt = 0; attempt < 5 && !own; attempt++) {
      const base = await freePort();
      own = await startSimCluster({ n: 0, seed: 2, basePort: base, specs: makeClusterSpecs(9, 2) }).catch(() => undefined);
      if (own) expect(own.urls.map((u) => Number(new URL(u).port))).toEqual(Array.from({ length: 9 }, (_, i) => base + i));
    }
    expect(own).toBeDefined();
    const cluster2 = own!;
    const slowUrl = cluster2.urls[cluster2.specs.findIndex((s) => s.slowMs)]!;
    const pending = fetch(slowUrl).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 100));
    await cluster2.close();
    expect(await pending).toBe('failed');
    // The down node's basePort + i was never bound here, so another process may well listen on it.
    for (const url of cluster2.urls.filter((_, i) => !cluster2.specs[i]!.down)) {
      const err = await fetch(url).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(errorCode(err)).toBe('ECONNREFUSED');
    }
  });

  it('answers uncompressed when gzip is off, whatever the client asks', async () => {
    const own = await startSimCluster({ n: 1, seed: 3, gzip: false });
    try {
      const res = await get(own.urls[0]!, { 'accept-encoding': 'gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toContain('nodename="sim-node-001"');
    } finally {
      await own.close();
    }
  });

  it('listens on loopback only, and rejects bad specs before binding anything', async () => {
    await expect(startSimCluster({ n: 1, seed: 1, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1 only/);
    const specs = makeClusterSpecs(3, 1);
    await expect(startSimCluster({ n: 3, seed: 1, specs: [...specs, { ...specs[0]!, cores: 0 }] })).rejects.toThrow(RangeError);
    await expect(startSimCluster({ n: 1.5, seed: 1 })).rejects.toThrow(RangeError);
  });
});
