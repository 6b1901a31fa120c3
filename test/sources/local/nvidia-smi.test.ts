/**
 * nvidia-smi on PATH: a fake `nvidia-smi` that prints the outputs captured on real machines
 * (test/fixtures/gpu/nvidia-smi-*.csv, from nvidia_gpu_exporter's captures) for exactly the two
 * queries cluster-top asks, and fails for anything else. The local source and the agent read it;
 * the agent serves it in dcgm-exporter's names, which the one GPU reader reads back.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgentServer } from '../../../src/agent/agent-server.js';
import { parseExposition } from '../../../src/exposition/parser.js';
import { GpuReader } from '../../../src/metrics/gpu.js';
import { LocalSource, LOCAL_ID } from '../../../src/sources/local/local-source.js';
import { NvidiaSmi, parseApps, parseGpus } from '../../../src/sources/local/nvidia-smi.js';
import { thisMachineReader } from '../../../src/sources/local/readers.js';
import { fakeNvidiaSmi } from '../../helpers/fake-nvidia-smi.js';
import { tempDir } from '../../helpers/temp-dir.js';

const fixture = (name: string) => new URL(`../../fixtures/gpu/${name}`, import.meta.url);
const PATH = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH;
});

/** A fake nvidia-smi for one captured machine, first on PATH. */
function fakeNvidiaSmiOf(gpu: string): void {
  const read = (kind: string): string => readFileSync(fixture(`nvidia-smi-${gpu}-load.${kind}.csv`), 'utf8');
  process.env.PATH = `${fakeNvidiaSmi(read('gpu'), read('apps'))}:${PATH ?? ''}`;
}

describe('nvidia-smi', () => {
  it('parses the captured H100 answers, [N/A] as unknown', () => {
    const [h100] = parseGpus('0, GPU-00000000-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3, 100, 11, 81559, 19818, 59, 631.95, 700.00, 1980\n');
    expect(h100).toMatchObject({ index: '0', name: 'NVIDIA H100 80GB HBM3', utilization: 100, memoryTotalMiB: 81559, memoryUsedMiB: 19818, powerDraw: 631.95, powerLimit: 700, smClock: 1980 });
    const [mig] = parseGpus('0, GPU-0, NVIDIA H200, [N/A], [N/A], 143771, 16959, 36, 295.01, 700.00, 1980\n');
    expect(mig!.utilization).toBeNaN();
    expect(parseApps('GPU-0, 11345, ./gpu_burn, 15690\nGPU-0, 7, /opt/a,b, 2\n')).toEqual([
      { gpuUuid: 'GPU-0', pid: 11345, name: './gpu_burn', usedMiB: 15690 },
      { gpuUuid: 'GPU-0', pid: 7, name: '/opt/a,b', usedMiB: 2 },
    ]);
  });

  it('gives the local source its GPUs and processes, from the fake nvidia-smi on PATH', async () => {
    fakeNvidiaSmiOf('h100-80gb-hbm3');
    const source = new LocalSource({ intervalMs: 100, historyPoints: 5 });
    await source.collectOnce();
    await source.stop();
    const [g] = source.store.get(LOCAL_ID)!.gpus!.gpus.map((e) => e.figures);
    expect(g).toMatchObject({
      index: 0,
      uuid: 'GPU-00000000-0000-0000-0000-000000000000',
      model: 'NVIDIA H100 80GB HBM3',
      utilizationPercent: 100,
      memoryUtilizationPercent: 11,
      memoryUsedBytes: 19818 * 1_048_576,
      memoryTotalBytes: 81559 * 1_048_576,
      temperatureCelsius: 59,
      powerWatts: 631.95,
      powerLimitWatts: 700,
      smClockMHz: 1980,
    });
    expect(g!.processes?.map((p) => [p.pid, p.name, p.memoryBytes])).toEqual([
      [11327, '/root/tools/memhog', 2566 * 1_048_576],
      [11328, '/root/tools/memhog', 1542 * 1_048_576],
      [11345, './gpu_burn', 15690 * 1_048_576],
    ]);
  });

  it("serves them from the agent in dcgm-exporter's names, and the MIG H200's unknown utilisation as no sample", async () => {
    fakeNvidiaSmiOf('h200-mig');
    const agent = await startAgentServer({ host: '127.0.0.1', port: 0, reader: thisMachineReader() });
    try {
      const text = await (await fetch(agent.url)).text();
      expect(text).toMatch(/^DCGM_FI_DEV_FB_USED\{gpu="0",UUID="GPU-00000000-0000-0000-0000-000000000000",modelName="NVIDIA H200",Hostname="[^"]*"\} 16959$/m);
      expect(text).not.toContain('DCGM_FI_DEV_GPU_UTIL');
      expect(text).toContain('node_cpu_seconds_total');
      const [g] = new GpuReader().read(parseExposition(text).samples, 0)!;
      expect(g).toMatchObject({ model: 'NVIDIA H200', utilizationPercent: null, memoryTotalBytes: 143771 * 1_048_576, powerWatts: 295.01, temperatureCelsius: 36 });
      expect(g!.processes).toHaveLength(3);
    } finally {
      await agent.close();
    }
  });

  it('is asked no more once it is not on PATH, and the machine has no GPUs', async () => {
    process.env.PATH = tempDir('empty-path');
    const smi = new NvidiaSmi();
    expect(await smi.read()).toBeNull();
    const source = new LocalSource({ intervalMs: 100, historyPoints: 5 });
    await source.collectOnce();
    await source.stop();
    expect(source.store.get(LOCAL_ID)!.gpus).toBeNull();
  });
});
