/**
 * cAdvisor's `container_*` families -> the containers of a node. The same reader serves cAdvisor
 * itself and `cluster-top agent`, which writes its cgroup readings in cAdvisor's names.
 */
import type { Labels, Sample } from '../exposition/types.js';
import { CounterRates } from './counter-rates.js';
import { MAX_CONTAINERS, RESTARTS_FAMILY, type ContainerStats, type ContainerTable } from './container-stats.js';
import { EMPTY_FIGURES, type NodeFigures } from './node-figures.js';

/** The families read, for the parser's filter (a family `foo` keeps `foo_total`). */
export const CONTAINER_FAMILIES: ReadonlySet<string> = new Set([
  'container_cpu_usage_seconds',
  'container_memory_working_set_bytes',
  'container_spec_memory_limit_bytes',
  'container_network_receive_bytes',
  'container_network_transmit_bytes',
  'container_fs_reads_bytes',
  'container_fs_writes_bytes',
  'container_blkio_device_usage',
  'container_start_time_seconds',
  // `cluster-top agent`'s restart count (the runtime's own), beside cAdvisor's names.
  'cluster_top_container_restarts',
  // The machine, for the figures of a cAdvisor alone on its host.
  'machine_cpu_cores',
  'machine_memory_bytes',
]);

/** The families that mark a payload as a node's containers. */
export function hasContainerFamilies(samples: readonly Sample[]): boolean {
  for (const s of samples) if (s.name === 'container_cpu_usage_seconds_total' || s.name === 'container_memory_working_set_bytes') return true;
  return false;
}

/** One cgroup's readings of one scrape, summed over CPUs, interfaces and devices. */
interface Reading {
  labels: Labels;
  timeMs: number;
  cpu: number | null;
  /** cAdvisor's `cpu="total"` series, preferred over a per-CPU sum when both are written. */
  cpuTotal: number | null;
  memory: number | null;
  limit: number | null;
  rx: number | null;
  tx: number | null;
  fsRead: number | null;
  fsWrite: number | null;
  blkRead: number | null;
  blkWrite: number | null;
  startSeconds: number | null;
  restarts: number | null;
}

function emptyReading(labels: Labels, timeMs: number): Reading {
  return { labels, timeMs, cpu: null, cpuTotal: null, memory: null, limit: null, rx: null, tx: null, fsRead: null, fsWrite: null, blkRead: null, blkWrite: null, startSeconds: null, restarts: null };
}

const add = (sum: number | null, value: number): number => (sum ?? 0) + value;

/** Sums one sample into its cgroup's reading; false for samples of other families. */
function accumulate(r: Reading, s: Sample): void {
  switch (s.name) {
    case 'container_cpu_usage_seconds_total':
      if (s.labels['cpu'] === 'total') r.cpuTotal = add(r.cpuTotal, s.value);
      else r.cpu = add(r.cpu, s.value);
      break;
    case 'container_memory_working_set_bytes':
      r.memory = s.value;
      break;
    case 'container_spec_memory_limit_bytes':
      r.limit = s.value;
      break;
    case 'container_network_receive_bytes_total':
      r.rx = add(r.rx, s.value);
      break;
    case 'container_network_transmit_bytes_total':
      r.tx = add(r.tx, s.value);
      break;
    case 'container_fs_reads_bytes_total':
      r.fsRead = add(r.fsRead, s.value);
      break;
    case 'container_fs_writes_bytes_total':
      r.fsWrite = add(r.fsWrite, s.value);
      break;
    case 'container_blkio_device_usage_total':
      if (s.labels['operation'] === 'Read') r.blkRead = add(r.blkRead, s.value);
      else if (s.labels['operation'] === 'Write') r.blkWrite = add(r.blkWrite, s.value);
      break;
    case 'container_start_time_seconds':
      r.startSeconds = s.value;
      break;
    case RESTARTS_FAMILY:
      if (Number.isSafeInteger(s.value) && s.value >= 0) r.restarts = s.value;
      break;
  }
}

/**
 * cAdvisor writes no limit as 0, and some versions as the kernel's "max" (2^63 rounded down to a
 * page), far beyond any machine's memory: both mean none.
 */
function memoryLimit(value: number | null): number | null {
  return value !== null && value > 0 && value < 2 ** 62 ? value : null;
}

/** Container names whose start times are remembered, at most (a host's named cgroups, with room for churn). */
const MAX_STARTS = 4 * MAX_CONTAINERS;

const label = (labels: Labels, name: string): string | null => {
  const v = labels[name];
  return v === undefined || v === '' ? null : v;
};

/**
 * Turns one target's successive scrapes into its container table. Stateful: rates need the last
 * reading of each cgroup, so keep one per target. Rates divide by the samples' own timestamps
 * where the payload has them (cAdvisor stamps each cgroup with the time it read it, seconds apart
 * between cgroups and from the scrape), else by the scrape times.
 */
export class ContainerDeriver {
  private readonly rates = new CounterRates();
  private machine: NodeFigures = EMPTY_FIGURES;
  /** Per container name: its last start time and the restarts seen since this deriver began. */
  private readonly starts = new Map<string, { startSeconds: number; seen: number }>();

  /**
   * The host's CPU and memory from the root cgroup (`id="/"`) and `machine_*` of the last update:
   * the figures of a cAdvisor that is alone on its host, so that its row says how busy the host is.
   */
  get nodeFigures(): NodeFigures {
    return this.machine;
  }

  update(samples: readonly Sample[], scrapeTimeMs: number): ContainerTable {
    const readings = new Map<string, Reading>();
    let cores: number | null = null;
    let memoryTotal: number | null = null;
    for (const s of samples) {
      if (s.name === 'machine_cpu_cores') cores = s.value;
      else if (s.name === 'machine_memory_bytes') memoryTotal = s.value;
      if (!s.name.startsWith('container_') && s.name !== RESTARTS_FAMILY) continue;
      const id = s.labels['id'];
      if (id === undefined) continue;
      let r = readings.get(id);
      if (!r) readings.set(id, (r = emptyReading(s.labels, s.timestampMs ?? scrapeTimeMs)));
      else if (s.timestampMs !== undefined && s.timestampMs > r.timeMs) r.timeMs = s.timestampMs;
      accumulate(r, s);
    }
    this.rates.begin();
    this.machine = this.machineFigures(readings.get('/'), cores, memoryTotal);
    this.noteStarts(readings);
    const named: ContainerStats[] = [];
    let unnamed = 0;
    for (const [id, r] of readings) {
      const name = label(r.labels, 'name');
      // systemd slices and services, and the root: cgroups, not containers. Their rates are not
      // kept either, so the counter map holds containers only.
      if (name === null) {
        unnamed++;
        continue;
      }
      named.push(this.stats(id, name, r));
    }
    this.rates.sweep();
    this.forgetStarts(readings);
    named.sort((a, b) => (b.cpuPercent ?? -1) - (a.cpuPercent ?? -1) || (b.memoryBytes ?? -1) - (a.memoryBytes ?? -1) || (a.name < b.name ? -1 : 1));
    const containers = named.length > MAX_CONTAINERS ? named.slice(0, MAX_CONTAINERS) : named;
    return { containers, omitted: named.length - containers.length, unnamed };
  }

  private machineFigures(root: Reading | undefined, cores: number | null, memoryTotal: number | null): NodeFigures {
    if (!root) return EMPTY_FIGURES;
    const busy = root.cpuTotal ?? root.cpu;
    const rate = busy === null ? null : this.rates.update('/\u0000cpu', busy, root.timeMs);
    const cpu = cores !== null && cores > 0 ? { cores, usagePercent: rate === null ? null : Math.min(100, (100 * rate) / cores), perCoreUsagePercent: null } : null;
    const used = root.memory;
    const memory =
      memoryTotal !== null && memoryTotal > 0 && used !== null
        ? { totalBytes: memoryTotal, usedBytes: used, availableBytes: Math.max(0, memoryTotal - used), usedPercent: (100 * used) / memoryTotal }
        : null;
    return { ...EMPTY_FIGURES, cpu, memory };
  }

  /**
   * Restarts seen: the same name started again later (Docker keeps the id on a restart, Compose
   * makes a new one on a recreate; the name stays). Each name's latest start of the scrape counts,
   * so two cgroups under one name in one scrape (a container and its successor) count once.
   */
  private noteStarts(readings: ReadonlyMap<string, Reading>): void {
    const latest = new Map<string, number>();
    for (const r of readings.values()) {
      const name = label(r.labels, 'name');
      if (name !== null && r.startSeconds !== null && r.startSeconds > 0) latest.set(name, Math.max(latest.get(name) ?? 0, r.startSeconds));
    }
    for (const [name, startSeconds] of latest) {
      const last = this.starts.get(name);
      if (!last) {
        this.starts.set(name, { startSeconds, seen: 0 });
        continue;
      }
      // A second's slack: a start time read twice can differ by rounding (the agent's from an ISO time, cAdvisor's from the cgroup).
      if (startSeconds > last.startSeconds + 1) last.seen++;
      if (startSeconds > last.startSeconds) last.startSeconds = startSeconds;
    }
  }

  /**
   * Names are kept across scrapes they miss (a container restarting may be gone for one), but
   * bounded: past MAX_STARTS, the names absent from this scrape go.
   */
  private forgetStarts(readings: ReadonlyMap<string, Reading>): void {
    if (this.starts.size <= MAX_STARTS) return;
    const present = new Set<string>();
    for (const r of readings.values()) {
      const name = label(r.labels, 'name');
      if (name !== null) present.add(name);
    }
    for (const name of this.starts.keys()) if (!present.has(name)) this.starts.delete(name);
  }

  private stats(id: string, name: string, r: Reading): ContainerStats {
    const rate = (key: string, value: number | null): number | null => (value === null ? null : this.rates.update(`${id}\u0000${key}`, value, r.timeMs));
    const cpuSeconds = r.cpuTotal ?? r.cpu;
    const cpu = rate('cpu', cpuSeconds);
    // Null until the container's start time is known.
    const seen = this.starts.get(name)?.seen ?? null;
    return {
      id,
      name,
      image: label(r.labels, 'image'),
      composeProject: label(r.labels, 'container_label_com_docker_compose_project'),
      composeService: label(r.labels, 'container_label_com_docker_compose_service'),
      cpuPercent: cpu === null ? null : cpu * 100,
      memoryBytes: r.memory,
      memoryLimitBytes: memoryLimit(r.limit),
      receiveBytesPerSecond: rate('rx', r.rx),
      transmitBytesPerSecond: rate('tx', r.tx),
      readBytesPerSecond: rate('read', r.fsRead ?? r.blkRead),
      writtenBytesPerSecond: rate('write', r.fsWrite ?? r.blkWrite),
      startedAtMs: r.startSeconds === null || r.startSeconds <= 0 ? null : r.startSeconds * 1000,
      ...(r.restarts !== null ? { restarts: r.restarts, restartsCounted: 'total' as const } : seen === null ? { restarts: null, restartsCounted: null } : { restarts: seen, restartsCounted: 'seen' as const }),
    };
  }
}
