/**
 * GPU exporters with discovery: `--gpu-port` with `--dns` and `--scrape-config`, and a scrape
 * config's job of GPU exporters. Several hosts are several loopback addresses (127.0.0.2, .3, .4),
 * each with the real node_exporter on one port and a captured GPU exporter payload
 * (test/fixtures/gpu) on another; names resolve through the test DNS server.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { Snapshot } from '../../src/cli/snapshot.js';
import { PLAIN_TEMPLATE } from '../../src/sources/discovery/discovered-target.js';
import { DiscoverySource } from '../../src/sources/discovery/discovery-source.js';
import { DnsProvider } from '../../src/sources/discovery/dns-provider.js';
import { Pipeline } from '../../src/sources/node-list/pipeline.js';
import { runMain } from '../security/hostile.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { serve, type Endpoint } from '../helpers/http-endpoints.js';
import { freePort, NODE_EXPORTER, startNodeExporter } from '../helpers/node-exporter.js';
import { requireBinary } from '../helpers/real-binary.js';
import { tempDir } from '../helpers/temp-dir.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/gpu/${name}`, import.meta.url), 'utf8');
const L4_PAYLOAD = fixture('dcgm-kops-l4.metrics');
const L40S_PAYLOAD = fixture('nvidia-gpu-exporter-l40s-595.80-load.metrics');
const schema: unknown = JSON.parse(readFileSync(new URL('../../docs/snapshot.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
const addFormats = (formats as unknown as { default: typeof formats.default }).default ?? formats;
addFormats(ajv);
const validate = ajv.compile(schema as object);

// Read from the fixtures' lines by hand.
const L4 = {
  index: 0, // DCGM_FI_DEV_GPU_UTIL{gpu="0",…}
  uuid: 'GPU-c2f76b33-7953-256e-8f33-1343419b1a1c',
  model: 'NVIDIA L4',
  migProfile: null,
  utilizationPercent: 0,
  memoryUsedBytes: 0,
  memoryTotalBytes: 23033 * 1_048_576, // FB_FREE 22563 + FB_USED 0 + FB_RESERVED 470 MiB
  temperatureCelsius: 31,
  powerWatts: 16.365,
  powerLimitWatts: null,
  xid: null,
  pod: null,
};
const L40S = {
  index: 0, // nvidia_smi_index 0
  uuid: '00000000-0000-0000-0000-000000000000',
  model: 'NVIDIA L40S',
  migProfile: null,
  memoryUsedBytes: 1_294_991_360, // nvidia_smi_memory_used_bytes 1.29499136e+09
  memoryTotalBytes: 48_305_799_168, // nvidia_smi_memory_total_bytes 4.8305799168e+10
  temperatureCelsius: 54,
  powerWatts: 110.23,
  powerLimitWatts: 350,
  xid: null,
  pod: null,
};

const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'] as const;
const cleanups: (() => Promise<void>)[] = [];
let dns: TestDnsServer;
let dir: string;

beforeAll(async () => {
  dns = await startDnsServer();
  dir = tempDir('gpu-discovery');
});
afterAll(async () => {
  await dns.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * One server per host, all on the same port (as a DaemonSet's exporters are): a port free on
 * 127.0.0.1 is tried on every host, and another one when some host has it taken (five tries).
 */
async function onEveryHost<T extends { stop(): Promise<void> }>(hosts: readonly string[], start: (host: string, port: number) => Promise<T>): Promise<{ port: number; servers: T[] }> {
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const servers: T[] = [];
    try {
      for (const host of hosts) servers.push(await start(host, port));
      cleanups.push(async () => {
        for (const s of servers) await s.stop();
      });
      return { port, servers };
    } catch (error) {
      last = error;
      for (const s of servers) await s.stop();
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

function payload(body: string): (host: string, port: number) => Promise<Endpoint & { stop(): Promise<void> }> {
  return async (host, port) => {
    const e = await serve(
      (_req, res) => {
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        res.end(body);
      },
      { host, port },
    );
    return { ...e, stop: () => e.close() };
  };
}

/** node_exporter on every host; GPU exporters (`bodies[i]` on HOSTS[i]; null: none) on one other port. */
async function cluster(bodies: readonly (string | null)[]): Promise<{ nodePort: number; gpuPort: number; gpus: (Endpoint | undefined)[] }> {
  const nodes = await onEveryHost(HOSTS, (host, port) => startNodeExporter({ host, port }));
  const gpuHosts = HOSTS.filter((_h, i) => bodies[i] != null);
  const gpus = await onEveryHost(gpuHosts, (host, port) => payload(bodies[HOSTS.indexOf(host as (typeof HOSTS)[number])] ?? '')(host, port));
  return { nodePort: nodes.port, gpuPort: gpus.port, gpus: HOSTS.map((h) => gpus.servers.find((s) => s.url.includes(`//${h}:`))) };
}

function snapshotOf(r: { code: number; stdout: string; stderr: string }): Snapshot {
  expect(r.code, r.stderr).toBe(0);
  const snapshot = JSON.parse(r.stdout) as Snapshot;
  expect(validate(snapshot), ajv.errorsText(validate.errors)).toBe(true);
  return snapshot;
}

const byHost = (s: Snapshot): Record<string, Snapshot['nodes'][number]> => Object.fromEntries(s.nodes.map((n) => [new URL(n.target).hostname, n]));

describe.runIf(requireBinary(NODE_EXPORTER))('--gpu-port with discovery', () => {
  it('--dns and --dns-srv: every host the names resolve to gets scraped on the GPU port too, its GPUs in its node', { timeout: 60_000 }, async () => {
    const { nodePort, gpuPort } = await cluster([L4_PAYLOAD, L40S_PAYLOAD, null]);
    dns.records.set('gpu-nodes.test', { A: [...HOSTS] });
    const r = await runMain(['--dns', `gpu-nodes.test:${nodePort}`, '--dns-server', dns.address, '--gpu-port', String(gpuPort), '-i', '500ms', '--once', '-o', 'json']);
    const snapshot = snapshotOf(r);
    expect(snapshot.nodes).toHaveLength(3); // the GPU exporters have no rows of their own
    const nodes = byHost(snapshot);
    expect(HOSTS.map((h) => [nodes[h]?.source, nodes[h]?.up])).toEqual(HOSTS.map(() => ['node_exporter', true]));
    expect(nodes['127.0.0.2']!.gpus).toEqual([L4]);
    const [l40s] = nodes['127.0.0.3']!.gpus!;
    expect(l40s).toMatchObject(L40S);
    expect(l40s!.utilizationPercent).toBeCloseTo(9, 10); // nvidia_smi_utilization_gpu_ratio 0.09
    // 127.0.0.4 answers nothing on the GPU port: no GPUs, and the node itself up.
    expect(nodes['127.0.0.4']!.gpus).toBeNull();

    // --dns-srv: the records name the hosts, which resolve through the same server.
    dns.records.set('_node._tcp.gpu.test', { SRV: [{ port: nodePort, target: 'g2.test' }, { port: nodePort, target: 'g3.test' }] });
    dns.records.set('g2.test', { A: ['127.0.0.2'] });
    dns.records.set('g3.test', { A: ['127.0.0.3'] });
    const srv = byHost(snapshotOf(await runMain(['--dns-srv', '_node._tcp.gpu.test', '--dns-server', dns.address, '--gpu-port', String(gpuPort), '-i', '500ms', '--once', '-o', 'json'])));
    expect(Object.keys(srv).sort()).toEqual(['127.0.0.2', '127.0.0.3']);
    expect(srv['127.0.0.2']!.gpus).toEqual([L4]);
    expect(srv['127.0.0.3']!.gpus![0]).toMatchObject(L40S);
  });

  it('--scrape-config: the GPU port of every host its jobs find (static and DNS)', { timeout: 60_000 }, async () => {
    const { nodePort, gpuPort } = await cluster([null, L4_PAYLOAD, L40S_PAYLOAD]);
    dns.records.set('node-4.test', { A: ['127.0.0.4'] });
    const config = join(dir, 'gpu.yml');
    writeFileSync(config, `
scrape_configs:
  - job_name: node
    static_configs: [{ targets: ['127.0.0.2:${nodePort}', '127.0.0.3:${nodePort}'] }]
  - job_name: more
    dns_sd_configs: [{ names: [node-4.test], type: A, port: ${nodePort} }]
`);
    const r = await runMain(['--scrape-config', config, '--dns-server', dns.address, '--gpu-port', String(gpuPort), '-i', '500ms', '--once', '-o', 'json']);
    const snapshot = snapshotOf(r);
    expect(snapshot.nodes.map((n) => n.labels.job)).toEqual(['node', 'node', 'more']);
    const nodes = byHost(snapshot);
    expect(nodes['127.0.0.2']!.gpus).toBeNull();
    expect(nodes['127.0.0.3']!.gpus).toEqual([L4]);
    expect(nodes['127.0.0.4']!.gpus![0]).toMatchObject(L40S);
  });

  it('--scrape-config without --gpu-port: a job of GPU exporters on any port attaches to the node of each host by its payload', { timeout: 60_000 }, async () => {
    const { nodePort, gpuPort } = await cluster([L4_PAYLOAD, null, L40S_PAYLOAD]);
    const config = join(dir, 'gpu-job.yml');
    writeFileSync(config, `
scrape_configs:
  - job_name: node
    static_configs: [{ targets: ['127.0.0.2:${nodePort}', '127.0.0.3:${nodePort}', '127.0.0.4:${nodePort}'] }]
  - job_name: dcgm
    static_configs: [{ targets: ['127.0.0.2:${gpuPort}', '127.0.0.4:${gpuPort}'] }]
`);
    const r = await runMain(['--scrape-config', config, '-i', '500ms', '--once', '-o', 'json']);
    const snapshot = snapshotOf(r);
    // The dcgm job's targets are no rows: their payloads showed GPU families and no node families.
    expect(snapshot.nodes.map((n) => [n.labels.job, new URL(n.target).hostname])).toEqual(HOSTS.map((h) => ['node', h]));
    const nodes = byHost(snapshot);
    expect(nodes['127.0.0.2']!.gpus).toEqual([L4]);
    expect(nodes['127.0.0.3']!.gpus).toBeNull();
    expect(nodes['127.0.0.4']!.gpus![0]).toMatchObject(L40S);
  });

  it('follows DNS as hosts come and go: a new host brings its GPUs, a host gone takes its GPU exporter off the schedule', { timeout: 60_000 }, async () => {
    const { nodePort, gpuPort, gpus } = await cluster([L4_PAYLOAD, L40S_PAYLOAD, null]);
    dns.records.set('pool.test', { A: ['127.0.0.2'] });
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.address]);
    const provider = new DnsProvider({ resolver, queries: [{ name: 'pool.test', type: 'A', port: nodePort }], template: PLAIN_TEMPLATE, refreshMs: 100, resolveSrvTargets: true });
    const pipeline = new Pipeline({ targets: [], gpuPort, intervalMs: 200, concurrency: 4, historyPoints: 20, scraper: { timeoutMs: 1_000 } });
    const source = new DiscoverySource(pipeline, [], [provider]);
    cleanups.push(() => source.stop());
    await source.refreshAll();
    source.start();
    const UNTIL = { timeout: 20_000, interval: 50 } as const;
    const models = (): string[] => source.store.nodes().map((n) => `${new URL(n.target).hostname}:${n.gpus?.gpus.map((g) => g.figures.model).join(',') ?? '-'}`);
    await expect.poll(models, UNTIL).toEqual(['127.0.0.2:NVIDIA L4']);

    dns.records.set('pool.test', { A: ['127.0.0.2', '127.0.0.3'] });
    await expect.poll(models, UNTIL).toEqual(['127.0.0.2:NVIDIA L4', '127.0.0.3:NVIDIA L40S']);

    dns.records.set('pool.test', { A: ['127.0.0.3'] });
    await expect.poll(models, UNTIL).toEqual(['127.0.0.3:NVIDIA L40S']);
    const asked = gpus[0]!.requests.length;
    // Three more turns of the GPU exporter that stays; the one gone is asked at most once more (in flight when it went).
    const stays = gpus[1]!.requests.length;
    await expect.poll(() => gpus[1]!.requests.length, UNTIL).toBeGreaterThanOrEqual(stays + 3);
    expect(gpus[0]!.requests.length).toBeLessThanOrEqual(asked + 1);
  });
});
