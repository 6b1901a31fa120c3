import { disks, filesystems, interfaces, modeShares, type BusyMode, type Disk, type Filesystem, type NetInterface } from './node-traits.js';
import { hashUnit, Rng } from './random.js';
import { Activity, meanOver, Wave } from './signals.js';

export { BUSY_MODES, type BusyMode, type Disk, type Filesystem, type NetInterface } from './node-traits.js';

export interface SimNodeSpec {
  readonly name: string;
  /** 2..128 in generated clusters; 1..1024 accepted. */
  readonly cores: number;
  readonly memoryBytes: number;
  readonly seed: number;
  /** Typical CPU busy share, 0..1; memory, network and disk activity follow it loosely. */
  readonly baseLoad: number;
  /** Served by startSimCluster as a refused connection. */
  readonly down?: boolean;
  /** startSimCluster waits this long before answering. */
  readonly slowMs?: number;
  /** Boot moment (ms since the epoch); derived from the seed when absent. */
  readonly bootTimeMs?: number;
}

/** Default boots fall within the 60 days before this moment (2025-01-01 UTC). */
const BOOT_EPOCH_MS = 1_735_689_600_000;
const GIB = 1024 ** 3;

/** What one render shows, recomputed in place by NodeModel.advance(). */
export interface Frame {
  nowMs: number;
  /** Seconds since boot. */
  up: number;
  /** Per core: cumulative busy (non-idle) and idle (idle + iowait) seconds. */
  readonly busy: Float64Array;
  readonly idle: Float64Array;
  busyAll: number;
  load1: number;
  load5: number;
  load15: number;
  memAvailable: number;
  swapFree: number;
  readonly rxBytes: Float64Array;
  readonly txBytes: Float64Array;
  readonly readBytes: Float64Array;
  readonly writtenBytes: Float64Array;
  /** Per disk: cumulative seconds busy doing I/O. */
  readonly ioSeconds: Float64Array;
  readonly ioNow: Float64Array;
  readonly fsAvail: Float64Array;
}

/**
 * A simulated node's fixed traits (drawn from its seed) and its state at the last moment asked
 * for. Every cumulative figure is an integral of a share that stays strictly between 0 and 1,
 * so counters and their complements (idle time) only grow as time moves forward.
 */
export class NodeModel {
  readonly spec: SimNodeSpec;
  readonly cores: number;
  readonly bootTimeMs: number;
  readonly swapTotal: number;
  readonly modeShares: Record<BusyMode, Float64Array>;
  readonly iowaitShare: number;
  readonly interfaces: NetInterface[];
  readonly disks: Disk[];
  readonly filesystems: Filesystem[];
  readonly frame: Frame;
  private readonly cpu: Activity;
  private readonly coreWaves: Wave[] = [];
  private readonly coreBurstShare: Float64Array;
  private readonly burstShareMean: number;
  private readonly memoryUsed: Wave;
  private readonly swapUsed: Wave;

  constructor(spec: SimNodeSpec) {
    const cores = Math.round(spec.cores);
    if (!(cores >= 1 && cores <= 1024)) throw new RangeError(`cores must be 1..1024, got ${spec.cores}`);
    if (!(spec.memoryBytes > 0)) throw new RangeError(`memoryBytes must be positive, got ${spec.memoryBytes}`);
    this.spec = spec;
    this.cores = cores;
    const rng = new Rng(spec.seed);
    const load = Math.min(Math.max(spec.baseLoad, 0), 1);
    this.bootTimeMs = spec.bootTimeMs ?? BOOT_EPOCH_MS - Math.floor(rng.range(0.1, 60) * 86_400_000);

    this.cpu = new Activity(rng, 0.03 + 0.85 * load * rng.range(0.8, 1.2), [[15, 45], [90, 300], [600, 2400]], { reserveShare: 0.4 });
    this.coreBurstShare = new Float64Array(cores);
    for (let c = 0; c < cores; c++) {
      this.coreWaves.push(new Wave(rng, 0, this.cpu.reserve * rng.range(0.5, 1), [[5, 20], [40, 160]]));
      this.coreBurstShare[c] = rng.range(0.5, 1);
    }
    this.burstShareMean = this.coreBurstShare.reduce((a, b) => a + b, 0) / cores;
    this.modeShares = modeShares(rng, cores);
    this.iowaitShare = rng.range(0.002, 0.03);

    this.memoryUsed = new Wave(rng, Math.min(0.85, 0.2 + 0.6 * load * rng.range(0.7, 1.3)), rng.range(0.02, 0.06), [[120, 600], [1800, 7200]]);
    this.swapTotal = rng.next() < 0.5 ? 0 : Math.min(8 * GIB, Math.floor(spec.memoryBytes / 4 / 1048576) * 1048576);
    this.swapUsed = new Wave(rng, 0.04, 0.03, [[600, 3600]]);

    const netMean = 0.005 + 0.12 * load * rng.range(0.5, 1.5);
    this.interfaces = interfaces(rng, cores, netMean);
    this.disks = disks(rng, cores, 0.003 + 0.04 * load * rng.range(0.3, 1.5));
    this.filesystems = filesystems(rng, spec.memoryBytes, this.disks[0]?.name ?? 'sda');

    const perCore = () => new Float64Array(cores);
    const perIf = () => new Float64Array(this.interfaces.length);
    const perDisk = () => new Float64Array(this.disks.length);
    this.frame = {
      nowMs: Number.NaN,
      up: 0,
      busy: perCore(),
      idle: perCore(),
      busyAll: 0,
      load1: 0,
      load5: 0,
      load15: 0,
      memAvailable: 0,
      swapFree: 0,
      rxBytes: perIf(),
      txBytes: perIf(),
      readBytes: perDisk(),
      writtenBytes: perDisk(),
      ioSeconds: perDisk(),
      ioNow: perDisk(),
      fsAvail: new Float64Array(this.filesystems.length),
    };
  }

  /** Recomputes the frame for a moment; whole milliseconds only, so equal moments render equal. */
  advance(nowMs: number): Frame {
    const f = this.frame;
    const ms = Math.floor(nowMs);
    if (ms === f.nowMs) return f;
    const t = Math.max(0, (ms - this.bootTimeMs) / 1000);
    f.nowMs = ms;
    f.up = t;

    const nodeWave = this.cpu.wave.integral(t);
    const nodeBursts = this.cpu.bursts.integral(t);
    let all = 0;
    for (let c = 0; c < this.cores; c++) {
      const busy = nodeWave + this.coreWaves[c]!.integral(t) + this.coreBurstShare[c]! * nodeBursts;
      f.busy[c] = busy;
      f.idle[c] = t - busy;
      all += busy;
    }
    f.busyAll = all;
    const nodeIntegral = (x: number) => this.cpu.wave.integral(x) + this.burstShareMean * this.cpu.bursts.integral(x);
    const nodeAt = (x: number) => this.cpu.wave.at(x) + this.burstShareMean * this.cpu.bursts.at(x);
    // Runnable threads waiting for a core and tasks in uninterruptible I/O push load a bit above busy cores.
    const runnable = 1.08 * this.cores;
    f.load1 = round2(runnable * meanOver(nodeIntegral, nodeAt, t, 60));
    f.load5 = round2(runnable * meanOver(nodeIntegral, nodeAt, t, 300));
    f.load15 = round2(runnable * meanOver(nodeIntegral, nodeAt, t, 900));

    const memory = this.spec.memoryBytes;
    f.memAvailable = kib(memory * (1 - clamp(this.memoryUsed.at(t), 0.03, 0.97)));
    f.swapFree = kib(this.swapTotal * (1 - clamp(this.swapUsed.at(t), 0, 1)));

    this.interfaces.forEach((n, i) => {
      f.rxBytes[i] = Math.floor(n.speedBytes * n.rx.integral(t));
      f.txBytes[i] = Math.floor(n.speedBytes * n.tx.integral(t));
    });
    this.disks.forEach((d, i) => {
      const read = d.read.integral(t);
      const written = d.write.integral(t);
      f.readBytes[i] = 512 * Math.floor((d.capacityBytesPerSecond * read) / 512);
      f.writtenBytes[i] = 512 * Math.floor((d.capacityBytesPerSecond * written) / 512);
      // Busy while reading or writing at half the device's capacity each: a share below 1.
      f.ioSeconds[i] = Math.floor(0.5 * (read + written) * 1000) / 1000;
      f.ioNow[i] = Math.floor(4 * (d.read.at(t) + d.write.at(t)) * hashUnit(this.spec.seed + i, ms));
    });
    this.filesystems.forEach((fs, i) => {
      f.fsAvail[i] = 4096 * Math.floor((fs.sizeBytes * (1 - clamp(fs.used.at(t), 0, 0.99))) / 4096);
    });
    return f;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

function kib(x: number): number {
  return 1024 * Math.floor(x / 1024);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
