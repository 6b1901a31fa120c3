/**
 * cAdvisor targets through the pipeline: joined to the real node_exporter of the same host, or a
 * row of their own when alone on theirs. The cAdvisor is its real payload (see
 * test/fixtures/cadvisor/README.md), served with its counters and stamps moved on at each scrape.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect } from 'vitest';
import { it } from '../../helpers/temp-dir.js';
import { startAgentServer } from '../../../src/agent/agent-server.js';
import { containerFamilies, readContainerCgroups } from '../../../src/agent/cgroup-containers.js';
import { thisMachineReader } from '../../../src/sources/local/readers.js';
import { tree } from '../../agent/cgroup-tree.js';
import { Pipeline } from '../../../src/sources/node-list/pipeline.js';
import { parseTarget } from '../../../src/targets/parse-target.js';
import { serve, type Endpoint } from '../../helpers/http-endpoints.js';
import { NODE_EXPORTER, startNodeExporter } from '../../helpers/node-exporter.js';
import { requireBinary } from '../../helpers/real-binary.js';

const LIVE = readFileSync(new URL('../../fixtures/cadvisor/live-docker-host-cpu.prom', import.meta.url), 'utf8');
const UNTIL = { timeout: 15_000, interval: 100 } as const;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The live payload at its n-th scrape: each scrape 2 s later by the stamps, with 0.5 s more CPU per cgroup (25 %). */
async function cadvisor(extra = ''): Promise<Endpoint> {
  let n = 0;
  const endpoint = await serve((_req, res) => {
    const k = n++;
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(LIVE.replace(/^(container_\w+\{.*\}) (\S+) (\d+)$/gm, (_m, head: string, v: string, ts: string) => `${head} ${Number(v) + 0.5 * k} ${Number(ts) + 2_000 * k}`) + extra);
  });
  cleanups.push(() => endpoint.close());
  return endpoint;
}

function start(urls: string[], cadvisorPort?: number): Pipeline {
  const pipeline = new Pipeline({ targets: urls.map((u) => parseTarget(u)), intervalMs: 200, concurrency: 4, historyPoints: 20, scraper: { timeoutMs: 2_000 }, cadvisorPort });
  cleanups.push(() => pipeline.stop());
  pipeline.start();
  return pipeline;
}

describe.runIf(requireBinary(NODE_EXPORTER))('cAdvisor beside node_exporter', () => {
  it('joins the cAdvisor of the same host to its node row, and keeps a lone one as a row with its containers', { timeout: 30_000 }, async () => {
    const exporter = await startNodeExporter();
    cleanups.push(() => exporter.stop());
    const joined = await cadvisor();
    // cAdvisor's machine families, as it writes them (the fixture's 40 lines stop before them).
    const alone = await cadvisor('# TYPE machine_cpu_cores gauge\nmachine_cpu_cores 4\n# TYPE machine_memory_bytes gauge\nmachine_memory_bytes 8.3e+09\n');
    const loneUrl = `http://localhost:${alone.port}/metrics`;
    const pipeline = start([exporter.url, joined.url, loneUrl]);
    const node = () => pipeline.store.get(parseTarget(exporter.url).id);
    await expect.poll(() => node()?.containers?.containers[0]?.cpuPercent ?? null, UNTIL).not.toBeNull();
    const table = node()!.containers!;
    expect(table.unnamed).toBe(37);
    expect(table.containers.map((c) => c.name)).toEqual(['pix2pi_cadvisor']);
    expect(table.containers[0]!.cpuPercent).toBeCloseTo(25, 6);
    // The node keeps its own figures, and the joined cAdvisor has no row; the lone one has.
    expect(node()!.source).toBe('node_exporter');
    expect(pipeline.store.get(parseTarget(joined.url).id)).toBeUndefined();
    await expect.poll(() => pipeline.store.get(parseTarget(loneUrl).id)?.containers?.containers.length ?? 0, UNTIL).toBe(1);
    // Alone on its host, a cAdvisor row: the host's CPU from its root cgroup, 0.5 s a 2 s over 4 cores.
    const lone = () => pipeline.store.get(parseTarget(loneUrl).id)!;
    await expect.poll(() => lone().figures.cpu?.usagePercent ?? null, UNTIL).not.toBeNull();
    expect(lone().source).toBe('cadvisor');
    expect(lone().app).toBeNull();
    expect(lone().figures.cpu).toMatchObject({ cores: 4 });
    expect(lone().figures.cpu!.usagePercent).toBeCloseTo(6.25, 6);
    expect(pipeline.store.nodes()).toHaveLength(2);
    // The joined cAdvisor goes from the list: its containers go from the node's row.
    pipeline.setTargets([parseTarget(exporter.url), parseTarget(loneUrl)]);
    expect(node()!.containers).toBeNull();
  });

  it('scrapes the --cadvisor-port of every target host as its containers', { timeout: 30_000 }, async () => {
    const exporter = await startNodeExporter();
    cleanups.push(() => exporter.stop());
    const side = await cadvisor();
    const pipeline = start([exporter.url], side.port);
    const node = () => pipeline.store.get(parseTarget(exporter.url).id);
    await expect.poll(() => node()?.containers?.containers[0]?.cpuPercent ?? null, UNTIL).not.toBeNull();
    expect(pipeline.store.nodes()).toHaveLength(1);
    expect(side.requests.length).toBeGreaterThanOrEqual(2);
  });
});

describe('cluster-top agent serving containers', () => {
  it('gives its node row the containers of its cgroup tree, beside the node figures', { timeout: 30_000 }, async ({ tmp }) => {
    const paths = tree(tmp);
    const agent = await startAgentServer({ host: '127.0.0.1', port: 0, reader: thisMachineReader(), containers: async () => containerFamilies(await readContainerCgroups(paths)) });
    cleanups.push(() => agent.close());
    const pipeline = start([agent.url]);
    const node = () => pipeline.store.get(parseTarget(agent.url).id);
    await expect.poll(() => node()?.containers?.containers.length ?? 0, UNTIL).toBe(3);
    expect(node()!.source).toBe('node_exporter');
    expect(node()!.figures.cpu).not.toBeNull();
    expect(node()!.containers!.containers.find((c) => c.name === 'shop-db-1')).toMatchObject({ composeService: 'db', image: 'postgres:16' });
  });
});
