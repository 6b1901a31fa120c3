import { disks, filesystems, interfaces, modeShares, type BusyMode, type Disk, type Filesystem, type NetInterface } from './node-traits.js';
import { hashUnit, Rng } from './random.js';
import { Activity, Noise, SHARE_MAX, SHARE_MIN, Wave, type ActivityOptions } from './signals.js';

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
  /**
   * When the simulated cluster started (startSimCluster fills it in; default the boot moment).
   * The cluster's day, a heating node's ramp and a flapping node's outages count from it, so a
   * cluster shows the same at the same time since its start, whenever it is started.
   */
  readonly clusterStartMs?: number;
  /** Discovery labels for this node's target (job, zone, pool, role); not in the payload. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The node's habits; each has a default. */
  readonly workload?: Workload;
  /**
   * Climbs over ten minutes from its usual load to most of its cores busy and its memory nearly
   * full, holds there four minutes, then starts over (a leaking process, restarted).
   */
  readonly heatsUp?: boolean;
  /** Served by startSimCluster as a node that drops connections for a while, every few minutes. */
  readonly flapping?: boolean;
  /** GPUs served in dcgm-exporter's families beside the node's (see families-gpu.ts). */
  readonly gpus?: SimGpuSpec;
  /** Top processes served in the agent's cluster_top_process_* families (see families-processes.ts); default none. */
  readonly processes?: number;
  /** Containers served in cAdvisor's names, as the agent serves them (see families-containers.ts); default none. */
  readonly containers?: number;
}

/** What the node's GPUs are doing: the demo's GPU pool shows one of each. */
export type GpuScenario = 'training' | 'idle-allocated' | 'hot' | 'xid' | 'free';

export interface SimGpuSpec {
  readonly count: number;
  readonly model: string;
  readonly memoryMiB: number;
  readonly powerLimitW: number;
  readonly scenario: GpuScenario;
}

export interface Workload {
  /**
   * How the node follows the cluster's day (see DAY_S), -1..1: 1 busiest at the day's peak (web
   * traffic), -1 at night (batch jobs), 0 not at all; default 0.5.
   */
  readonly daily?: number;
  /** Typical used share of memory, 0..1; default from baseLoad. */
  readonly memory?: number;
  /** Network and disk activity as factors of what baseLoad alone gives; default 1. */
  readonly network?: number;
  readonly disk?: number;
  /** Chance of a CPU burst (a job, a deploy) in each 75 s slot, 0..1; default 0.25. */
  readonly burstiness?: number;
  /** Cores kept nearly fully busy by pinned threads; default: none, or now and then one. */
  readonly hotCores?: number;
}

/** A simulated day lasts ten minutes, so its rise and fall shows within a few minutes' history. */
export const DAY_S = 600;
/** The cluster starts at 09:00 of its day; the busiest moment is 14:00. */
const DAY_START = 9 / 24;
const DAY_PEAK = 14 / 24;
/** A heating node: already warming when the cluster starts, hot after ten minutes, restarted four later. */
const HEAT = { leadS: 90, rampS: 600, holdS: 240 } as const;
/** A flapping node: drops connections for FLAP_DOWN_S of every FLAP_PERIOD_S, first within a minute of the start. */
export const FLAP_PERIOD_S = 150;
export const FLAP_DOWN_S = 45;

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
  /** When the first outage of a flapping node starts, in seconds since boot; Infinity for others. */
  private readonly flapStart: number;
  private readonly cpu: Activity;
  private readonly coreNoise: Noise[] = [];
  /**
   * Per core, its busy share is nodeWave × follow + bursts × burstShare + own, plus the heating
   * ramp if any, plus its own noise: each core follows the node only in part, and holds to a level
   * of its own for the rest (a pinned thread, a core the scheduler keeps quiet); see the constructor.
   */
  private readonly coreFollow: Float64Array;
  private readonly coreBurstShare: Float64Array;
  private readonly coreOwn: Float64Array;
  /** Means of the three over the cores: the node as a whole, for load averages. */
  private readonly followMean: number;
  private readonly burstShareMean: number;
  private readonly ownMean: number;
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

    const work = spec.workload ?? {};
    // Seconds since boot at the cluster's start, and the day's phase at boot: the day is the
    // cluster's, whatever each node's uptime.
    const start = ((spec.clusterStartMs ?? this.bootTimeMs) - this.bootTimeMs) / 1000;
    const daily = clamp(work.daily ?? 0.5, -1, 1);
    const dayPhase = 2 * Math.PI * (DAY_START - DAY_PEAK - start / DAY_S) + Math.PI / 2 + (daily < 0 ? Math.PI : 0);
    const day = (share: number): ActivityOptions['daily'] => ({ periodS: DAY_S, phase: dayPhase, share: share * Math.abs(daily) });
    // Drawn for every node, so flapping or not, a node's other traits are the same.
    const flapAfter = rng.range(30, 60);
    this.flapStart = spec.flapping ? start + flapAfter : Number.POSITIVE_INFINITY;

    // The day gives the slow swing; the seeded periods are seconds to a minute or two, read at a
    // scrape every second or two as the noise real CPUs show, the shortest still well above a
    // scrape interval, whose average would smooth them out.
    this.cpu = new Activity(rng, 0.03 + 0.85 * load * rng.range(0.8, 1.2), [[5, 9], [8, 14], [12, 25], [30, 120]], {
      reserveShare: 0.3,
      swing: 1,
      daily: day(0.4),
      noise: 0.3,
      burstProbability: clamp(work.burstiness ?? 0.25, 0, 1),
      ...(spec.heatsUp ? { heat: { start: start - HEAT.leadS, rampS: HEAT.rampS, holdS: HEAT.holdS } } : {}),
    });
    // Each core follows the node in part and keeps to a level of its own for the rest, so one
    // node's cores spread out; a core with a pinned thread stays near full whatever the node does.
    // Levels stay inside the node's own band, so every core's share stays within SHARE_MIN..MAX.
    // A heating node's ramp lifts every core alike, on top of its level.
    const lo = SHARE_MIN + this.cpu.reserve;
    const hi = SHARE_MAX - this.cpu.reserve - (this.cpu.ramp?.height ?? 0);
    const m = this.cpu.wave.mean;
    // Levels spread log-normally around the node's mean: a few cores well above it, many a bit below.
    const sigma = rng.range(0.4, 1.1);
    const hot = new Set<number>();
    const hotCount = Math.min(cores - 1, Math.max(0, Math.round(work.hotCores ?? (rng.next() < 0.08 ? 1 : 0))));
    while (hot.size < hotCount) hot.add(rng.int(0, cores - 1));
    this.coreFollow = new Float64Array(cores);
    this.coreBurstShare = new Float64Array(cores);
    this.coreOwn = new Float64Array(cores);
    for (let c = 0; c < cores; c++) {
      // Each core jitters from second to second on its own (a table lookup: cheaper than sines, and
      // as jumpy as real cores); a pinned core barely, so its level can sit nearer the top.
      const wobble = hot.has(c) ? 0.2 : rng.range(0.5, 1);
      this.coreNoise.push(new Noise(rng, this.cpu.reserve * wobble));
      // Most cores follow the node closely; one in eight is kept quiet (interrupts steered away, a
      // cpuset left free) and holds back more.
      const quiet = !hot.has(c) && rng.next() < 0.125;
      const own = hot.has(c) ? 0.96 : quiet ? rng.range(0.5, 0.7) : rng.range(0.1, 0.45);
      const level = hot.has(c) ? hi + 0.8 * this.cpu.reserve : quiet ? lo : clamp(m * Math.exp(sigma * gaussian(rng) - (sigma * sigma) / 2), lo, hi);
      this.coreFollow[c] = 1 - own;
      this.coreBurstShare[c] = (1 - own) * rng.range(0.7, 1);
      this.coreOwn[c] = own * level;
    }
    const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / cores;
    this.followMean = mean(this.coreFollow);
    this.burstShareMean = mean(this.coreBurstShare);
    this.ownMean = mean(this.coreOwn);
    this.modeShares = modeShares(rng, cores);
    this.iowaitShare = rng.range(0.002, 0.03);

    const memoryMean = clamp(work.memory ?? 0.2 + 0.6 * load * rng.range(0.7, 1.3), 0.05, 0.85);
    this.memoryUsed = new Wave(rng, memoryMean, rng.range(0.02, 0.06), [[120, 600], [1800, 7200]]).addSine(0.04 * Math.abs(daily), DAY_S, dayPhase);
    this.swapTotal = rng.next() < 0.5 ? 0 : Math.min(8 * GIB, Math.floor(spec.memoryBytes / 4 / 1048576) * 1048576);
    this.swapUsed = new Wave(rng, 0.04, 0.03, [[600, 3600]]);

    // Traffic and disk I/O follow the day too.
    const io: ActivityOptions = { swing: 0.8, daily: day(0.4), noise: 0.25 };
    const netMean = Math.min(0.5, (0.005 + 0.12 * load * rng.range(0.5, 1.5)) * (work.network ?? 1));
    this.interfaces = interfaces(rng, cores, netMean, io);
    this.disks = disks(rng, cores, Math.min(0.5, (0.003 + 0.04 * load * rng.range(0.3, 1.5)) * (work.disk ?? 1)), io);
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

    const cpu = this.cpu;
    const ramp = cpu.ramp;
    const nodeWave = cpu.baseIntegral(t);
    const nodeBursts = cpu.bursts.integral(t);
    const heat = ramp === undefined ? 0 : ramp.integral(t);
    let all = 0;
    for (let c = 0; c < this.cores; c++) {
      const busy = this.coreFollow[c]! * nodeWave + this.coreBurstShare[c]! * nodeBursts + this.coreOwn[c]! * t + heat + this.coreNoise[c]!.integral(t);
      f.busy[c] = busy;
      f.idle[c] = t - busy;
      all += busy;
    }
    f.busyAll = all;
    // Runnable threads waiting for a core and tasks in uninterruptible I/O push load a bit above busy cores.
    const runnable = 1.08 * this.cores;
    // The node's integral at t, from the parts already at hand.
    const now = this.followMean * nodeWave + this.burstShareMean * nodeBursts + this.ownMean * t + heat;
    f.load1 = round2(runnable * this.meanShare(t, 60, now));
    f.load5 = round2(runnable * this.meanShare(t, 300, now));
    f.load15 = round2(runnable * this.meanShare(t, 900, now));

    const memory = this.spec.memoryBytes;
    // A heating node's memory leaks with it, to about 95 % used, and comes back when it is restarted.
    const leak = ramp === undefined ? 0 : Math.max(0, 0.95 - this.memoryUsed.mean) * ramp.fraction(t);
    f.memAvailable = kib(memory * (1 - clamp(this.memoryUsed.at(t) + leak, 0.03, 0.97)));
    f.swapFree = kib(this.swapTotal * (1 - clamp(this.swapUsed.at(t), 0, 1)));

    // Loops, not forEach: no closure per render.
    for (let i = 0; i < this.interfaces.length; i++) {
      const n = this.interfaces[i]!;
      f.rxBytes[i] = Math.floor(n.speedBytes * n.rx.integral(t));
      f.txBytes[i] = Math.floor(n.speedBytes * n.tx.integral(t));
    }
    for (let i = 0; i < this.disks.length; i++) {
      const d = this.disks[i]!;
      const read = d.read.integral(t);
      const written = d.write.integral(t);
      f.readBytes[i] = 512 * Math.floor((d.capacityBytesPerSecond * read) / 512);
      f.writtenBytes[i] = 512 * Math.floor((d.capacityBytesPerSecond * written) / 512);
      // Busy while reading or writing at half the device's capacity each: a share below 1.
      f.ioSeconds[i] = Math.floor(0.5 * (read + written) * 1000) / 1000;
      f.ioNow[i] = Math.floor(4 * (d.read.at(t) + d.write.at(t)) * hashUnit(this.spec.seed + i, ms));
    }
    for (let i = 0; i < this.filesystems.length; i++) {
      const fs = this.filesystems[i]!;
      f.fsAvail[i] = 4096 * Math.floor((fs.sizeBytes * (1 - clamp(fs.used.at(t), 0, 0.99))) / 4096);
    }
    return f;
  }

  /** The node's mean busy share over the `window` seconds before t, from its integral; `now` is the integral at t. */
  private meanShare(t: number, window: number, now: number): number {
    const w = Math.min(window, t);
    if (w > 0) return (now - this.nodeIntegral(t - w)) / w;
    const cpu = this.cpu;
    return this.followMean * cpu.baseAt(t) + this.burstShareMean * cpu.bursts.at(t) + this.ownMean + (cpu.ramp?.at(t) ?? 0);
  }

  /** The cores' mean busy seconds from boot to x, their own noise left out. */
  private nodeIntegral(x: number): number {
    const cpu = this.cpu;
    return this.followMean * cpu.baseIntegral(x) + this.burstShareMean * cpu.bursts.integral(x) + this.ownMean * x + (cpu.ramp?.integral(x) ?? 0);
  }

  /** Whether the node answers at this moment: all but a flapping node's outages. */
  answers(nowMs: number): boolean {
    const u = (nowMs - this.bootTimeMs) / 1000 - this.flapStart;
    return !(u >= 0 && u - Math.floor(u / FLAP_PERIOD_S) * FLAP_PERIOD_S < FLAP_DOWN_S);
  }
}

/** A standard normal draw (Box–Muller). */
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
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
