/** A simulated node's devices and habits, drawn once from its seed. */
import type { Rng } from './random.js';
import { Activity, Wave, type ActivityOptions } from './signals.js';

const GIB = 1024 ** 3;
/**
 * Links and disks idle far lower than CPUs, and transfers near line rate (a backup, an image
 * pull) come rarer than CPU jobs. Even 0.05 % of 125 MB/s moves bytes every millisecond.
 */
const NET_DISK = { min: 0.0005, burstProbability: 0.06 } as const;

export interface NetInterface {
  readonly name: string;
  readonly mac: string;
  readonly index: number;
  readonly virtual: boolean;
  readonly speedBytes: number;
  readonly rxPacketBytes: number;
  readonly txPacketBytes: number;
  readonly rx: Activity;
  readonly tx: Activity;
}

export interface Disk {
  readonly name: string;
  readonly minor: number;
  readonly capacityBytesPerSecond: number;
  readonly read: Activity;
  readonly write: Activity;
}

export interface Filesystem {
  readonly device: string;
  readonly fstype: string;
  readonly mountpoint: string;
  readonly sizeBytes: number;
  readonly used: Wave;
}

/** Busy-mode shares of a core's non-idle time; iowait is a share of its idle time. */
export const BUSY_MODES = ['irq', 'nice', 'softirq', 'steal', 'system', 'user'] as const;
export type BusyMode = (typeof BUSY_MODES)[number];

export function modeShares(rng: Rng, cores: number): Record<BusyMode, Float64Array> {
  const node = { irq: 0, nice: rng.next() < 0.3 ? rng.range(0, 0.05) : 0, softirq: rng.range(0.01, 0.04), steal: rng.next() < 0.5 ? rng.range(0, 0.02) : 0, system: rng.range(0.18, 0.3), user: rng.range(0.55, 0.75) };
  const out = Object.fromEntries(BUSY_MODES.map((m) => [m, new Float64Array(cores)])) as Record<BusyMode, Float64Array>;
  for (let c = 0; c < cores; c++) {
    const raw = BUSY_MODES.map((m) => node[m] * rng.range(0.8, 1.2));
    const total = raw.reduce((a, b) => a + b, 0);
    BUSY_MODES.forEach((m, i) => (out[m][c] = (raw[i] ?? 0) / total));
  }
  return out;
}

/** `options`: how the node's traffic swings (see ActivityOptions), beside NET_DISK's bounds. */
export function interfaces(rng: Rng, cores: number, mean: number, options: ActivityOptions = {}): NetInterface[] {
  const eth = cores <= 4 ? 125e6 : cores <= 32 ? 1.25e9 : 3.125e9;
  const periods = [[5, 20], [30, 120], [300, 1200]] as const;
  const traffic = { ...options, ...NET_DISK };
  const make = (name: string, index: number, speedBytes: number, share: number, virtual: boolean): NetInterface => ({
    name,
    index,
    virtual,
    mac: name === 'lo' ? '00:00:00:00:00:00' : `02:42:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}`,
    speedBytes,
    rxPacketBytes: rng.range(400, 1200),
    txPacketBytes: rng.range(300, 900),
    rx: new Activity(rng, share, periods, traffic),
    tx: new Activity(rng, share * rng.range(0.4, 0.9), periods, traffic),
  });
  const list = [
    make('docker0', 3, eth / 10, mean, true),
    make('eth0', 2, eth, mean, false),
    make('lo', 1, 1e9, 0.03, true),
    make(`veth${rng.hex(7)}`, 5, eth / 10, mean * 0.6, true),
    make(`veth${rng.hex(7)}`, 7, eth / 10, mean * 0.4, true),
  ];
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function disks(rng: Rng, cores: number, mean: number, options: ActivityOptions = {}): Disk[] {
  const periods = [[10, 40], [60, 300], [600, 3600]] as const;
  const io = { ...options, ...NET_DISK };
  const make = (name: string, minor: number, share: number): Disk => ({
    name,
    minor,
    capacityBytesPerSecond: rng.range(5e8, 2e9),
    read: new Activity(rng, share * rng.range(0.5, 1.5), periods, io),
    write: new Activity(rng, share * rng.range(0.5, 1.5), periods, io),
  });
  const out = [make('nvme0n1', 0, mean)];
  if (cores >= 16) out.push(make('nvme1n1', 3, mean * 1.5));
  return out;
}

export function filesystems(rng: Rng, memoryBytes: number, disk: string): Filesystem[] {
  const rootSize = 50 * GIB * 2 ** rng.int(0, 4);
  return [
    { device: `/dev/${disk}p2`, fstype: 'ext4', mountpoint: '/', sizeBytes: rootSize, used: new Wave(rng, rng.range(0.25, 0.8), 0.01, [[3600, 14400]]) },
    { device: `/dev/${disk}p1`, fstype: 'ext4', mountpoint: '/boot', sizeBytes: 1023303680, used: new Wave(rng, 0.22, 0, []) },
    { device: 'tmpfs', fstype: 'tmpfs', mountpoint: '/run', sizeBytes: 4096 * Math.floor(memoryBytes / 10 / 4096), used: new Wave(rng, 0.004, 0.001, [[60, 600]]) },
  ];
}

