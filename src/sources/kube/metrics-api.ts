/**
 * The fallback when the kubelets cannot be reached through the proxy: metrics.k8s.io, as
 * metrics-server serves it. It already holds rates (CPU over its own window), so one reading is
 * enough; it knows nothing but CPU and memory, and its pods do not say which node they run on.
 */
import type { ContainerFigures, PodFigures } from '../../metrics/kube-figures.js';
import type { NodeCapacity } from '../../metrics/kubelet.js';
import { round } from '../../metrics/node-exporter.js';
import { EMPTY_FIGURES, type NodeFigures } from '../../metrics/node-figures.js';
import type { KubeApi } from './api-client.js';
import { fields, isFields, type Fields } from './json.js';
import { parseQuantity } from './quantity.js';

export const METRICS_API = '/apis/metrics.k8s.io/v1beta1';

export interface NodeUsage {
  readonly cpuCores: number;
  readonly memoryBytes: number;
}

export interface MetricsApiReading {
  readonly nodes: ReadonlyMap<string, NodeUsage>;
  /** By `namespace/name`. */
  readonly pods: ReadonlyMap<string, PodFigures>;
}

/** Both lists; throws ApiError (403: not allowed, 404: no metrics-server). */
export async function readMetricsApi(api: KubeApi): Promise<MetricsApiReading> {
  const [nodeList, podList] = await Promise.all([api.getJson(`${METRICS_API}/nodes`), api.getJson(`${METRICS_API}/pods`)]);
  const nodes = new Map<string, NodeUsage>();
  for (const item of items(nodeList)) {
    const name = fields(item.metadata).name;
    const usage = readUsage(item.usage);
    if (typeof name === 'string' && usage) nodes.set(name, usage);
  }
  const pods = new Map<string, PodFigures>();
  for (const item of items(podList)) {
    const { name, namespace } = fields(item.metadata);
    if (typeof name !== 'string' || typeof namespace !== 'string') continue;
    const containers: ContainerFigures[] = (Array.isArray(item.containers) ? item.containers.filter(isFields) : []).map((c) => {
      const usage = readUsage(c.usage);
      return { name: typeof c.name === 'string' ? c.name : '', cpuCores: usage?.cpuCores ?? null, memoryBytes: usage?.memoryBytes ?? null };
    });
    pods.set(`${namespace}/${name}`, {
      namespace,
      name,
      cpuCores: containers.reduce((sum, c) => sum + (c.cpuCores ?? 0), 0),
      memoryBytes: containers.reduce((sum, c) => sum + (c.memoryBytes ?? 0), 0),
      containers,
    });
  }
  return { nodes, pods };
}

/** The figures the kubelet path would give for the same usage: CPU of capacity, working set of capacity. */
export function usageFigures(usage: NodeUsage, capacity: NodeCapacity): NodeFigures {
  const cores = capacity.cpuCores;
  const total = capacity.memoryBytes;
  return {
    ...EMPTY_FIGURES,
    cpu: { cores, usagePercent: cores > 0 ? round(Math.min(100, (100 * usage.cpuCores) / cores)) : null, perCoreUsagePercent: null },
    memory: {
      totalBytes: total,
      usedBytes: usage.memoryBytes,
      availableBytes: Math.max(0, total - usage.memoryBytes),
      usedPercent: total > 0 ? round((100 * usage.memoryBytes) / total) : 0,
    },
  };
}

function readUsage(value: unknown): NodeUsage | undefined {
  const usage = fields(value);
  const cpu = typeof usage.cpu === 'string' ? parseQuantity(usage.cpu) : null;
  const memory = typeof usage.memory === 'string' ? parseQuantity(usage.memory) : null;
  return cpu === null || memory === null ? undefined : { cpuCores: cpu, memoryBytes: memory };
}

function items(list: unknown): Fields[] {
  const all = isFields(list) && Array.isArray(list.items) ? list.items : [];
  return all.filter(isFields);
}
