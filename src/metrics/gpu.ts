/**
 * GPUs from the three exporters people run on GPU nodes, into one per-GPU shape:
 * - NVIDIA dcgm-exporter (`DCGM_FI_*`; memory in MiB, the host as `Hostname`, or `hostname` since 4.x),
 * - nvidia_gpu_exporter (`nvidia_smi_*`, base units: `_ratio` 0–1, `_bytes`, `_clock_hz`, `_watts`),
 * - AMD device-metrics-exporter (`gpu_*`, memory in MB, optionally behind a prefix such as `amd_`).
 * Field sets differ between versions and configurations: a figure a payload lacks is null, and a
 * payload with none of these families has no GPUs (null), never an error.
 */
import type { Labels, Sample } from '../exposition/types.js';
import { detach, detachOrNull } from '../util/detach.js';

const MIB = 1_048_576;

export type GpuVendor = 'nvidia' | 'amd';

export interface GpuProcess {
  readonly pid: number;
  readonly name: string;
  readonly memoryBytes: number | null;
}

export interface GpuPod {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

export interface GpuFigures {
  /** Stable within a node: the UUID (and MIG instance) when known, else the index. */
  readonly key: string;
  readonly index: number | null;
  readonly uuid: string | null;
  readonly model: string | null;
  readonly vendor: GpuVendor;
  /** MIG profile and GPU instance id, when the figures are a MIG slice's. */
  readonly migProfile: string | null;
  readonly migInstance: string | null;
  /** The host the exporter names (`Hostname`/`hostname`), for joining to a node. */
  readonly host: string | null;
  readonly utilizationPercent: number | null;
  /** Memory-controller (copy) utilisation, in percent. */
  readonly memoryUtilizationPercent: number | null;
  readonly memoryUsedBytes: number | null;
  readonly memoryTotalBytes: number | null;
  readonly temperatureCelsius: number | null;
  readonly memoryTemperatureCelsius: number | null;
  /** Power draw; from the energy counter's increase when the exporter reports no power gauge. */
  readonly powerWatts: number | null;
  readonly powerLimitWatts: number | null;
  readonly smClockMHz: number | null;
  readonly memoryClockMHz: number | null;
  readonly encoderPercent: number | null;
  readonly decoderPercent: number | null;
  /** The last XID error (dcgm-exporter reports its number, 0 for none). */
  readonly xid: number | null;
  readonly graphicsActivePercent: number | null;
  readonly tensorActivePercent: number | null;
  readonly dramActivePercent: number | null;
  readonly uncorrectableRemappedRows: number | null;
  readonly rowRemapFailure: boolean | null;
  /** The pod the GPU is allotted to (dcgm-exporter's Kubernetes mapping); null when none. */
  readonly pod: GpuPod | null;
  /** Processes on the GPU, where the exporter lists them; null when it does not. */
  readonly processes: readonly GpuProcess[] | null;
}

/** dcgm-exporter's families: the parser filter for payloads that carry node families too (the agent's). */
export const DCGM_FAMILIES: ReadonlySet<string> = new Set([
  'DCGM_FI_DEV_GPU_UTIL',
  'DCGM_FI_DEV_MEM_COPY_UTIL',
  'DCGM_FI_DEV_FB_USED',
  'DCGM_FI_DEV_FB_FREE',
  'DCGM_FI_DEV_FB_RESERVED',
  'DCGM_FI_DEV_FB_TOTAL',
  'DCGM_FI_DEV_GPU_TEMP',
  'DCGM_FI_DEV_MEMORY_TEMP',
  'DCGM_FI_DEV_POWER_USAGE',
  'DCGM_FI_DEV_POWER_MGMT_LIMIT',
  'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
  'DCGM_FI_DEV_SM_CLOCK',
  'DCGM_FI_DEV_MEM_CLOCK',
  'DCGM_FI_DEV_ENC_UTIL',
  'DCGM_FI_DEV_DEC_UTIL',
  'DCGM_FI_DEV_XID_ERRORS',
  'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
  'DCGM_FI_PROF_DRAM_ACTIVE',
  'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
  'DCGM_FI_DEV_ROW_REMAP_FAILURE',
  // The agent's processes, in the shape nvidia_gpu_exporter gives them (dcgm-exporter has none).
  'nvidia_smi_compute_app_used_memory_bytes',
]);

type Field = Exclude<
  keyof GpuFigures,
  'key' | 'index' | 'uuid' | 'model' | 'vendor' | 'migProfile' | 'migInstance' | 'host' | 'pod' | 'processes' | 'rowRemapFailure'
>;

/** Where a sample's value goes, and the factor that brings it to the field's unit. */
interface Mapping {
  readonly field: Field | 'fbUsed' | 'fbFree' | 'fbReserved' | 'fbTotal' | 'energyJoules' | 'rowRemapFailure';
  readonly scale: number;
}
const m = (field: Mapping['field'], scale = 1): Mapping => ({ field, scale });

const DCGM: ReadonlyMap<string, Mapping> = new Map([
  ['DCGM_FI_DEV_GPU_UTIL', m('utilizationPercent')],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', m('memoryUtilizationPercent')],
  ['DCGM_FI_DEV_FB_USED', m('fbUsed', MIB)],
  ['DCGM_FI_DEV_FB_FREE', m('fbFree', MIB)],
  ['DCGM_FI_DEV_FB_RESERVED', m('fbReserved', MIB)],
  ['DCGM_FI_DEV_FB_TOTAL', m('fbTotal', MIB)],
  ['DCGM_FI_DEV_GPU_TEMP', m('temperatureCelsius')],
  ['DCGM_FI_DEV_MEMORY_TEMP', m('memoryTemperatureCelsius')],
  ['DCGM_FI_DEV_POWER_USAGE', m('powerWatts')],
  ['DCGM_FI_DEV_POWER_MGMT_LIMIT', m('powerLimitWatts')],
  ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', m('energyJoules', 1e-3)], // mJ
  ['DCGM_FI_DEV_SM_CLOCK', m('smClockMHz')],
  ['DCGM_FI_DEV_MEM_CLOCK', m('memoryClockMHz')],
  ['DCGM_FI_DEV_ENC_UTIL', m('encoderPercent')],
  ['DCGM_FI_DEV_DEC_UTIL', m('decoderPercent')],
  ['DCGM_FI_DEV_XID_ERRORS', m('xid')],
  ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', m('graphicsActivePercent', 100)], // ratios
  ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', m('tensorActivePercent', 100)],
  ['DCGM_FI_PROF_DRAM_ACTIVE', m('dramActivePercent', 100)],
  ['DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', m('uncorrectableRemappedRows')],
  ['DCGM_FI_DEV_ROW_REMAP_FAILURE', m('rowRemapFailure')],
]);

/**
 * In MIG mode dcgm-exporter has no DCGM_FI_DEV_GPU_UTIL (DCGM does not measure it there); NVIDIA
 * points to the graphics engine's active ratio instead (NVIDIA/dcgm-exporter issues #216, #430).
 */
const DCGM_FALLBACK: ReadonlyMap<string, Mapping> = new Map([['DCGM_FI_PROF_GR_ENGINE_ACTIVE', m('utilizationPercent', 100)]]);

const SMI: ReadonlyMap<string, Mapping> = new Map([
  ['nvidia_smi_utilization_gpu_ratio', m('utilizationPercent', 100)],
  ['nvidia_smi_utilization_memory_ratio', m('memoryUtilizationPercent', 100)],
  ['nvidia_smi_memory_used_bytes', m('fbUsed')],
  ['nvidia_smi_memory_total_bytes', m('fbTotal')],
  ['nvidia_smi_temperature_gpu', m('temperatureCelsius')],
  ['nvidia_smi_temperature_memory', m('memoryTemperatureCelsius')],
  ['nvidia_smi_power_draw_watts', m('powerWatts')],
  ['nvidia_smi_enforced_power_limit_watts', m('powerLimitWatts')],
  ['nvidia_smi_clocks_current_sm_clock_hz', m('smClockMHz', 1e-6)],
  ['nvidia_smi_clocks_current_memory_clock_hz', m('memoryClockMHz', 1e-6)],
  ['nvidia_smi_utilization_encoder_ratio', m('encoderPercent', 100)],
  ['nvidia_smi_utilization_decoder_ratio', m('decoderPercent', 100)],
  ['nvidia_smi_remapped_rows_uncorrectable', m('uncorrectableRemappedRows')],
  ['nvidia_smi_remapped_rows_failure', m('rowRemapFailure')],
]);

/** AMD's names after the optional prefix; `gpu_clock` is split by its clock_type label. */
const AMD: ReadonlyMap<string, Mapping> = new Map([
  ['gpu_gfx_activity', m('utilizationPercent')],
  ['gpu_umc_activity', m('memoryUtilizationPercent')],
  // AMD's list says MB; read as MiB, the unit GPU memory comes in (an MI300X's 192 GB are 192 GiB).
  ['gpu_used_vram', m('fbUsed', MIB)],
  ['gpu_total_vram', m('fbTotal', MIB)],
  ['gpu_junction_temperature', m('temperatureCelsius')],
  ['gpu_memory_temperature', m('memoryTemperatureCelsius')],
  ['gpu_power_usage', m('powerWatts')],
  ['gpu_energy_consumed', m('energyJoules', 1e-6)], // µJ
]);
/** Fallbacks: read only when the preferred family of the same field is absent. */
const AMD_FALLBACK: ReadonlyMap<string, Mapping> = new Map([
  ['gpu_edge_temperature', m('temperatureCelsius')],
  ['gpu_package_power', m('powerWatts')],
  ['gpu_average_package_power', m('powerWatts')],
]);
const SMI_FALLBACK: ReadonlyMap<string, Mapping> = new Map([['nvidia_smi_power_limit_watts', m('powerLimitWatts')]]);

/** `gpu_…`, or `<prefix>_gpu_…` (device-metrics-exporter's configurable prefix). */
function amdName(name: string): string | undefined {
  if (name.startsWith('gpu_')) return name;
  const at = name.indexOf('_gpu_');
  return at > 0 && /^[A-Za-z0-9_]+$/.test(name.slice(0, at)) ? name.slice(at + 1) : undefined;
}

interface Building {
  key: string;
  vendor: GpuVendor;
  labels: Labels;
  values: Partial<Record<Mapping['field'], number>>;
  fallbacks: Partial<Record<Mapping['field'], number>>;
  processes: GpuProcess[] | null;
  /** The first non-empty pod labels seen: dcgm-exporter puts them on the series of an allotted GPU only. */
  pod: GpuPod | null;
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

function podOf(labels: Labels): GpuPod | null {
  // Through Prometheus, the scrape's own pod label moves the exporter's to exported_pod.
  // A pod without a namespace is no exporter's mapping but a scrape's target label (the exporter's own pod).
  const pod = nonEmpty(labels.exported_pod) ?? nonEmpty(labels.pod);
  const namespace = nonEmpty(labels.exported_namespace) ?? nonEmpty(labels.namespace);
  if (pod === undefined || namespace === undefined) return null;
  const container = nonEmpty(labels.exported_container) ?? labels.container ?? '';
  // Held in the store: copied off the payload (see detach).
  return { namespace: detach(namespace), pod: detach(pod), container: detach(container) };
}

/** nvidia_gpu_exporter writes UUIDs without dcgm's `GPU-` prefix; one form lets the two meet. */
const bareUuid = (uuid: string): string => uuid.replace(/^GPU-/i, '');

function nvidiaKey(labels: Labels): string | undefined {
  const uuid = nonEmpty(labels.UUID) ?? nonEmpty(labels.uuid) ?? nonEmpty(labels.gpu_uuid);
  const base = uuid !== undefined ? bareUuid(uuid) : nonEmpty(labels.gpu);
  if (base === undefined) return undefined;
  const mig = nonEmpty(labels.GPU_I_ID);
  return mig === undefined ? base : `${base}/${mig}`;
}

/** The UUID, else the index: serial numbers are often masked ("xxxx") and alike across GPUs. */
function amdKey(labels: Labels): string | undefined {
  return nonEmpty(labels.gpu_uuid) ?? nonEmpty(labels.gpu_id) ?? nonEmpty(labels.serial_number);
}

/** Bounds the GPUs one payload may add: a runaway label set cannot make thousands of rows. */
export const MAX_GPUS_PER_PAYLOAD = 64;

/**
 * Reads one target's successive payloads. Stateful only for the energy counter, whose increase
 * gives the power where the exporter has no power gauge: keep one reader per target.
 */
export class GpuReader {
  private energy = new Map<string, { joules: number; timeMs: number }>();

  /** The GPUs of one payload, ordered by index; null when it has no GPU family at all. */
  read(samples: readonly Sample[], scrapeTimeMs: number): GpuFigures[] | null {
    const gpus = new Map<string, Building>();
    let any = false;
    const get = (key: string, vendor: GpuVendor, labels: Labels): Building | undefined => {
      let b = gpus.get(key);
      if (b) return b;
      if (gpus.size >= MAX_GPUS_PER_PAYLOAD) return undefined;
      gpus.set(key, (b = { key, vendor, labels, values: {}, fallbacks: {}, processes: null, pod: null }));
      return b;
    };
    const put = (b: Building, map: Mapping, value: number, fallback: boolean): void => {
      if (!Number.isFinite(value)) return;
      (fallback ? b.fallbacks : b.values)[map.field] = value * map.scale;
    };
    const smiInfo = new Map<string, Labels>();

    for (const s of samples) {
      const name = s.name;
      if (name.startsWith('DCGM_FI_')) {
        const map = DCGM.get(name);
        if (!map) continue;
        any = true;
        const key = nvidiaKey(s.labels);
        const b = key === undefined ? undefined : get(key, 'nvidia', s.labels);
        if (!b) continue;
        b.pod ??= podOf(s.labels);
        put(b, map, s.value, false);
        const fallback = DCGM_FALLBACK.get(name);
        if (fallback) put(b, fallback, s.value, true);
      } else if (name.startsWith('nvidia_smi_')) {
        any = true;
        const key = nvidiaKey(s.labels);
        if (key === undefined) continue;
        if (name === 'nvidia_smi_gpu_info') {
          smiInfo.set(key, s.labels);
          get(key, 'nvidia', s.labels);
          continue;
        }
        if (name === 'nvidia_smi_compute_app_used_memory_bytes') {
          const b = get(key, 'nvidia', s.labels);
          const pid = Number(s.labels.pid);
          if (b && Number.isInteger(pid)) {
            (b.processes ??= []).push({ pid, name: detach(s.labels.process_name ?? ''), memoryBytes: Number.isFinite(s.value) ? s.value : null });
          }
          continue;
        }
        const map = SMI.get(name) ?? SMI_FALLBACK.get(name);
        const b = map && get(key, 'nvidia', s.labels);
        if (b && map) put(b, map, s.value, !SMI.has(name));
      } else {
        const amd = amdName(name);
        if (amd === undefined) continue;
        if (amd === 'gpu_clock') {
          const type = s.labels.clock_type;
          const field = type === 'system' ? 'smClockMHz' : type === 'memory' ? 'memoryClockMHz' : undefined;
          const key = amdKey(s.labels);
          const b = field && key !== undefined ? get(key, 'amd', s.labels) : undefined;
          if (b && field) {
            any = true;
            put(b, m(field), s.value, false);
          }
          continue;
        }
        const map = AMD.get(amd) ?? AMD_FALLBACK.get(amd);
        if (!map) continue;
        any = true;
        const key = amdKey(s.labels);
        const b = key === undefined ? undefined : get(key, 'amd', s.labels);
        if (!b) continue;
        b.pod ??= podOf(s.labels);
        put(b, map, s.value, !AMD.has(amd));
      }
    }
    if (!any) return null;

    const out: GpuFigures[] = [];
    const seen = new Set<string>();
    for (const b of gpus.values()) {
      seen.add(b.key);
      out.push(this.finish(b, smiInfo.get(b.key), scrapeTimeMs));
    }
    for (const key of this.energy.keys()) if (!seen.has(key)) this.energy.delete(key);
    return out.sort((a, b) => (a.index ?? Infinity) - (b.index ?? Infinity) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private finish(b: Building, info: Labels | undefined, timeMs: number): GpuFigures {
    // A fallback fills only a field its preferred family left empty (no spread: it costs more than the rest of finish).
    const v = b.values;
    for (const field in b.fallbacks) v[field as Mapping['field']] ??= b.fallbacks[field as Mapping['field']];
    const l = info ?? b.labels;
    const num = (x: number | undefined): number | null => (x === undefined ? null : x);
    const indexText = b.vendor === 'amd' ? l.gpu_id : (l.gpu ?? l.index);
    const index = indexText !== undefined && /^\d+$/.test(indexText) ? Number(indexText) : null;
    const uuid = nonEmpty(l.UUID) ?? nonEmpty(l.uuid) ?? nonEmpty(l.gpu_uuid) ?? null;
    const model = nonEmpty(l.modelName) ?? nonEmpty(l.name) ?? nonEmpty(l.card_series) ?? nonEmpty(l.card_model) ?? null;

    let used = num(v.fbUsed);
    let total = num(v.fbTotal);
    // dcgm-exporter exports no total by default: the framebuffer is free + used + reserved.
    if (total === null && v.fbFree !== undefined && used !== null) total = v.fbFree + used + (v.fbReserved ?? 0);
    if (used === null && total !== null && v.fbFree !== undefined) used = Math.max(0, total - v.fbFree - (v.fbReserved ?? 0));

    // The figures are held in the store, and the key in the energy map: copied off the payload (see detach).
    const key = detach(b.key);
    let power = num(v.powerWatts);
    if (v.energyJoules !== undefined) {
      const previous = this.energy.get(key);
      this.energy.set(key, { joules: v.energyJoules, timeMs });
      const dt = previous ? (timeMs - previous.timeMs) / 1000 : 0;
      const dj = previous ? v.energyJoules - previous.joules : -1;
      if (power === null && dt > 0 && dj >= 0) power = dj / dt;
    }

    return {
      key,
      index,
      uuid: detachOrNull(uuid),
      model: detachOrNull(model),
      vendor: b.vendor,
      migProfile: detachOrNull(nonEmpty(b.labels.GPU_I_PROFILE) ?? null),
      migInstance: detachOrNull(nonEmpty(b.labels.GPU_I_ID) ?? null),
      host: detachOrNull(nonEmpty(b.labels.Hostname) ?? nonEmpty(b.labels.hostname) ?? null),
      utilizationPercent: num(v.utilizationPercent),
      memoryUtilizationPercent: num(v.memoryUtilizationPercent),
      memoryUsedBytes: used,
      memoryTotalBytes: total,
      temperatureCelsius: num(v.temperatureCelsius),
      memoryTemperatureCelsius: num(v.memoryTemperatureCelsius),
      powerWatts: power,
      powerLimitWatts: num(v.powerLimitWatts),
      smClockMHz: num(v.smClockMHz),
      memoryClockMHz: num(v.memoryClockMHz),
      encoderPercent: num(v.encoderPercent),
      decoderPercent: num(v.decoderPercent),
      xid: num(v.xid),
      graphicsActivePercent: num(v.graphicsActivePercent),
      tensorActivePercent: num(v.tensorActivePercent),
      dramActivePercent: num(v.dramActivePercent),
      uncorrectableRemappedRows: num(v.uncorrectableRemappedRows),
      rowRemapFailure: v.rowRemapFailure === undefined ? null : v.rowRemapFailure !== 0,
      pod: b.pod,
      processes: b.processes,
    };
  }
}

/** Memory used over total, in percent; null when either is unknown or the total is 0. */
export function gpuMemoryPercent(g: Pick<GpuFigures, 'memoryUsedBytes' | 'memoryTotalBytes'>): number | null {
  return g.memoryUsedBytes === null || g.memoryTotalBytes === null || g.memoryTotalBytes <= 0 ? null : (100 * g.memoryUsedBytes) / g.memoryTotalBytes;
}
