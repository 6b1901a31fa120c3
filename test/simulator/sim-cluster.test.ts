import { Agent, request } from 'node:http';
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

const GKE = /^gke-prod-(default|highmem)-pool-[0-9a-f]{8}-[a-z0-9]{4}$/;
const EKS = /^ip-10-0-\d{1,3}-\d{1,3}\.eu-west-1\.compute\.internal$/;
const AKS = /^aks-(nodepool1|userpool)-\d{8}-vmss[0-9a-z]{6}$/;
const METAL = /^(db|gpu-a100|gpu-h100|kafka|ci-runner|k8s-cp|lb|bastion)-\d{2,}$/;

describe('makeClusterSpecs', () => {
  it('is deterministic, varied and has one down and one slow node from 8 nodes on', () => {
    const specs = makeClusterSpecs(200, 5);
    expect(makeClusterSpecs(200, 5)).toEqual(specs);
    expect(makeClusterSpecs(200, 6)).not.toEqual(specs);
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

  it('names nodes as GKE, EKS, AKS and bare-metal hosts do, uniquely, sorted, with pools of a few machine sizes', () => {
    const specs = makeClusterSpecs(2000, 1);
    const names = specs.map((s) => s.name);
    expect(new Set(names).size).toBe(2000);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect([GKE, EKS, AKS, METAL].some((re) => re.test(name)), name).toBe(true);
    // Every platform shows up, in about its share, and so already among a handful of nodes.
    const share = (re: RegExp, list: readonly string[]) => list.filter((n) => re.test(n)).length / list.length;
    expect(share(GKE, names)).toBeGreaterThan(0.3);
    expect(share(EKS, names)).toBeGreaterThan(0.2);
    expect(share(AKS, names)).toBeGreaterThan(0.1);
    expect(share(METAL, names)).toBeGreaterThan(0.1);
    const few = makeClusterSpecs(12, 1).map((s) => s.name);
    for (const re of [GKE, EKS, AKS, METAL]) expect(few.some((n) => re.test(n)), String(re)).toBe(true);
    // One size per pool; the mean near 14 cores keeps the scale benchmark's payloads as they were.
    const sizes = new Map<string, Set<string>>();
    for (const s of specs) {
      const pool = s.labels!.pool!;
      sizes.set(pool, (sizes.get(pool) ?? new Set()).add(`${s.cores}/${s.memoryBytes}`));
    }
    expect(sizes.size).toBeGreaterThanOrEqual(10);
    for (const [pool, set] of sizes) expect(set.size, pool).toBe(1);
    const meanCores = specs.reduce((a, s) => a + s.cores, 0) / specs.length;
    expect(meanCores).toBeGreaterThan(12);
    expect(meanCores).toBeLessThan(16);
  });

  it('labels each node with its job, zone, pool and role, zones spread within each pool', () => {
    const specs = makeClusterSpecs(300, 2);
    for (const s of specs) {
      expect(Object.keys(s.labels ?? {}).sort()).toEqual(['job', 'pool', 'role', 'zone']);
      const { job, zone } = s.labels!;
      if (GKE.test(s.name)) expect([job, zone]).toEqual(['gke-prod', expect.stringMatching(/^europe-west1-[bcd]$/)]);
      if (EKS.test(s.name)) expect([job, zone]).toEqual(['eks-prod', expect.stringMatching(/^eu-west-1[abc]$/)]);
      if (AKS.test(s.name)) expect([job, zone]).toEqual(['aks-staging', expect.stringMatching(/^westeurope-[123]$/)]);
      if (METAL.test(s.name)) expect(job).toBe('baremetal');
    }
    // An EKS name is its private IP, in its zone's /19 subnet.
    for (const s of specs.filter((x) => EKS.test(x.name))) {
      const third = Number(s.name.split('-')[3]);
      expect(Math.floor(third / 32)).toBe('abc'.indexOf(s.labels!.zone!.slice(-1)));
    }
    const zonesOf = (pool: string) => new Set(specs.filter((s) => s.labels!.pool === pool).map((s) => s.labels!.zone));
    expect(zonesOf('default-pool').size).toBe(3);
    expect(zonesOf('general').size).toBe(3);
    const roles = new Set(specs.map((s) => s.labels!.role));
    for (const role of ['worker', 'system', 'database', 'gpu', 'control-plane']) expect(roles).toContain(role);
  });

  it('has one flapping node from 12 nodes on and one heating up from 4, none of them the down or slow one', () => {
    for (const n of [0, 3]) expect(makeClusterSpecs(n, 5).some((s) => s.heatsUp)).toBe(false);
    for (const n of [4, 8, 11]) {
      const specs = makeClusterSpecs(n, 5);
      expect(specs.filter((s) => s.heatsUp)).toHaveLength(1);
      expect(specs.some((s) => s.flapping)).toBe(false);
    }
    for (const seed of [1, 2, 3]) {
      const specs = makeClusterSpecs(24, seed);
      const roles = specs.map((s) => [s.down, s.slowMs !== undefined, s.flapping, s.heatsUp].filter(Boolean).length);
      expect(roles.filter((r) => r === 1)).toHaveLength(4);
      expect(roles.every((r) => r <= 1)).toBe(true);
      // Heating from a light load leaves it room to climb.
      expect(specs.find((s) => s.heatsUp)!.baseLoad).toBeLessThan(0.3);
    }
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
  // The flapping node answers at NOW or not, whichever its schedule says: not one to test serving with.
  const healthy = () => cluster.urls.filter((_, i) => i !== down && i !== slow && !cluster.specs[i]!.flapping);

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
    // Nine free ports in a row are likely but not certain, so several bases are tried: below the
    // kernel's ephemeral range (32768 up), where the many outgoing connections of other tests and
    // benchmarks on the machine do not land.
    let own: SimCluster | undefined;
    for (let attempt = 0; attempt < 20 && !own; attempt++) {
      const base = 20_000 + Math.floor(Math.random() * 12_000);
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

  it('fills in the cluster start and keeps the labels of each spec', () => {
    const generated = makeClusterSpecs(24, 1);
    for (const [i, s] of cluster.specs.entries()) {
      expect(s.clusterStartMs).toBe(NOW);
      expect(s.labels).toEqual(generated[i]!.labels);
    }
  });

  it('drops the connections of the flapping node during its outages only, as its SimNode says', async () => {
    let clock = NOW;
    const spec = { ...makeClusterSpecs(24, 1).find((s) => s.flapping)! };
    const own = await startSimCluster({ n: 0, seed: 1, specs: [spec], now: () => clock });
    try {
      const node = new SimNode(own.specs[0]!);
      const moments = Array.from({ length: 400 }, (_, k) => NOW + k * 1000);
      const outage = moments.find((t) => !node.answers(t))!;
      // First within a minute of the start; down a while, then back.
      expect(outage - NOW).toBeGreaterThanOrEqual(30_000);
      expect(outage - NOW).toBeLessThanOrEqual(61_000);
      const back = moments.find((t) => t > outage && node.answers(t))!;
      expect(back - outage).toBeGreaterThan(30_000);
      expect(moments.some((t) => t > back && !node.answers(t))).toBe(true);
      for (const t of [NOW, outage, outage + 10_000, back]) {
        clock = t;
        const answered = await get(own.urls[0]!).then(
          (r) => r.status,
          (e: unknown) => (e as NodeJS.ErrnoException).code,
        );
        expect(answered, `at +${(t - NOW) / 1000} s`).toBe(node.answers(t) ? 200 : 'ECONNRESET');
      }
    } finally {
      await own.close();
    }
  });

  it('answers uncompressed when gzip is off, whatever the client asks', async () => {
    const own = await startSimCluster({ n: 1, seed: 3, gzip: false });
    try {
      const res = await get(own.urls[0]!, { 'accept-encoding': 'gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toContain(`nodename="${own.specs[0]!.name}"`);
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
