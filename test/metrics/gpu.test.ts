import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { GpuReader, gpuMemoryPercent, type GpuFigures } from '../../src/metrics/gpu.js';

/** Captured payloads; test/fixtures/gpu/README.md names the repository and path of each. */
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/gpu/${name}`, import.meta.url), 'utf8');
const T = 1_700_000_000_000;
const MIB = 1_048_576;

function read(text: string, reader = new GpuReader(), at = T): GpuFigures[] | null {
  return reader.read(parseExposition(text).samples, at);
}

describe('GpuReader on dcgm-exporter payloads', () => {
  it('reads the released default counters (CNCF conformance run, an idle L4 on kops)', () => {
    const gpus = read(fixture('dcgm-kops-l4.metrics'))!;
    expect(gpus).toHaveLength(1);
    expect(gpus[0]).toMatchObject({
      key: 'c2f76b33-7953-256e-8f33-1343419b1a1c',
      index: 0,
      uuid: 'GPU-c2f76b33-7953-256e-8f33-1343419b1a1c',
      model: 'NVIDIA L4',
      vendor: 'nvidia',
      host: 'i-030791dc5a37cd257',
      utilizationPercent: 0,
      memoryUtilizationPercent: 0,
      // No total by default: free 22563 + used 0 + reserved 470 MiB.
      memoryUsedBytes: 0,
      memoryTotalBytes: 23033 * MIB,
      temperatureCelsius: 31,
      memoryTemperatureCelsius: 0,
      powerWatts: 16.365,
      powerLimitWatts: null,
      smClockMHz: 210,
      memoryClockMHz: 405,
      encoderPercent: 0,
      decoderPercent: 0,
      xid: null,
      graphicsActivePercent: 0,
      tensorActivePercent: 0,
      dramActivePercent: 0,
      uncorrectableRemappedRows: 0,
      rowRemapFailure: false,
      pod: null,
      processes: null,
      migProfile: null,
    });
    expect(gpus[0]!.memoryTotalBytes).toBe(24_151_851_008);
  });

  it('reads a busy T4 (CNCF conformance run on Ericsson CCD): ratios become percent', () => {
    const [g] = read(fixture('dcgm-ericsson-t4-busy.metrics'))!;
    expect(g).toMatchObject({
      model: 'Tesla T4',
      host: 'cp-bm14r7',
      utilizationPercent: 91,
      memoryUtilizationPercent: 73,
      memoryUsedBytes: 5120 * MIB,
      memoryTotalBytes: 16_104_030_208, // 9791 + 5120 + 447 MiB
      temperatureCelsius: 74,
      powerWatts: 68.244,
      smClockMHz: 660,
      memoryClockMHz: 5000,
    });
    expect(g!.graphicsActivePercent).toBeCloseTo(15.6205, 10);
    expect(g!.tensorActivePercent).toBeCloseTo(0.5822, 10);
    expect(g!.dramActivePercent).toBeCloseTo(9.2781, 10);
    expect(gpuMemoryPercent(g!)).toBeCloseTo((100 * 5120) / 15358, 10);
  });

  it('reads the Datadog fixture: three UUIDs, a power limit, FB_TOTAL, pod labels, and skips unlabelled dummies', () => {
    const gpus = read(fixture('dcgm-datadog-t4.metrics'))!;
    expect(gpus.map((g) => g.key)).toEqual(['20c56d28-0da5-6d26-a36a-e7af1ce2586e', '9ef1b6d0-3643-5dd7-b823-c0ec20dcf2d5', 'abc']);
    const [t4, t4b, a10g] = gpus;
    expect(t4).toMatchObject({ host: '424773df46e0', smClockMHz: 300, memoryClockMHz: 405, temperatureCelsius: 25, powerWatts: 8.969, xid: 0 });
    expect(t4).toMatchObject({ utilizationPercent: 0, memoryUsedBytes: 0, memoryTotalBytes: 15_842_934_784 });
    // FB_TOTAL given, with neither used nor free: the total is known, the use is not.
    expect(t4b).toMatchObject({ powerLimitWatts: 70, memoryTotalBytes: 15109 * MIB, memoryUsedBytes: null, utilizationPercent: null });
    expect(a10g).toMatchObject({ model: 'NVIDIA A10G', pod: { namespace: 'ray-llm', pod: 'ray-1111111', container: 'ray-worker' } });
    expect(a10g!.dramActivePercent).toBeCloseTo(0.0003, 12);
  });

  it('takes the host from `hostname` as dcgm-exporter 4.x writes it (render_metrics.go), as from `Hostname`', () => {
    const newer = fixture('dcgm-kops-l4.metrics').replaceAll('Hostname="', 'hostname="');
    expect(read(newer)![0]!.host).toBe('i-030791dc5a37cd257');
  });

  it('gives power from the energy counter where the payload has no power gauge', () => {
    const text = fixture('dcgm-kops-l4.metrics')
      .split('\n')
      .filter((l) => !l.startsWith('DCGM_FI_DEV_POWER_USAGE'))
      .join('\n');
    const reader = new GpuReader();
    expect(read(text, reader, T)![0]!.powerWatts).toBeNull();
    // 16,365 mJ more one second later: 16.365 W.
    const later = text.replace(/(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION\{[^}]*\}) 4742776/, '$1 4759141');
    expect(read(later, reader, T + 1000)![0]!.powerWatts).toBeCloseTo(16.365, 10);
  });

  it("reads an A100 in MIG mode as NVIDIA's documentation captured it: the whole GPU, and its 1g.5gb slice apart", () => {
    const [whole, slice] = read(fixture('dcgm-nvidia-docs-a100-mig.metrics'))!;
    expect(whole).toMatchObject({
      key: '34319582-d595-d1c7-d1d2-179bcfa61660',
      index: 0,
      uuid: 'GPU-34319582-d595-d1c7-d1d2-179bcfa61660',
      model: null, // no modelName label in that exporter version
      host: 'ub20-a100-k8s',
      migProfile: null,
      memoryUsedBytes: 4845 * MIB,
      memoryTotalBytes: (35690 + 4845) * MIB, // FB_FREE + FB_USED, no reserved field
      temperatureCelsius: 61,
      memoryTemperatureCelsius: 69,
      powerWatts: 409.692,
      smClockMHz: 1215,
      memoryClockMHz: 1215,
      xid: 0,
    });
    expect(whole!.memoryTotalBytes).toBe(42_504_028_160);
    // No DCGM_FI_DEV_GPU_UTIL in MIG mode: the utilisation is the graphics engine's active ratio.
    expect(whole!.utilizationPercent).toBeCloseTo(99.563, 10);
    expect(slice!.utilizationPercent).toBeCloseTo(99.5687, 10);
    expect(whole!.graphicsActivePercent).toBeCloseTo(99.563, 10); // 0.995630
    expect(whole!.tensorActivePercent).toBeCloseTo(92.926, 10); // 0.929260
    expect(whole!.dramActivePercent).toBeCloseTo(69.0789, 10); // 0.690789
    expect(slice).toMatchObject({ key: '34319582-d595-d1c7-d1d2-179bcfa61660/13', index: 0, migProfile: '1g.5gb', migInstance: '13', xid: 0, memoryUsedBytes: null, temperatureCelsius: null });
    expect(slice!.graphicsActivePercent).toBeCloseTo(99.5687, 10); // 0.995687
    expect(slice!.tensorActivePercent).toBeCloseTo(93.0433, 10); // 0.930433
    expect(slice!.dramActivePercent).toBeCloseTo(80.0339, 10); // 0.800339
  });

  it('prefers DCGM_FI_DEV_GPU_UTIL to the graphics engine ratio where a payload has both (the busy T4)', () => {
    const [g] = read(fixture('dcgm-ericsson-t4-busy.metrics'))!;
    expect(g!.utilizationPercent).toBe(91);
    expect(g!.graphicsActivePercent).toBeCloseTo(15.6205, 10);
  });

  it('keeps MIG slices apart by GPU instance, with their profile', () => {
    const line = (id: string, v: number) =>
      `DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-d6dd33b9",device="nvidia0",modelName="NVIDIA A100 80GB PCIe",GPU_I_PROFILE="1g.10gb",GPU_I_ID="${id}",Hostname="della-l01g1"} ${v}`;
    const gpus = read(`${line('7', 40)}\n${line('8', 60)}\n`)!;
    expect(gpus.map((g) => [g.key, g.migProfile, g.migInstance, g.utilizationPercent])).toEqual([
      ['d6dd33b9/7', '1g.10gb', '7', 40],
      ['d6dd33b9/8', '1g.10gb', '8', 60],
    ]);
  });
});

describe('GpuReader on nvidia_gpu_exporter payloads', () => {
  it('converts the H100 under load: ratios, bytes, hertz; names from gpu_info; processes', () => {
    const [g] = read(fixture('nvidia-gpu-exporter-h100-80gb-hbm3-590.48.01-load.metrics'))!;
    expect(g).toMatchObject({
      key: '00000000-0000-0000-0000-000000000000',
      index: 0,
      model: 'NVIDIA H100 80GB HBM3',
      utilizationPercent: 100,
      memoryUsedBytes: 20_780_679_168,
      memoryTotalBytes: 85_520_809_984,
      temperatureCelsius: 59,
      memoryTemperatureCelsius: 54,
      powerWatts: 631.95,
      powerLimitWatts: 700,
      smClockMHz: 1980,
      memoryClockMHz: 2619,
      encoderPercent: 0,
      decoderPercent: 0,
      uncorrectableRemappedRows: 0,
      rowRemapFailure: false,
    });
    expect(g!.memoryUtilizationPercent).toBeCloseTo(11, 10);
    expect(g!.processes).toEqual([
      { pid: 11327, name: '/root/tools/memhog', memoryBytes: 2_690_646_016 },
      { pid: 11328, name: '/root/tools/memhog', memoryBytes: 1_616_904_192 },
      { pid: 11345, name: './gpu_burn', memoryBytes: 16_452_157_440 },
    ]);
  });

  it('shows what an H200 in MIG mode reports and leaves its utilisation unknown', () => {
    const [g] = read(fixture('nvidia-gpu-exporter-h200-mig-590.48.01-load.metrics'))!;
    expect(g).toMatchObject({ model: 'NVIDIA H200', utilizationPercent: null, memoryUsedBytes: 17_782_800_384, memoryTotalBytes: 150_754_820_096 });
    expect(g).toMatchObject({ powerWatts: 295.01, powerLimitWatts: 700, temperatureCelsius: 36, smClockMHz: 1980, memoryClockMHz: 3201 });
    expect(g!.processes).toHaveLength(3);
  });

  it('reads the L40S encoding video: encoder in percent', () => {
    const [g] = read(fixture('nvidia-gpu-exporter-l40s-595.80-load.metrics'))!;
    expect(g).toMatchObject({ model: 'NVIDIA L40S', powerWatts: 110.23, powerLimitWatts: 350, smClockMHz: 2520, memoryClockMHz: 9001 });
    expect(g!.utilizationPercent).toBeCloseTo(9, 10);
    expect(g!.encoderPercent).toBeCloseTo(60, 10);
    expect(g!.processes?.map((p) => [p.pid, p.name, p.memoryBytes])).toEqual([
      [20037, 'ffmpeg', 564_133_888],
      [20038, 'ffmpeg', 714_080_256],
    ]);
  });
});

describe('GpuReader on AMD device-metrics-exporter payloads', () => {
  const amd = fixture('amd-device-metrics-mi300x.metrics');

  it('reads gfx activity, model and host, and a pod only where it has a namespace', () => {
    const gpus = read(amd)!;
    expect(gpus.map((g) => [g.index, g.host, g.model, g.utilizationPercent, g.pod?.pod ?? null])).toEqual([
      [0, 'tw038', 'AMD Instinct MI300X OAM', 100, 'high-utilization-57ls6'],
      [2, 'tw038', 'AMD Instinct MI300X OAM', 0, null],
      // Scraped through Prometheus: pod= is the exporter's own pod, with no namespace.
      [47, 'tw009', 'AMD Instinct MI300X OAM', 0, null],
    ]);
    expect(gpus[0]!.pod).toEqual({ namespace: 'default', pod: 'high-utilization-57ls6', container: 'workload' });
    expect(gpus[0]!.uuid).toBe('3dff74a1-0000-1000-80d3-0c4c1df1df58');
    expect(gpus[0]!.vendor).toBe('amd');
  });

  it('reads the same names behind a configured prefix', () => {
    const prefixed = read(amd.replaceAll('gpu_gfx_activity{', 'amd_gpu_gfx_activity{'))!;
    expect(prefixed.map((g) => g.utilizationPercent)).toEqual([100, 0, 0]);
  });

  it('reads the edge temperature, model series, uuid and host of an MI300X VF (a scrape pasted in ROCm/device-metrics-exporter#171)', () => {
    const [g] = read(fixture('amd-device-metrics-mi300x-vf-edge-temperature.metrics'))!;
    expect(g).toMatchObject({
      key: '17ff74b5-0000-1000-805c-37b0fbe69430',
      index: 0,
      uuid: '17ff74b5-0000-1000-805c-37b0fbe69430',
      model: 'Aqua Vanjaram [Instinct MI300X VF]', // card_model is empty: the card series stands in
      host: 'master-1',
      temperatureCelsius: 0, // a virtual function reports 0
      pod: null, // pod="" and namespace=""
      memoryUsedBytes: null,
    });
  });

  it('takes the system and memory clocks of gpu_clock and no other clock type', () => {
    const gpus = read(fixture('amd-device-metrics-clock-docs.metrics'))!;
    expect(gpus.map((g) => [g.index, g.smClockMHz, g.memoryClockMHz])).toEqual([[0, 132, 900]]);
  });
});

describe('GpuReader on anything else', () => {
  it('has no GPUs (null) for a payload without GPU families, and never fails on partial ones', () => {
    expect(read('node_load1 0.5\n')).toBeNull();
    expect(read('# TYPE DCGM_FI_DEV_GPU_UTIL gauge\nDCGM_FI_DEV_GPU_UTIL 5\n')).toEqual([]);
  });

  it('bounds the GPUs of one payload', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `DCGM_FI_DEV_GPU_UTIL{gpu="${i}",UUID="GPU-${i}"} 1`).join('\n');
    expect(read(lines)).toHaveLength(64);
  });
});
