import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { headerLines } from '../../src/ui/header.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { liveFrame, summarizeScrapes } from '../../src/ui/frame-data.js';
import { clusterTotals } from '../../src/store/cluster-store.js';
import { lineText } from '../../src/ui/segments.js';

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
