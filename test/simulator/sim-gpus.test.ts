import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { GpuReader } from '../../src/metrics/gpu.js';
import { makeClusterSpecs, makeDemoSpecs } from '../../src/simulator/sim-cluster.js';
import { SimNode } from '../../src/simulator/sim-node.js';
import { NODE_VIEW_COLLECTORS } from '../../src/metrics/collector-narrowing.js';

const START = Date.UTC(2026, 0, 5, 9);

function gpusAt(name: string, offsetS: number, collectors?: string[]) {
  const spec = makeDemoSpecs(24, 1).find((s) => s.name === name)!;
  const node = new SimNode({ ...spec, clusterStartMs: START, bootTimeMs: START - 3_600_000 });
  return new GpuReader().read(parseExposition(node.render(START + offsetS * 1000, collectors)).samples, START)!;
}

describe("the demo's GPU pool", () => {
  it('is four 8-GPU nodes within the n asked for, the rest the cluster makeClusterSpecs(n − 4) makes', () => {
    const specs = makeDemoSpecs(24, 1);
    expect(specs).toHaveLength(24);
    expect(specs.filter((s) => s.gpus).map((s) => [s.name, s.gpus!.scenario])).toEqual([
      ['dgx-a100-01', 'training'],
      ['dgx-a100-02', 'idle-allocated'],
      ['dgx-a100-03', 'hot'],
      ['dgx-a100-04', 'xid'],
    ]);
    expect(specs.filter((s) => !s.gpus).map((s) => s.name)).toEqual(makeClusterSpecs(20, 1).map((s) => s.name));
    expect(makeDemoSpecs(8, 1).some((s) => s.gpus)).toBe(false);
  });

  it("serves dcgm-exporter's families, which the GPU reader reads as one training job, an idle allotment, a hot GPU and an XID", () => {
    const training = gpusAt('dgx-a100-01', 60);
    expect(training).toHaveLength(8);
    for (const g of training) {
      expect(g.utilizationPercent).toBeGreaterThanOrEqual(89);
      expect(g.pod).toEqual({ namespace: 'ml-research', pod: 'llama-finetune-0', container: 'trainer' });
      expect(g.memoryTotalBytes).toBe(81_920 * 1_048_576);
      expect(g.model).toBe('NVIDIA A100-SXM4-80GB');
      expect(g.host).toBe('dgx-a100-01');
    }
    const idle = gpusAt('dgx-a100-02', 60);
    expect(idle.every((g) => g.utilizationPercent! < 5 && g.pod !== null)).toBe(true);
    expect(gpusAt('dgx-a100-03', 60).filter((g) => g.temperatureCelsius! >= 85).map((g) => g.index)).toEqual([3]);
    expect(gpusAt('dgx-a100-04', 60).filter((g) => g.xid !== 0).map((g) => [g.index, g.xid])).toEqual([[5, 79]]);
  });

  it('keeps the GPU families in a narrowed payload, as they belong to no collector', () => {
    expect(gpusAt('dgx-a100-01', 60, [...NODE_VIEW_COLLECTORS.filter((c) => c !== 'boottime')])).toHaveLength(8);
  });
});
