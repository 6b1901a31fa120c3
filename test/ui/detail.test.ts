import { describe, expect, it } from 'vitest';
import { chartLines, fillGaps } from '../../src/ui/render/charts.js';
import { coreLines } from '../../src/ui/render/core-grid.js';
import { detailLines } from '../../src/ui/render/detail-lines.js';
import { lineText, lineWidth } from '../../src/ui/render/segments.js';
import { buildStore, makeFigures, NOW, upHealth } from './fixtures.js';

describe('chartLines', () => {
  const label = (v: number): string => `${Math.round(v)}%`;

  it('is exactly height lines of exactly width cells', () => {
    for (const [width, height] of [[30, 5], [61, 9], [12, 3]] as const) {
      const lines = chartLines([{ values: [10, 50, 90, 20], tone: 'green' }], { width, height, label, labelWidth: 4, max: 100 });
      expect(lines).toHaveLength(height);
      for (const line of lines) expect(lineWidth(line)).toBe(width);
    }
  });

  it('draws two series in their own colors', () => {
    const lines = chartLines(
      [
        { values: [100, 100, 100], tone: 'cyan' },
        { values: [0, 0, 0], tone: 'magenta' },
      ],
      { width: 20, height: 4, label, labelWidth: 4 },
    );
    const colors = new Set(lines.flat().map((s) => s.color));
    expect(colors).toContain('cyan');
    expect(colors).toContain('magenta');
  });

  it('says "no data yet" for an empty or all-NaN series instead of failing', () => {
    const lines = chartLines([{ values: [NaN, NaN], tone: 'green' }], { width: 30, height: 4, label, labelWidth: 4 });
    expect(lineText(lines[0] ?? [])).toContain('no data yet');
    expect(lines).toHaveLength(4);
  });

  it('gives blank lines when there is no room for a plot', () => {
    expect(chartLines([{ values: [1, 2], tone: 'green' }], { width: 5, height: 3, label, labelWidth: 4 }).map(lineText)).toEqual([
      '     ',
      '     ',
      '     ',
    ]);
  });
});

describe('fillGaps', () => {
  it('cuts leading gaps, holds the last value over inner gaps, keeps series aligned', () => {
    expect(fillGaps([[NaN, 1, NaN, 3], [NaN, NaN, 5, 6]])).toEqual([
      [1, 1, 3],
      [5, 5, 6],
    ]);
  });
});

describe('coreLines', () => {
  const cores = Array.from({ length: 64 }, (_, i) => i % 101);

  it('labels every core when the budget allows', () => {
    const text = coreLines(cores, 100, 20).map(lineText).join('\n');
    for (let i = 0; i < 64; i++) expect(text).toContain(`C${i} `);
  });

  it('shrinks the bars, then says how many cores are hidden, within the budget and width', () => {
    for (const [width, budget] of [[100, 20], [100, 4], [60, 3], [40, 1]] as const) {
      const lines = coreLines(cores, width, budget);
      expect(lines.length).toBeLessThanOrEqual(budget);
      for (const line of lines) expect(lineWidth(line)).toBe(width);
    }
    expect(coreLines(cores, 40, 1).map(lineText).join('')).toMatch(/\+\d+ more/);
  });
});

describe('detailLines', () => {
  const store = buildStore(40);
  const node = store.nodes()[0];
  if (!node) throw new Error('fixture has nodes');

  it('never exceeds the height or the width', () => {
    for (const width of [40, 60, 80, 100, 160]) {
      for (let height = 0; height <= 40; height++) {
        const lines = detailLines(node, width, height, NOW);
        expect(lines.length).toBeLessThanOrEqual(height);
        for (const line of lines) expect(lineWidth(line)).toBe(width);
      }
    }
  });

  it('shows the node, its cores, figures, scrape and charts when there is room', () => {
    const text = detailLines(node, 100, 30, NOW).map(lineText).join('\n');
    expect(text).toContain('alpha');
    expect(text).toMatch(/C0 .*C1 .*C2 .*C3 /);
    expect(text).toContain('Load 0.80 1.00 0.50');
    expect(text).toContain('Swap');
    expect(text).toContain('Root fs 40.0 GiB / 100 GiB');
    expect(text).toContain('Uptime 3d 4h');
    expect(text).toContain('Target http://alpha:9100/metrics');
    expect(text).toContain('Samples 1234');
    expect(text).toMatch(/CPU .*Memory/);
    expect(text).toMatch(/Network .*Disk/);
    expect(text).toContain('┤');
  });

  it('drops the charts on a small terminal but keeps the cores', () => {
    const text = detailLines(node, 60, 8, NOW).map(lineText).join('\n');
    expect(text).toContain('C0');
    expect(text).not.toContain('┤');
  });

  it('explains a down node: its error and when it was last up', () => {
    const down = store.nodes().find((n) => n.name === 'delta');
    if (!down) throw new Error('fixture has delta');
    const text = detailLines(down, 100, 20, NOW).map(lineText).join('\n');
    expect(text).toContain('DOWN 12s');
    expect(text).toContain('Error connection refused');
    expect(text).toContain('Last success 12s ago');
  });

  it('copes with a source without per-core figures', () => {
    const figures = { ...makeFigures({ cpu: 10, mem: 10 }), cpu: { cores: 2, usagePercent: 10, perCoreUsagePercent: null } };
    const text = detailLines({ ...node, figures, health: upHealth(NOW) }, 80, 20, NOW).map(lineText).join('\n');
    expect(text).toContain('no per-core figures');
  });
});

describe('the per-core grid on a wide or tall terminal', () => {
  const bar = (line: string | undefined): number => /^C0 +([█▏▎▍▌▋▊▉·]+) /.exec(line ?? '')?.[1]?.length ?? 0;

  it('takes the longest bars the line budget allows: four cores at 200 columns fill one line', () => {
    const wide = coreLines([10, 20, 30, 40], 200, 1).map(lineText);
    expect(wide).toHaveLength(1);
    expect(bar(wide[0])).toBe(24);
    const narrow = coreLines([10, 20, 30, 40], 100, 1).map(lineText);
    expect(narrow).toHaveLength(1);
    expect(bar(narrow[0])).toBe(10);
    // One more line in the budget, and the bars are as long as at 200 columns.
    const taller = coreLines([10, 20, 30, 40], 100, 2).map(lineText);
    expect(taller).toHaveLength(2);
    expect(bar(taller[0])).toBe(24);
  });

  it("grows in lines, not only in bar length, on a tall node detail; a short one keeps the charts' room", () => {
    const base = buildStore(5).nodes()[0];
    if (!base) throw new Error('fixture has nodes');
    const node = { ...base, figures: makeFigures({ cpu: 30, mem: 40, cores: 16 }) };
    const grid = (width: number, height: number) => detailLines(node, width, height, NOW).map(lineText).filter((l) => /^C\d+ /.test(l));
    for (const width of [120, 200]) {
      const short = grid(width, 20);
      const tall = grid(width, 56);
      expect(tall.length).toBeGreaterThan(short.length);
      expect(bar(tall[0])).toBe(24);
      expect(bar(short[0])).toBeLessThan(24);
      // Every core is there either way.
      for (const lines of [short, tall]) for (let c = 0; c < 16; c++) expect(lines.join(' ')).toMatch(new RegExp(`\\bC${c} `));
    }
  });
});
