import { describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/app.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { distinctNames, fitNames } from '../../src/util/name-fit.js';
import { renderTable } from '../../src/cli/table.js';
import { buildSnapshot } from '../../src/cli/snapshot.js';
import { UNKNOWN_HEALTH } from '../../src/scrape/types.js';
import { frameLines, makeFigures, NOW, tick, upHealth } from './fixtures.js';
import { renderSized } from './terminal.js';

const GKE = ['gke-prod-default-pool-3f2a9c1e-x7kq', 'gke-prod-default-pool-3f2a9c1e-b2mn', 'gke-prod-default-pool-8d1c0a7f-q9zt', 'gke-prod-gpu-pool-11aa22bb-m4rs'];
const EC2 = Array.from({ length: 12 }, (_, i) => `ip-10-0-12-${30 + i}.eu-west-1.compute.internal`);
const AKS = Array.from({ length: 12 }, (_, i) => `aks-nodepool1-12345678-vmss${String(i).padStart(6, '0')}`);
const MIXED = [...GKE, 'ip-10-0-12-34.eu-west-1.compute.internal', 'ip-10-0-12-35.eu-west-1.compute.internal', 'aks-nodepool1-12345678-vmss000000', 'aks-nodepool1-12345678-vmss000001'];

function storeOf(names: readonly string[], targets?: readonly string[]): ClusterStore {
  const store = new ClusterStore(10);
  names.forEach((name, i) => {
    const target = targets?.[i] ?? `http://${name}:9100/metrics`;
    store.upsert({ id: target, name, target });
    store.record(target, NOW, { name, source: 'node_exporter', figures: makeFigures({ cpu: 10 + i, mem: 40 }), health: upHealth(NOW) });
  });
  return store;
}

/** The table's node rows as drawn: the lines after the title, up to the status line. */
async function drawnRows(store: ClusterStore, width: number, height: number): Promise<string[]> {
  const t = renderSized(<App store={store} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} />, width, height);
  await tick();
  const lines = frameLines(t.lastFrame());
  t.unmount();
  const title = lines.findIndex((l) => l.includes('NODE'));
  return lines.slice(title + 1, title + 1 + store.nodes().length);
}

describe('node names that stay distinct', () => {
  it.each([
    ['GKE', GKE],
    ['EC2', EC2],
    ['AKS', AKS],
    ['a mix of clouds', MIXED],
  ])('%s names: no two drawn rows read the same at 60, 80, 100 and 120 columns', async (_what, names) => {
    for (const width of [60, 80, 100, 120]) {
      const rows = await drawnRows(storeOf(names), width, 40);
      expect(rows).toHaveLength(names.length);
      // The name cell is the row's first field: distinct names, and rows that differ by more than figures.
      const cells = rows.map((r) => r.slice(1).trim().split(/\s+/)[0]);
      expect(new Set(cells).size, `${width} columns:\n${rows.join('\n')}`).toBe(names.length);
    }
  });

  it('shows what every name on screen shares once, in the title, and the rest in the rows', async () => {
    const t = renderSized(<App store={storeOf(EC2)} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} />, 60, 24);
    await tick();
    const lines = frameLines(t.lastFrame());
    t.unmount();
    expect(lines.find((l) => l.includes('NODE'))).toMatch(/NODE▲ ip-/);
    // The rows show only what differs: the last part of the address.
    expect(lines.filter((l) => /^[ >](3\d|4[01])\s+up/.test(l))).toHaveLength(12);
  });

  it('keeps full names at 80 columns with status, CPU, memory, load and network beside them', async () => {
    const t = renderSized(<App store={storeOf(GKE)} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} />, 80, 24);
    await tick();
    const lines = frameLines(t.lastFrame());
    t.unmount();
    expect(lines.find((l) => l.includes('NODE'))?.trim().split(/\s+/)).toEqual(['NODE▲', 'gke-prod-*', 'STATUS', 'CPU', 'MEM', 'LOAD', 'RX/s', 'TX/s']);
  });

  it('cuts in the middle, keeping the distinguishing tail, when even the distinct parts do not fit', () => {
    const names = ['alpha-cluster-node-0001-frontend', 'beta-cluster-node-0002-backend', 'gamma-cluster-node-0003-cache'];
    const fit = fitNames(names, 10);
    const shown = names.map((n) => fit.show(n));
    expect(new Set(shown).size).toBe(3);
    for (const s of shown) expect(s.length).toBeLessThanOrEqual(10);
    expect(shown.every((s) => s.includes('…'))).toBe(true);
    expect(fitNames(['a', 'bb'], 10).show('bb')).toBe('bb');
  });

  it('adds the port to names that several targets on one host share, else the job', () => {
    const nodes: { id: string; name: string; target: string; labels: Record<string, string> }[] = [
      { id: '1', name: '127.0.0.1', target: 'http://127.0.0.1:19555/metrics', labels: {} },
      { id: '2', name: '127.0.0.1', target: 'http://127.0.0.1:1/metrics', labels: {} },
      { id: '3', name: 'vm', target: 'http://vm:9100/metrics', labels: { job: 'node' } },
      { id: '4', name: 'vm', target: 'http://vm:9100/other', labels: { job: 'agent' } },
      { id: '5', name: 'solo', target: 'http://solo:9100/metrics', labels: {} },
    ];
    expect([...distinctNames(nodes)]).toEqual([
      ['1', '127.0.0.1:19555'],
      ['2', '127.0.0.1:1'],
      ['3', 'vm (node)'],
      ['4', 'vm (agent)'],
    ]);
  });

  it('draws targets on one host as distinct rows, with their ports', async () => {
    const targets = ['http://127.0.0.1:19555/metrics', 'http://127.0.0.1:1/metrics', 'http://127.0.0.1:19556/metrics'];
    const rows = await drawnRows(storeOf(['127.0.0.1', '127.0.0.1', '127.0.0.1'], targets), 100, 24);
    expect(rows.map((r) => r.slice(1).trim().split(/\s+/)[0]).sort()).toEqual(['127.0.0.1:1', '127.0.0.1:19555', '127.0.0.1:19556']);
  });

  it('the --once table and its error lines name each target on one host with its port', () => {
    const store = new ClusterStore(4);
    for (const port of [19555, 1]) {
      const target = `http://127.0.0.1:${port}/metrics`;
      store.upsert({ id: target, name: '127.0.0.1', target });
      store.recordDown(target, NOW, { ...UNKNOWN_HEALTH, lastScrapeMs: NOW, lastError: 'connection refused', consecutiveFailures: 1 });
    }
    const table = renderTable(buildSnapshot(store, NOW));
    expect(table).toContain('127.0.0.1:19555: connection refused');
    expect(table).toContain('127.0.0.1:1: connection refused');
    expect(table.split('\n').filter((l) => /^127\.0\.0\.1:\d+\s+DOWN/.test(l))).toHaveLength(2);
  });
});
