import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { buildStore, frameLines, NOW, tick, type FigureOptions } from './fixtures.js';
import { renderSized, type SizedRender } from './terminal.js';

let current: SizedRender | undefined;
afterEach(() => current?.unmount());

function mount(columns: number, rows: number, nodes?: readonly { name: string; figures?: FigureOptions }[]): SizedRender {
  const store = buildStore(30, nodes);
  current = renderSized(<App store={store} intervalMs={1000} onQuit={() => {}} now={() => NOW} color={false} />, columns, rows);
  return current;
}

function expectFits(frame: string | undefined, columns: number, rows: number): void {
  const lines = frameLines(frame);
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
}

const MANY = Array.from({ length: 500 }, (_, i) => ({ name: `worker-${i}`, figures: { cpu: (i * 7) % 100, mem: (i * 13) % 100 } }));

describe('App at small sizes', () => {
  for (const [columns, rows] of [[60, 15], [80, 24], [100, 30]] as const) {
    it(`fits ${columns}x${rows} in the table, the detail and the help`, async () => {
      const t = mount(columns, rows, MANY);
      await tick();
      expectFits(t.lastFrame(), columns, rows);
      expect(frameLines(t.lastFrame())).toHaveLength(rows - 1);
      t.stdin.write('\r');
      await tick();
      expect(t.lastFrame()).toContain('C0');
      expectFits(t.lastFrame(), columns, rows);
      t.stdin.write('?');
      await tick();
      expect(t.lastFrame()).toContain('Keys');
      expectFits(t.lastFrame(), columns, rows);
    });
  }

  it('drops columns on narrow terminals: 60 keeps name, status, CPU, memory and load', async () => {
    const t = mount(60, 15);
    await tick();
    const title = frameLines(t.lastFrame()).find((l) => l.includes('NODE')) ?? '';
    expect(title.split(/\s+/).filter(Boolean)).toEqual(['NODE▲', 'STATUS', 'CPU', 'MEM', 'LOAD']);
  });

  it('shows only the rows that fit and pages through a large cluster', async () => {
    const t = mount(80, 24, MANY);
    await tick();
    const rowsShown = frameLines(t.lastFrame()).filter((l) => /^[ >]worker-/.test(l));
    expect(rowsShown).toHaveLength(18);
    t.stdin.write('\u001B[6~');
    await tick();
    expect(frameLines(t.lastFrame()).find((l) => l.startsWith('>'))).toMatch(/^>worker-18 /);
    t.stdin.write('G');
    await tick();
    expect(t.lastFrame()).toContain('>worker-499');
    expectFits(t.lastFrame(), 80, 24);
  });

  it('follows a resize', async () => {
    const t = mount(120, 30);
    await tick();
    expect(t.lastFrame()).toContain('UPTIME');
    t.stdout.resize(60, 15);
    await tick();
    expect(t.lastFrame()).not.toContain('UPTIME');
    expectFits(t.lastFrame(), 60, 15);
  });
});
