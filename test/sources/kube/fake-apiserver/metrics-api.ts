import type { Cluster, NodeRuntime } from './cluster.js';
import { binaryQuantity, goDuration, nanocores, rfc3339 } from './formats.js';
import type { NodeMetrics, PodMetrics, Usage } from './k8s-types.js';
import type { Sample } from './usage.js';

/**
 * metrics.k8s.io as metrics-server serves it: the CPU rate between a kubelet's last two collections (in
 * nanocores), the latest working set (in Ki), stamped with the latest collection and its window.
 */

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';

function usage(prev: Sample, last: Sample, windowMs: number): Usage {
  return {
    cpu: nanocores((last.cpuNanos - prev.cpuNanos) / 1e9 / (windowMs / 1000)),
    memory: binaryQuantity(last.memoryBytes),
  };
}

/** Whether metrics-server got anything from this node's kubelet on its last scrape. */
const scraped = (runtime: NodeRuntime): boolean => runtime.spec.ready !== 'unknown' && !runtime.spec.scrapeError;

function nodeMetrics(cluster: Cluster, name: string, runtime: NodeRuntime): NodeMetrics | undefined {
  const node = cluster.nodes.get(name);
  if (!node || !scraped(runtime)) return undefined;
  const { previous, latest } = runtime;
  const windowMs = latest.at - previous.at;
  return {
    metadata: { name, creationTimestamp: rfc3339(cluster.clock.now()), labels: node.metadata.labels ?? {} },
    timestamp: rfc3339(latest.at),
    window: goDuration(windowMs),
    usage: usage(previous.node, latest.node, windowMs),
  };
}

export function listNodeMetrics(cluster: Cluster): NodeMetrics[] {
  return cluster.nodes.list().flatMap((n) => {
    const runtime = cluster.runtime(n.metadata.name);
    const m = runtime && nodeMetrics(cluster, n.metadata.name, runtime);
    return m ? [m] : [];
  });
}

export function getNodeMetrics(cluster: Cluster, name: string): NodeMetrics | undefined {
  const runtime = cluster.runtime(name);
  return runtime && nodeMetrics(cluster, name, runtime);
}

/** Pods with samples in both collections; a pod seen once has no rate yet and is left out, as metrics-server does. */
export function listPodMetrics(cluster: Cluster, namespace?: string): PodMetrics[] {
  return cluster.pods.list().flatMap((pod) => {
    const { name, namespace: ns } = pod.metadata;
    if (namespace !== undefined && ns !== namespace) return [];
    const runtime = cluster.runtime(pod.spec.nodeName);
    if (!runtime || !scraped(runtime)) return [];
    const find = (c: typeof runtime.latest) => c.pods.find((p) => p.name === name && p.namespace === ns);
    const prev = find(runtime.previous);
    const last = find(runtime.latest);
    if (!prev || !last) return [];
    const windowMs = runtime.latest.at - runtime.previous.at;
    // metrics-server walks a map here; by name is one order it can come out in, and a stable one.
    const byName = [...last.containers].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    const containers = byName.flatMap((c) => {
      const before = prev.containers.find((p) => p.name === c.name);
      return before ? [{ name: c.name, usage: usage(before, c, windowMs) }] : [];
    });
    return [{
      metadata: { name, namespace: ns, creationTimestamp: rfc3339(cluster.clock.now()), labels: pod.metadata.labels ?? {} },
      timestamp: rfc3339(runtime.latest.at),
      window: goDuration(windowMs),
      containers,
    }];
  });
}
