import { describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/app.js';
import { buildStore, FRAME_WAIT, frameLines, makeFigures, NODES, NOW, tick, upHealth } from './fixtures.js';
import { renderSized } from './terminal.js';

async function screen(columns: number, rows: number, keys: string[] = []): Promise<string[]> {
  const t = renderSized(<App store={buildStore(40)} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} />, columns, rows);
  await tick();
  for (const k of keys) {
    t.stdin.write(k);
    await tick();
  }
  const lines = frameLines(t.lastFrame());
  t.unmount();
  return lines;
}

describe('a large terminal is used', () => {
  it('at 200x60 the table view has the cluster panel: CPU, memory, network and disk history above the table', async () => {
    const lines = await screen(200, 60);
    const text = lines.join('\n');
    for (const title of ['Cluster CPU', 'Cluster Memory', 'Cluster Network', 'Cluster Disk']) expect(text).toContain(title);
    const title = lines.findIndex((l) => /^ NODE/.test(l));
    expect(title).toBeGreaterThan(lines.findIndex((l) => l.includes('Cluster CPU')));
    // Nothing left blank: the panel takes the room a short table leaves.
    expect(lines.length).toBeGreaterThanOrEqual(58);
    expect(lines.filter((l) => l.trim() === '').length).toBeLessThan(8);
  });

  it('at 80x24 there is no panel: the rows keep the room', async () => {
    const lines = await screen(80, 24);
    expect(lines.join('\n')).not.toContain('Cluster CPU');
  });

  it("at 200x60 a node's detail charts grow to fill the height", async () => {
    const lines = await screen(200, 60, ['\r']);
    expect(lines.join('\n')).toContain('Network');
    expect(lines.length).toBeGreaterThanOrEqual(58);
    const blankRun = lines.reduce((acc, l) => (l.trim() === '' ? { run: acc.run + 1, max: Math.max(acc.max, acc.run + 1) } : { run: 0, max: acc.max }), { run: 0, max: 0 });
    expect(blankRun.max).toBeLessThan(4);
  });

  it('the cluster panel follows the cluster history: a new point is drawn at the next frame', async () => {
    const store = buildStore(40);
    let now = NOW;
    const t = renderSized(<App store={store} intervalMs={1000} frameMs={50} onQuit={vi.fn()} now={() => now} color={false} />, 200, 60);
    const cpuTitle = () => /Cluster CPU {2}used ([\d.]+%)/.exec(t.lastFrame() ?? '')?.[1];
    await expect.poll(cpuTitle, FRAME_WAIT).toBeDefined();
    const before = cpuTitle();
    now = NOW + 1000;
    for (const n of NODES) {
      if (!n.figures) continue;
      const id = `http://${n.name}:9100/metrics`;
      store.record(id, now, { name: n.name, source: 'node_exporter', figures: makeFigures({ ...n.figures, cpu: 97 }), health: upHealth(now) });
    }
    store.appendClusterPoint(now);
    await expect.poll(cpuTitle, FRAME_WAIT).toBe('97.0%');
    expect(before).not.toBe('97.0%');
    t.unmount();
  });
});

