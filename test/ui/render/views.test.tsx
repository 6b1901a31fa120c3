import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { chooseColumns } from '../../../src/ui/model/columns.js';
import { defaultSort, sortNodes } from '../../../src/ui/model/table-model.js';
import { nodeTableLines } from '../../../src/ui/render/views.js';
import { Lines } from '../../../src/ui/render/line.js';
import { buildStore, frameLines, NOW, tick } from '../fixtures.js';

afterEach(() => cleanup());

describe('NodeTable', () => {
  const rows = sortNodes(buildStore(20).nodes(), defaultSort('name'));

  for (const width of [60, 80]) {
    it(`fits ${width} columns exactly and drops what does not fit`, async () => {
      const { lastFrame } = render(
        <Lines lines={nodeTableLines({ rows, columns: chooseColumns(width), selectedId: 'http://bravo:9100/metrics', sort: defaultSort('cpu'), nowMs: NOW, width, height: 6 })} color={false} />,
      );
      await tick();
      const lines = frameLines(lastFrame());
      expect(lines).toHaveLength(6);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      expect(lines[0]).toContain('CPU▼');
      expect(lines[0]).not.toContain('CPU HIST');
      expect(lines[0]).not.toContain('UPTIME');
      expect(lines.find((l) => l.startsWith('>'))).toContain('bravo');
    });
  }

  it('draws the title and at most height - 1 rows', async () => {
    const { lastFrame } = render(
      <Lines lines={nodeTableLines({ rows: rows.slice(2), columns: chooseColumns(100), selectedId: undefined, sort: defaultSort('name'), nowMs: NOW, width: 100, height: 3 })} color={false} />,
    );
    await tick();
    const lines = frameLines(lastFrame());
    expect(lines.map((l) => l.trim().split(/\s+/)[0])).toEqual(['NODE▲', 'charlie', 'delta']);
  });
});
