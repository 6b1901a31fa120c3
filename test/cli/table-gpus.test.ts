/** The `--once` table with GPU nodes: their count, mean utilisation and memory beside the node's own figures. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/cli/table.js';
import { buildSnapshot } from '../../src/cli/snapshot.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { GpuReader, type GpuFigures } from '../../src/metrics/gpu.js';
import { buildStore, NOW } from '../ui/fixtures.js';

const gpusOf = (name: string): GpuFigures[] =>
  new GpuReader().read(parseExposition(readFileSync(new URL(`../fixtures/gpu/${name}`, import.meta.url), 'utf8')).samples, NOW)!;

describe('the --once table with GPUs', () => {
  it('has GPUS, GPU and GPU MEM columns after memory, with - for nodes without', () => {
    const store = buildStore(3);
    const [t4] = gpusOf('dcgm-ericsson-t4-busy.metrics');
    const [l4] = gpusOf('dcgm-kops-l4.metrics');
    store.recordGpus('http://alpha:9100/metrics', NOW, [t4!, { ...l4!, index: 1 }]);
    const lines = renderTable(buildSnapshot(store, NOW)).split('\n');
    const title = lines[0]!.split(/\s{2,}/);
    expect(title.slice(title.indexOf('MEM USED') + 1, title.indexOf('MEM USED') + 4)).toEqual(['GPUS', 'GPU', 'GPU MEM']);
    const meanUtil = ((t4!.utilizationPercent ?? 0) + (l4!.utilizationPercent ?? 0)) / 2;
    const alpha = lines.find((l) => l.startsWith('alpha'))!;
    expect(alpha).toMatch(new RegExp(`\\s2\\s+${meanUtil.toFixed(1).replace('.', '\\.')}%\\s`));
    const bravo = lines.find((l) => l.startsWith('bravo'))!;
    expect(bravo).toMatch(/\s-\s+-\s+-\s/);
  });

  it('has no GPU columns when no node has GPUs', () => {
    expect(renderTable(buildSnapshot(buildStore(3), NOW)).split('\n')[0]).not.toContain('GPU');
  });
});
