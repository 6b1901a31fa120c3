/**
 * This machine's NVIDIA GPUs from `nvidia-smi`, where it is on PATH: the two CSV queries below,
 * turned into dcgm-exporter's families (and nvidia_gpu_exporter's per-process one), so the agent
 * serves them in names Grafana's DCGM dashboards know and the one GPU reader (metrics/gpu.ts)
 * reads this machine's GPUs as it reads a dcgm-exporter's.
 */
import { execFile } from 'node:child_process';
import type { Labels } from '../../exposition/types.js';
import type { Family } from './family.js';
import type { SmiApp, SmiGpu, SmiReading } from './machine-reading.js';

export const GPU_FIELDS = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'utilization.memory',
  'memory.total',
  'memory.used',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'clocks.current.sm',
] as const;
export const APP_FIELDS = ['gpu_uuid', 'pid', 'process_name', 'used_gpu_memory'] as const;

export const GPU_QUERY = [`--query-gpu=${GPU_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
export const APPS_QUERY = [`--query-compute-apps=${APP_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];

/** nvidia-smi answers in well under a second; a hung driver must not hold a refresh. */
const TIMEOUT_MS = 5_000;
/** 8 GPUs are 1 KB of CSV; a thousand processes 100 KB. */
const MAX_OUTPUT = 1024 * 1024;
/** Rows read at most: a runaway output cannot make thousands of GPUs. */
const MAX_ROWS = 4096;

/** One CSV row of `noheader,nounits` output: ", " between fields (names with commas are rare and lose their tail). */
function rows(text: string, fields: number): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    if (out.length >= MAX_ROWS) break;
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length >= fields) out.push(cells);
  }
  return out;
}

const num = (cell: string | undefined): number => (cell === undefined || cell === '' || cell.startsWith('[') ? NaN : Number(cell));

export function parseGpus(text: string): SmiGpu[] {
  return rows(text, GPU_FIELDS.length).map((c) => ({
    index: c[0]!,
    uuid: c[1]!,
    name: c[2]!,
    utilization: num(c[3]),
    memoryUtilization: num(c[4]),
    memoryTotalMiB: num(c[5]),
    memoryUsedMiB: num(c[6]),
    temperature: num(c[7]),
    powerDraw: num(c[8]),
    powerLimit: num(c[9]),
    smClock: num(c[10]),
  }));
}

export function parseApps(text: string): SmiApp[] {
  return rows(text, APP_FIELDS.length)
    .map((c) => ({ gpuUuid: c[0]!, pid: Number(c[1]), name: c.slice(2, -1).join(','), usedMiB: num(c[c.length - 1]) }))
    .filter((a) => Number.isInteger(a.pid));
}

/**
 * dcgm-exporter's families for the reading, with its label set (gpu, UUID, modelName, Hostname);
 * a field nvidia-smi could not give has no sample. Memory free is total − used, so the reader's
 * total (free + used + reserved) is nvidia-smi's total.
 */
export function gpuFamilies(r: SmiReading, host: string): Family[] {
  const labels = (g: SmiGpu): Labels => ({ gpu: g.index, UUID: g.uuid, modelName: g.name, Hostname: host });
  const gauge = (name: string, help: string, value: (g: SmiGpu) => number): Family => ({
    name,
    help,
    type: 'gauge',
    samples: r.gpus.filter((g) => Number.isFinite(value(g))).map((g) => ({ labels: labels(g), value: value(g) })),
  });
  const families = [
    gauge('DCGM_FI_DEV_GPU_UTIL', 'GPU utilization (in %).', (g) => g.utilization),
    gauge('DCGM_FI_DEV_MEM_COPY_UTIL', 'Memory utilization (in %).', (g) => g.memoryUtilization),
    gauge('DCGM_FI_DEV_FB_USED', 'Framebuffer memory used (in MiB).', (g) => g.memoryUsedMiB),
    gauge('DCGM_FI_DEV_FB_FREE', 'Framebuffer memory free (in MiB).', (g) => g.memoryTotalMiB - g.memoryUsedMiB),
    gauge('DCGM_FI_DEV_GPU_TEMP', 'GPU temperature (in C).', (g) => g.temperature),
    gauge('DCGM_FI_DEV_POWER_USAGE', 'Power draw (in W).', (g) => g.powerDraw),
    gauge('DCGM_FI_DEV_POWER_MGMT_LIMIT', 'Power management limit (in W).', (g) => g.powerLimit),
    gauge('DCGM_FI_DEV_SM_CLOCK', 'SM clock frequency (in MHz).', (g) => g.smClock),
  ];
  const known = new Set(r.gpus.map((g) => g.uuid));
  families.push({
    name: 'nvidia_smi_compute_app_used_memory_bytes',
    help: 'Memory used by the process on the GPU, in bytes (nvidia_gpu_exporter\'s name).',
    type: 'gauge',
    samples: r.apps
      .filter((a) => known.has(a.gpuUuid) && Number.isFinite(a.usedMiB))
      .map((a) => ({ labels: { pid: String(a.pid), process_name: a.name, uuid: a.gpuUuid }, value: a.usedMiB * 1_048_576 })),
  });
  return families.filter((f) => f.samples.length > 0);
}

function run(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('nvidia-smi', args, { timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT, windowsHide: true }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}

/**
 * Runs the two queries. Without nvidia-smi on PATH it answers null, and asks no more: a machine
 * without GPUs pays one failed spawn. A failing nvidia-smi (no driver loaded) answers null too.
 */
export class NvidiaSmi {
  private absent = false;

  async read(): Promise<SmiReading | null> {
    if (this.absent) return null;
    try {
      const [gpus, apps] = await Promise.all([run(GPU_QUERY), run(APPS_QUERY).catch(() => '')]);
      return { gpus: parseGpus(gpus), apps: parseApps(apps) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.absent = true;
      return null;
    }
  }
}
