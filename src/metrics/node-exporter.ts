import type { Sample } from '../exposition/types.js';
import type { NodeFigures, NodeSource } from './node-figures.js';
import { EMPTY_FIGURES } from './node-figures.js';
import { busyPercent, CounterRates, CpuIntervals } from './counter-rates.js';

/**
 * The node_exporter series the node view reads, in one place: the scrape's family filter below,
 * the derivation, and the PromQL of the Prometheus source (sources/prometheus/queries.ts) use them.
 */
export const NODE_SERIES = {
  cpuSeconds: 'node_cpu_seconds_total',
  load1: 'node_load1',
  load5: 'node_load5',
  load15: 'node_load15',
  memTotal: 'node_memory_MemTotal_bytes',
  memAvailable: 'node_memory_MemAvailable_bytes',
  swapTotal: 'node_memory_SwapTotal_bytes',
  swapFree: 'node_memory_SwapFree_bytes',
  networkReceive: 'node_network_receive_bytes_total',
  networkTransmit: 'node_network_transmit_bytes_total',
  diskRead: 'node_disk_read_bytes_total',
  diskWritten: 'node_disk_written_bytes_total',
  filesystemSize: 'node_filesystem_size_bytes',
  filesystemAvail: 'node_filesystem_avail_bytes',
  bootTime: 'node_boot_time_seconds',
  time: 'node_time_seconds',
  uname: 'node_uname_info',
} as const;

/**
 * The families the node view reads; the parser skips every other family without building it. A
 * counter's family is its name without `_total`, an info metric's without `_info` (OpenMetrics).
 */
export const NODE_EXPORTER_FAMILIES: ReadonlySet<string> = new Set(Object.values(NODE_SERIES).map((name) => name.replace(/_(total|info)$/, '')));


/**
 * Interfaces left out of network throughput: loopback, and virtual ones whose traffic is also
 * counted on a physical interface (container veths and bridges, CNI overlays, tunnels, VPNs).
 */
export const VIRTUAL_INTERFACE =
  /^(lo|veth|docker|br-|cni|flannel|cali|virbr|vxlan|tunl|tun|tap|kube-|weave|vnet|lxc|cilium|genev|dummy|nodelocaldns|wg|tailscale|zt|ip6tnl|sit|gre|erspan|ifb|nlmon)/;

const IDLE_MODES = new Set(['idle', 'iowait', 'steal']);

export interface Derived {
  readonly name: string;
  readonly source: NodeSource;
  readonly figures: NodeFigures;
}

/**
 * Turns one node's successive node_exporter scrapes into NodeFigures. Stateful: rates need the
 * previous reading, so keep one deriver per target for as long as the target is monitored.
 */
export class NodeExporterDeriver {
  private readonly rates = new CounterRates();
  private readonly cpu = new CpuIntervals();
  /** The core ids of the last scrape in order, and the node's name: both rarely change, so kept. */
  private coreIds: string[] = [];
  private nodename: string | undefined;

  constructor(private readonly fallbackName: string) {}

  update(samples: readonly Sample[], scrapeTimeMs: number): Derived {
    const gauges = new Map<string, number>();
    const cpuTotals = new Map<string, { total: number; idle: number; timeMs: number }>();
    const rx: [string, number, number][] = [];
    const tx: [string, number, number][] = [];
    const read: [string, number, number][] = [];
    const written: [string, number, number][] = [];
    let nodename: string | undefined;
    let fsSize: number | undefined;
    let fsAvail: number | undefined;
    let nodeSamples = 0;

    for (const s of samples) {
      const t = s.timestampMs ?? scrapeTimeMs;
      switch (s.name) {
        case NODE_SERIES.cpuSeconds: {
          const core = s.labels.cpu ?? '';
          let c = cpuTotals.get(core);
          if (!c) cpuTotals.set(core, (c = { total: 0, idle: 0, timeMs: t }));
          c.total += s.value;
          if (IDLE_MODES.has(s.labels.mode ?? '')) c.idle += s.value;
          break;
        }
        case NODE_SERIES.networkReceive:
        case NODE_SERIES.networkTransmit: {
          const device = s.labels.device ?? '';
          if (VIRTUAL_INTERFACE.test(device)) break;
          (s.name === NODE_SERIES.networkReceive ? rx : tx).push([device, s.value, t]);
          break;
        }
        case NODE_SERIES.diskRead:
          read.push([s.labels.device ?? '', s.value, t]);
          break;
        case NODE_SERIES.diskWritten:
          written.push([s.labels.device ?? '', s.value, t]);
          break;
        case NODE_SERIES.filesystemSize:
          if (s.labels.mountpoint === '/' && fsSize === undefined) fsSize = s.value;
          break;
        case NODE_SERIES.filesystemAvail:
          if (s.labels.mountpoint === '/' && fsAvail === undefined) fsAvail = s.value;
          break;
        case NODE_SERIES.uname:
          nodename = s.labels.nodename;
          break;
        default:
          if (s.name.startsWith('node_')) gauges.set(s.name, s.value);
          else continue;
      }
      nodeSamples++;
    }

    // The name outlives the payload; a copy keeps the payload it was sliced from collectable.
    if (nodename && nodename !== this.nodename) this.nodename = ` ${nodename}`.slice(1);
    const name = nodename ? (this.nodename as string) : this.fallbackName;
    if (nodeSamples === 0) return { name, source: 'app', figures: EMPTY_FIGURES };

    this.rates.begin();
    this.cpu.begin();
    const figures: NodeFigures = {
      cpu: this.cpuFigures(cpuTotals),
      load: loadFigures(gauges),
      memory: memoryFigures(gauges),
      swap: swapFigures(gauges),
      network: this.pairOfRates('net', rx, tx, (r, w) => ({ receiveBytesPerSecond: r, transmitBytesPerSecond: w })),
      disk: this.pairOfRates('disk', read, written, (r, w) => ({ readBytesPerSecond: r, writtenBytesPerSecond: w })),
      filesystem: fsSize !== undefined && fsAvail !== undefined ? { sizeBytes: fsSize, usedBytes: fsSize - fsAvail } : null,
      uptimeSeconds: uptime(gauges, scrapeTimeMs),
    };
    this.rates.sweep();
    this.cpu.sweep();
    return { name, source: 'node_exporter', figures };
  }

  private cpuFigures(cores: Map<string, { total: number; idle: number; timeMs: number }>): NodeFigures['cpu'] {
    if (cores.size === 0) return null;
    const ids = this.sortedCoreIds(cores);
    let sumIdle = 0;
    let sumTotal = 0;
    let known = 0;
    const perCore = ids.map((id) => {
      const c = cores.get(id)!;
      const interval = this.cpu.update(id, c.total, c.idle, c.timeMs);
      if (!interval) return null;
      sumIdle += interval[0];
      sumTotal += interval[1];
      known++;
      return roundOrNull(busyPercent(interval[0], interval[1]));
    });
    return {
      cores: ids.length,
      usagePercent: known > 0 ? roundOrNull(busyPercent(sumIdle, sumTotal)) : null,
      perCoreUsagePercent: perCore,
    };
  }

  private sortedCoreIds(cores: ReadonlyMap<string, unknown>): readonly string[] {
    const same = this.coreIds.length === cores.size && this.coreIds.every((id) => cores.has(id));
    if (!same) this.coreIds = [...cores.keys()].sort(byCoreNumber);
    return this.coreIds;
  }

  /** Sums the per-device rates of two counter families; null until any device has a rate. */
  private pairOfRates<T>(
    prefix: string,
    a: [string, number, number][],
    b: [string, number, number][],
    make: (a: number, b: number) => T,
  ): T | null {
    if (a.length === 0 && b.length === 0) return null;
    const sumA = this.sumRates(`${prefix}:a:`, a);
    const sumB = this.sumRates(`${prefix}:b:`, b);
    if (sumA === null && sumB === null) return null;
    return make(round(sumA ?? 0), round(sumB ?? 0));
  }

  private sumRates(prefix: string, readings: [string, number, number][]): number | null {
    let sum: number | null = null;
    for (const [device, value, timeMs] of readings) {
      const rate = this.rates.update(prefix + device, value, timeMs);
      if (rate !== null) sum = (sum ?? 0) + rate;
    }
    return sum;
  }
}

function loadFigures(g: Map<string, number>): NodeFigures['load'] {
  const load1 = g.get(NODE_SERIES.load1);
  const load5 = g.get(NODE_SERIES.load5);
  const load15 = g.get(NODE_SERIES.load15);
  if (load1 === undefined || load5 === undefined || load15 === undefined) return null;
  return { load1, load5, load15 };
}

function memoryFigures(g: Map<string, number>): NodeFigures['memory'] {
  const total = g.get(NODE_SERIES.memTotal);
  const available = g.get(NODE_SERIES.memAvailable);
  if (total === undefined || available === undefined) return null;
  const used = total - available;
  return { totalBytes: total, usedBytes: used, availableBytes: available, usedPercent: total > 0 ? round((100 * used) / total) : 0 };
}

function swapFigures(g: Map<string, number>): NodeFigures['swap'] {
  const total = g.get(NODE_SERIES.swapTotal);
  const free = g.get(NODE_SERIES.swapFree);
  if (total === undefined || free === undefined) return null;
  return { totalBytes: total, usedBytes: total - free };
}

/** The node's own clock (node_time_seconds) when given, so a skewed clock here does not matter. */
function uptime(g: Map<string, number>, scrapeTimeMs: number): number | null {
  const boot = g.get(NODE_SERIES.bootTime);
  if (boot === undefined) return null;
  const now = g.get(NODE_SERIES.time) ?? scrapeTimeMs / 1000;
  return Math.max(0, round(now - boot));
}

/** Core ids in numeric order ("2" before "10"), as every source lists per-core figures. */
export function byCoreNumber(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  return Number.isNaN(na) || Number.isNaN(nb) ? a.localeCompare(b) : na - nb;
}

/** Snapshot figures carry three decimals: more is noise from float arithmetic, not information. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : round(x);
}
