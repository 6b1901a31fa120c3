import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../../src/exposition/parser.js';
import { GpuReader } from '../../../src/metrics/gpu.js';
import { detailLines } from '../../../src/ui/render/detail-lines.js';
import { gpuLines } from '../../../src/ui/render/gpu-lines.js';
import { lineText, lineWidth } from '../../../src/ui/render/segments.js';
import { buildStore, NOW } from '../fixtures.js';

/** An 8-GPU node of 128 cores (a DGX), its GPUs the captured H100 under load. */
function dgx() {
  const store = buildStore(5);
  const [h100] = new GpuReader().read(parseExposition(readFileSync(new URL('../../fixtures/gpu/nvidia-gpu-exporter-h100-80gb-hbm3-590.48.01-load.metrics', import.meta.url), 'utf8')).samples, NOW)!;
  const eight = Array.from({ length: 8 }, (_, i) => ({ ...h100!, index: i, key: `k${i}`, processes: null }));
  const node = store.nodes()[0]!;
  store.recordGpus(node.id, NOW, eight);
  const withGpus = store.get(node.id)!;
  const cpu = withGpus.figures.cpu!;
  return { ...withGpus, figures: { ...withGpus.figures, cpu: { ...cpu, perCoreUsagePercent: Array.from({ length: 128 }, (_, i) => i % 100) } } };
}

describe('the GPU pane in the detail', () => {
  it('fills a small terminal: with no room left for a row of charts, the core grid takes it', () => {
    const node = dgx();
    for (const height of [16, 18, 20, 24]) {
      const text = detailLines(node, 80, height, NOW).map(lineText);
      expect(text, `height ${height}`).toHaveLength(height);
      expect(text.filter((l) => l.trim() === ''), `height ${height}:\n${text.join('\n')}`).toEqual([]);
    }
  });

  it('is never wider than asked, at 80 and 200 columns', () => {
    const node = dgx();
    for (const width of [40, 80, 200]) for (const l of gpuLines(node.gpus, width, 20)) expect(lineWidth(l)).toBe(width);
  });
});
