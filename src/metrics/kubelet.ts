import type { Sample } from '../exposition/types.js';
import type { ContainerFigures, PodFigures } from './kube-figures.js';
import type { NodeFigures } from './node-figures.js';
import { EMPTY_FIGURES } from './node-figures.js';
import { CounterRates } from './counter-rates.js';
import { round } from './node-exporter.js';

/** The kubelet's /metrics/resource families; the parser skips the rest without building them. */
export const KUBELET_FAMILIES: ReadonlySet<string> = new Set([
  'node_cpu_usage_seconds',
  'node_memory_working_set_bytes',
  'pod_cpu_usage_seconds',
  'pod_memory_working_set_bytes',
  'container_cpu_usage_seconds',
  'container_memory_working_set_bytes',
  'resource_scrape_error',
  'scrape_error',
]);

/** What the figures are relative to: the Node object's capacity. */
export interface NodeCapacity {
  readonly cpuCores: number;
  readonly memoryBytes: number;
}

export interface KubeletDerived {
  /** cpu and memory only: the kubelet says nothing of load, network, disks or uptime. */
  readonly figures: NodeFigures;
  readonly pods: PodFigures[];
  /** The kubelet answered but could not get the stats itself (resource_scrape_error 1). */
  readonly scrapeError: boolean;
}

interface PodReading {
  readonly namespace: string;
  readonly name: string;
  cpu: number | null | undefined;
  memory: number | undefined;
  readonly containers: Map<string, { cpu: number | null; memory: number | undefined }>;
}

/**
 * Turns one node's successive kubelet resource-metrics scrapes into node figures and pod figures.
 * The kubelet stamps each sample with the time its stats were collected, so rates divide by the
 * time between collections, not between scrapes; a collection seen twice keeps the last rate.
 * Stateful, like NodeExporterDeriver: one per node for as long as the node is monitored.
 */
export class KubeletDeriver {
  private readonly rates = new CounterRates();

  update(samples: readonly Sample[], scrapeTimeMs: number, capacity: NodeCapacity): KubeletDerived {
    let cpuRate: number | null | undefined;
    let workingSet: number | undefined;
    let scrapeError = false;
    const pods = new Map<string, PodReading>();
    const podOf = (s: Sample): PodReading => {
      const namespace = s.labels.namespace ?? '';
      const name = s.labels.pod ?? '';
      const key = `${namespace}/${name}`;
      let pod = pods.get(key);
      if (!pod) pods.set(key, (pod = { namespace, name, cpu: undefined, memory: undefined, containers: new Map() }));
      return pod;
    };
    const containerOf = (s: Sample) => {
      const containers = podOf(s).containers;
      const name = s.labels.container ?? '';
      let c = containers.get(name);
      if (!c) containers.set(name, (c = { cpu: null, memory: undefined }));
      return c;
    };

    this.rates.begin();
    for (const s of samples) {
      const t = s.timestampMs ?? scrapeTimeMs;
      switch (s.name) {
        case 'node_cpu_usage_seconds_total':
          cpuRate = this.rates.update('node', s.value, t);
          break;
        case 'node_memory_working_set_bytes':
          workingSet = s.value;
          break;
        case 'pod_cpu_usage_seconds_total':
          podOf(s).cpu = this.rates.update(`pod/${s.labels.namespace}/${s.labels.pod}`, s.value, t);
          break;
        case 'pod_memory_working_set_bytes':
          podOf(s).memory = s.value;
          break;
        case 'container_cpu_usage_seconds_total':
          containerOf(s).cpu = this.rates.update(`container/${s.labels.namespace}/${s.labels.pod}/${s.labels.container}`, s.value, t);
          break;
        case 'container_memory_working_set_bytes':
          containerOf(s).memory = s.value;
          break;
        case 'resource_scrape_error':
        case 'scrape_error':
          if (s.value !== 0) scrapeError = true;
          break;
      }
    }
    this.rates.sweep();

    const figures: NodeFigures = {
      ...EMPTY_FIGURES,
      cpu: cpuRate === undefined ? null : cpuFigures(cpuRate, capacity.cpuCores),
      memory: workingSet === undefined ? null : memoryFigures(workingSet, capacity.memoryBytes),
    };
    return { figures, pods: [...pods.values()].map(podFigures).sort(byNamespaceAndName), scrapeError };
  }
}

function cpuFigures(rate: number | null, cores: number): NodeFigures['cpu'] {
  const usage = rate === null || !(cores > 0) ? null : round(Math.min(100, Math.max(0, (100 * rate) / cores)));
  return { cores, usagePercent: usage, perCoreUsagePercent: null };
}

function memoryFigures(workingSet: number, total: number): NodeFigures['memory'] {
  return {
    totalBytes: total,
    usedBytes: workingSet,
    availableBytes: Math.max(0, total - workingSet),
    usedPercent: total > 0 ? round((100 * workingSet) / total) : 0,
  };
}

/** A pod's own series when the kubelet gives them (1.20 and later), else the sum of its containers. */
function podFigures(pod: PodReading): PodFigures {
  const containers: ContainerFigures[] = [...pod.containers]
    .map(([name, c]) => ({ name, cpuCores: nanocores(c.cpu), memoryBytes: c.memory ?? null }))
    .sort((a, b) => compare(a.name, b.name));
  return {
    namespace: pod.namespace,
    name: pod.name,
    cpuCores: pod.cpu !== undefined ? nanocores(pod.cpu) : nanocores(sum(containers.map((c) => c.cpuCores))),
    memoryBytes: pod.memory ?? sum(containers.map((c) => c.memoryBytes)),
    containers,
  };
}

/** The kubelet counts whole core-nanoseconds: finer digits of a rate are float noise (0.0020000000000000005). */
function nanocores(cores: number | null): number | null {
  return cores === null ? null : Math.round(cores * 1e9) / 1e9;
}

function sum(values: readonly (number | null)[]): number | null {
  let total: number | null = null;
  for (const v of values) if (v !== null) total = (total ?? 0) + v;
  return total;
}

function byNamespaceAndName(a: PodFigures, b: PodFigures): number {
  return compare(a.namespace, b.namespace) || compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
