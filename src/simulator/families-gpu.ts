/**
 * A simulated GPU node's GPUs as dcgm-exporter 3.x serves them, in the same payload as its node
 * families (the shape `cluster-top agent` serves). Families, HELP texts and label sets are those
 * of the captured payloads in test/fixtures/gpu (dcgm-kops-l4.metrics: gpu, UUID, pci_bus_id,
 * device, modelName, Hostname, DCGM_FI_DRIVER_VERSION; the Kubernetes mapping's pod, namespace and
 * container on an allotted GPU, as in dcgm-datadog-t4.metrics). Values follow the scenario, from
 * the node's clock, so the same seed shows the same GPUs at the same time since the start.
 */
import type { NodeModel, SimGpuSpec } from './node-model.js';
import type { PayloadBuilder } from './payload-template.js';
import { hash32 } from './random.js';

const DRIVER = '580.105.08';
/** What dcgm-exporter reserves of an 80 GB card (an L4 of 23 GB shows 470 MiB). */
const RESERVED_MIB = 1_590;

interface Gpu {
  readonly index: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly phase: number;
  readonly util: (t: number) => number;
  readonly memoryShare: number;
  readonly hot: boolean;
  readonly xid: number;
}

function uuid(seed: number, index: number): string {
  const h = (k: number) => hash32(seed, index * 16 + k).toString(16).padStart(8, '0');
  const a = h(1);
  const b = h(2);
  const c = h(3);
  return `GPU-${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${h(4).slice(0, 4)}`;
}

const wave = (t: number, period: number, phase: number): number => Math.sin((2 * Math.PI * t) / period + phase);

function gpusOf(spec: SimGpuSpec, host: string, seed: number): Gpu[] {
  const out: Gpu[] = [];
  for (let index = 0; index < spec.count; index++) {
    const phase = (hash32(seed, 0x6b0 + index) % 6283) / 1000;
    const base: Record<string, string> = {
      gpu: String(index),
      UUID: uuid(seed, index),
      pci_bus_id: `00000000:${(0x18 + index * 0x11).toString(16).toUpperCase().padStart(2, '0')}:00.0`,
      device: `nvidia${index}`,
      modelName: spec.model,
      Hostname: host,
      DCGM_FI_DRIVER_VERSION: DRIVER,
    };
    const job = (pod: string) => ({ ...base, container: 'trainer', namespace: 'ml-research', pod });
    switch (spec.scenario) {
      case 'training':
        // One job on all eight: near 95 %, dipping at each checkpoint.
        out.push({ index, labels: job('llama-finetune-0'), phase, util: (t) => 93 + 4 * wave(t, 37, phase) - (t % 300 < 12 ? 60 : 0), memoryShare: 0.91, hot: false, xid: 0 });
        break;
      case 'idle-allocated':
        // Held by a notebook nobody runs: the waste the idle count is for.
        out.push({ index, labels: job(`notebook-${index < 4 ? 'alice' : 'bob'}-0`), phase, util: (t) => Math.max(0, 1 + wave(t, 53, phase)), memoryShare: 0.18, hot: false, xid: 0 });
        break;
      case 'hot':
        out.push({ index, labels: job('sweep-lr-3'), phase, util: (t) => 70 + 20 * wave(t, 61, phase), memoryShare: 0.6, hot: index === 3, xid: 0 });
        break;
      case 'xid':
        // GPU 5 fell off the bus (XID 79): the rest go on.
        out.push({ index, labels: job('eval-suite-7'), phase, util: (t) => (index === 5 ? 0 : 55 + 25 * wave(t, 41, phase)), memoryShare: index === 5 ? 0 : 0.5, hot: false, xid: index === 5 ? 79 : 0 });
        break;
      case 'free':
        out.push({ index, labels: base, phase, util: () => 0, memoryShare: 0, hot: false, xid: 0 });
        break;
    }
  }
  return out;
}

export function addGpuFamilies(b: PayloadBuilder, m: NodeModel, spec: SimGpuSpec, host: string): void {
  const f = m.frame;
  const gpus = gpusOf(spec, host, m.spec.seed);
  const clamp = (v: number) => Math.min(100, Math.max(0, v));
  const util = (g: Gpu) => Math.round(clamp(g.util(f.up)));
  const usedMiB = (g: Gpu) => Math.round((spec.memoryMiB - RESERVED_MIB) * g.memoryShare * (0.97 + 0.03 * wave(f.up, 113, g.phase)));
  const power = (g: Gpu) => Math.round((60 + (spec.powerLimitW - 60) * 0.92 * (util(g) / 100)) * 1000) / 1000;
  const temp = (g: Gpu) => (g.hot ? 88 + Math.round(2 * wave(f.up, 29, g.phase)) : 30 + Math.round((util(g) / 100) * 38));
  const gauge = (name: string, help: string, value: (g: Gpu) => number) => {
    const family = b.family(name, 'gauge', help);
    for (const g of gpus) family.add(() => value(g), g.labels);
  };
  gauge('DCGM_FI_DEV_SM_CLOCK', 'SM clock frequency (in MHz).', (g) => (util(g) > 5 ? 1410 : 210));
  gauge('DCGM_FI_DEV_MEM_CLOCK', 'Memory clock frequency (in MHz).', () => 1593);
  gauge('DCGM_FI_DEV_MEMORY_TEMP', 'Memory temperature (in C).', (g) => temp(g) + 4);
  gauge('DCGM_FI_DEV_GPU_TEMP', 'GPU temperature (in C).', temp);
  gauge('DCGM_FI_DEV_POWER_USAGE', 'Power draw (in W).', power);
  const energy = b.family('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'counter', 'Total energy consumption since boot (in mJ).');
  // Power integrated as if steady since boot: a counter that only grows, at about the right slope.
  for (const g of gpus) energy.add(() => Math.floor(power(g) * f.up * 1000), g.labels);
  gauge('DCGM_FI_DEV_GPU_UTIL', 'GPU utilization (in %).', util);
  gauge('DCGM_FI_DEV_MEM_COPY_UTIL', 'Memory utilization (in %).', (g) => Math.round(util(g) * 0.4));
  gauge('DCGM_FI_DEV_ENC_UTIL', 'Encoder utilization (in %).', () => 0);
  gauge('DCGM_FI_DEV_DEC_UTIL', 'Decoder utilization (in %).', () => 0);
  gauge('DCGM_FI_DEV_XID_ERRORS', 'Value of the last XID error encountered.', (g) => g.xid);
  gauge('DCGM_FI_DEV_FB_FREE', 'Framebuffer memory free (in MiB).', (g) => spec.memoryMiB - RESERVED_MIB - usedMiB(g));
  gauge('DCGM_FI_DEV_FB_USED', 'Framebuffer memory used (in MiB).', usedMiB);
  gauge('DCGM_FI_DEV_FB_RESERVED', 'Framebuffer memory reserved (in MiB).', () => RESERVED_MIB);
  gauge('DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'Ratio of time the graphics engine is active.', (g) => util(g) / 100);
  gauge('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'Ratio of cycles the tensor (HMMA) pipe is active.', (g) => Math.round(util(g) * 0.45) / 100);
  gauge('DCGM_FI_PROF_DRAM_ACTIVE', 'Ratio of cycles the device memory interface is active sending or receiving data.', (g) => Math.round(util(g) * 0.3) / 100);
  gauge('DCGM_FI_DEV_ROW_REMAP_FAILURE', 'Whether remapping of rows has failed', () => 0);
  const rows = b.family('DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 'counter', 'Number of remapped rows for uncorrectable errors');
  for (const g of gpus) rows.add(0, g.labels);
}
