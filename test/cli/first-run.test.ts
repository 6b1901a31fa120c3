import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { headerLines } from '../../src/ui/render/header.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { liveFrame, summarizeScrapes } from '../../src/ui/model/frame-data.js';
import { clusterTotals } from '../../src/store/cluster-store.js';
import { lineText } from '../../src/ui/render/segments.js';

function io(terminal: { stdout: boolean; stdin: boolean }) {
  const stdout = Object.assign(new PassThrough(), { isTTY: terminal.stdout, columns: 100, rows: 30 }) as unknown as NodeJS.WriteStream;
  let err = '';
  const stderr = new PassThrough();
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, env: {}, stdin: { isTTY: terminal.stdin } }, err: () => err };
}

describe('usage errors a newcomer meets', () => {
  it('-o json without --once on a terminal is a usage error naming the flag', async () => {
    const t = io({ stdout: true, stdin: true });
    expect(await main(['node', 'cluster-top', '-o', 'json', '127.0.0.1:1'], t.io)).toBe(2);
    expect(t.err()).toBe('cluster-top: -o json prints one snapshot: add --once (the interactive view has no JSON)\n');
  });

  it('--history shorter than the interval is a usage error', async () => {
    const t = io({ stdout: false, stdin: false });
    expect(await main(['node', 'cluster-top', '--history', '1s', '-i', '2s', '127.0.0.1:1'], t.io)).toBe(2);
    expect(t.err()).toMatch(/^cluster-top: --history \(1000ms\) must be at least --interval \(2000ms\)/);
  });

  it('says which of stdin and stdout is not a terminal when it prints a snapshot instead', async () => {
    const t = io({ stdout: true, stdin: false });
    await main(['node', 'cluster-top', '-i', '500ms', '--timeout', '200ms', '127.0.0.1:1'], t.io);
    expect(t.err()).toContain('cluster-top: stdin is not a terminal: printing one snapshot (as with --once)\n');
  });
});

describe('the header before anything is scraped', () => {
  const header = (store: ClusterStore) => {
    const frame = liveFrame(store, 0);
    return headerLines({ frame, totals: clusterTotals(frame.nodes), scrapes: summarizeScrapes(frame.nodes), intervalMs: 1000, paused: false, notice: 'Prometheus: connection refused' }, 160).map(lineText).join('\n');
  };

  it('does not say "all ok" when there is no node (a Prometheus that does not answer) or none scraped yet', () => {
    const store = new ClusterStore(4);
    expect(header(store)).toContain('scrape no targets');
    expect(header(store)).not.toContain('all ok');
    store.upsert({ id: 'a', name: 'a', target: 'http://a:9100/metrics' });
    expect(header(store)).toContain('scrape waiting');
  });
});

describe('the --once table on a terminal', () => {
  it('fits the terminal width, dropping the least needed columns first; piped, it is full width', async () => {
    const { renderTable } = await import('../../src/cli/table.js');
    const { buildSnapshot } = await import('../../src/cli/snapshot.js');
    const { makeFigures, upHealth, NOW } = await import('../ui/fixtures.js');
    const store = new ClusterStore(4);
    for (const name of ['gke-prod-default-pool-3f2a9c1e-x7kq', 'gke-prod-default-pool-3f2a9c1e-b2mn']) {
      store.upsert({ id: name, name, target: `http://${name}:9100/metrics` });
      store.record(name, NOW, { name, source: 'node_exporter', figures: makeFigures({ cpu: 50, mem: 40, rx: 1e6, tx: 2e6 }), health: upHealth(NOW) });
    }
    const snapshot = buildSnapshot(store, NOW);
    const full = renderTable(snapshot);
    expect(Math.max(...full.split('\n').map((l) => l.length))).toBeGreaterThan(80);
    const fitted = renderTable(snapshot, 80);
    const lines = fitted.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[0]?.split(/\s{2,}/)).toEqual(expect.arrayContaining(['NAME', 'STATUS', 'CPU', 'MEM', 'LOAD1', 'NET RX']));
    expect(lines[0]).not.toContain('CORES');
    expect(fitted).toContain('gke-prod-default-pool-3f2a9c1e-x7kq');
  });
});
