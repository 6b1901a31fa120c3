/**
 * One reading of this machine, in node_exporter's units (seconds, bytes, cumulative counters),
 * so the same derivation serves this machine and a scraped node_exporter alike.
 */
import { ReadError } from '../../util/errors.js';

export interface CpuTimes {
  /** node_exporter's `cpu` label: the core's number as a string. */
  readonly cpu: string;
  /** Cumulative seconds per mode (user, nice, system, idle, iowait, irq, softirq, steal). */
  readonly seconds: Readonly<Record<string, number>>;
}

export interface DeviceCounters {
  readonly device: string;
  /** Bytes received (network) or read (disk). */
  readonly in: number;
  /** Bytes transmitted (network) or written (disk). */
  readonly out: number;
}

export interface RootFilesystem {
  /** Labels node_exporter gives the mount; absent where the platform does not say. */
  readonly device?: string;
  readonly fstype?: string;
  readonly sizeBytes: number;
  readonly availBytes: number;
}

export interface MachineReading {
  /** The machine's clock at the read, seconds since the epoch. */
  readonly timeSeconds: number;
  readonly bootTimeSeconds: number;
  /** node_uname_info's labels (nodename, sysname, release, version, machine, domainname). */
  readonly uname: Readonly<Record<string, string>>;
  readonly cpus: readonly CpuTimes[];
  readonly load: readonly [number, number, number];
  /** /proc/meminfo-style fields in bytes: MemTotal, MemAvailable, SwapTotal, SwapFree, as present. */
  readonly memory: Readonly<Record<string, number>>;
  readonly network: readonly DeviceCounters[] | null;
  readonly disks: readonly DeviceCounters[] | null;
  readonly filesystem: RootFilesystem | null;
  /** nvidia-smi's GPUs and their processes, where nvidia-smi is on PATH; absent or null elsewhere. */
  readonly gpus?: SmiReading | null;
}

/** nvidia-smi's answers (sources/local/nvidia-smi.ts). */
export interface SmiGpu {
  readonly index: string;
  readonly uuid: string;
  readonly name: string;
  /** Numbers in nvidia-smi's units (%, MiB, °C, W, MHz); NaN where it says [N/A] or [Not Supported]. */
  readonly utilization: number;
  readonly memoryUtilization: number;
  readonly memoryTotalMiB: number;
  readonly memoryUsedMiB: number;
  readonly temperature: number;
  readonly powerDraw: number;
  readonly powerLimit: number;
  readonly smClock: number;
}

export interface SmiApp {
  readonly gpuUuid: string;
  readonly pid: number;
  readonly name: string;
  readonly usedMiB: number;
}

export interface SmiReading {
  readonly gpus: readonly SmiGpu[];
  readonly apps: readonly SmiApp[];
}

/** A figure group a reader can never give on this platform. */
export type MissingGroup = 'network' | 'disk' | 'swap';

export interface MachineReader {
  readonly missing: readonly MissingGroup[];
  /** Throws MachineReadError when the machine cannot be read (e.g. /proc unreadable). */
  read(): Promise<MachineReading>;
}

/** A read that failed; the message is one short line naming what could not be read. */
export class MachineReadError extends ReadError {
  readonly code = 'CT_ERR_MACHINE_READ';

  constructor(message: string) {
    super(message);
    this.name = 'MachineReadError';
  }
}
