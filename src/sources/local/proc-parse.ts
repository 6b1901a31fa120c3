import type { CpuTimes, DeviceCounters } from './machine-reading.js';

/** The kernel's USER_HZ: /proc/stat counts in these ticks on every Linux architecture node_exporter reads. */
const USER_HZ = 100;
const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
const SECTOR_BYTES = 512;

/**
 * node_exporter's default --collector.diskstats.device-exclude: partitions would count their
 * disk's traffic twice, and ram, loop and fd devices are not disks.
 */
export const EXCLUDED_DISK = /^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;

export interface ProcStat {
  readonly cpus: CpuTimes[];
  readonly bootTimeSeconds: number | undefined;
}

/** Per-core `cpuN` lines (the `cpu` total is left out, as node_exporter does) and `btime`. */
export function parseProcStat(text: string): ProcStat {
  const cpus: CpuTimes[] = [];
  let bootTimeSeconds: number | undefined;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const key = fields[0] ?? '';
    if (/^cpu\d+$/.test(key)) {
      const seconds: Record<string, number> = {};
      CPU_MODES.forEach((mode, i) => {
        const ticks = Number(fields[i + 1]);
        if (Number.isFinite(ticks)) seconds[mode] = ticks / USER_HZ;
      });
      cpus.push({ cpu: key.slice(3), seconds });
    } else if (key === 'btime') {
      bootTimeSeconds = Number(fields[1]);
    }
  }
  return { cpus, bootTimeSeconds };
}

/** `Key: value [kB]` lines, in bytes. */
export function parseMeminfo(text: string): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)(\s+kB)?/.exec(line);
    if (m?.[1] && m[2]) fields[m[1]] = Number(m[2]) * (m[3] ? 1024 : 1);
  }
  return fields;
}

export function parseLoadavg(text: string): [number, number, number] | undefined {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  if (a === undefined || b === undefined || c === undefined || [a, b, c].some((x) => !Number.isFinite(x))) return undefined;
  return [a, b, c];
}

/** Every interface with its received and transmitted bytes; the derivation decides which count. */
export function parseNetDev(text: string): DeviceCounters[] {
  const devices: DeviceCounters[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    const rx = fields[0];
    const tx = fields[8];
    if (rx === undefined || tx === undefined || !Number.isFinite(rx) || !Number.isFinite(tx)) continue;
    devices.push({ device: line.slice(0, colon).trim(), in: rx, out: tx });
  }
  return devices;
}

/** Whole disks with bytes read and written (sectors are always 512 bytes in this file). */
export function parseDiskstats(text: string): DeviceCounters[] {
  const disks: DeviceCounters[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const device = fields[2];
    const read = Number(fields[5]);
    const written = Number(fields[9]);
    if (device === undefined || EXCLUDED_DISK.test(device) || !Number.isFinite(read) || !Number.isFinite(written)) continue;
    disks.push({ device, in: read * SECTOR_BYTES, out: written * SECTOR_BYTES });
  }
  return disks;
}

/** The device and type of the mount on `/`: the last such line, as later mounts hide earlier ones. */
export function rootMount(mountsText: string): { device: string; fstype: string } | undefined {
  let found: { device: string; fstype: string } | undefined;
  for (const line of mountsText.split('\n')) {
    const [device, mountpoint, fstype] = line.split(' ');
    if (device !== undefined && fstype !== undefined && unescapeMount(mountpoint ?? '') === '/') {
      found = { device: unescapeMount(device), fstype };
    }
  }
  return found;
}

/** The kernel writes blanks, tabs, newlines and backslashes in mount fields as octal escapes. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
