import { goFloat } from './formats.js';
import type { Collection } from './usage.js';

/** The kubelet's /metrics/resource, as pkg/kubelet/metrics/collectors/resource_metrics.go writes it. */

export const RESOURCE_METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  /** Stability as of 1.29, when the resource metrics went GA; before that every one was ALPHA. */
  stable: boolean;
  lines: string[];
}

function minorOf(version: string): number {
  const m = /^v?1\.(\d+)\./.exec(version);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

function labels(pairs: [string, string][]): string {
  const escaped = pairs.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${escaped.join(',')}}`;
}

const seconds = (nanos: number): string => goFloat(nanos / 1e9);
// float64(t.UnixNano())/1e9 in Go: converting the nanoseconds to a double first, then dividing.
const unixSeconds = (ms: number): string => goFloat(Number(BigInt(ms) * 1_000_000n) / 1e9);

/**
 * Renders one scrape. Families come out sorted by name and series by label values, as client_golang's
 * Gather sorts them; label pairs are sorted by name (container, namespace, pod).
 */
export function renderResourceMetrics(c: Collection, kubeletVersion: string, scrapeFailed: boolean): string {
  const minor = minorOf(kubeletVersion);
  const fam = (name: string, type: Family['type'], help: string, stable = true): Family => ({ name, type, help, stable, lines: [] });
  const containerCpu = fam('container_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed by the container in core-seconds');
  const containerMem = fam('container_memory_working_set_bytes', 'gauge', 'Current working set of the container in bytes');
  const containerStart = fam('container_start_time_seconds', 'gauge', 'Start time of the container since unix epoch in seconds');
  const nodeCpu = fam('node_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed by the node in core-seconds');
  const nodeMem = fam('node_memory_working_set_bytes', 'gauge', 'Current working set of the node in bytes');
  const podCpu = fam('pod_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed by the pod in core-seconds');
  const podMem = fam('pod_memory_working_set_bytes', 'gauge', 'Current working set of the pod in bytes');
  const scrapeErrorHelp = '1 if there was an error while getting container metrics, 0 otherwise';
  const resourceScrapeError = fam('resource_scrape_error', 'gauge', scrapeErrorHelp);
  // Renamed in 1.29: the old name carries a deprecation note for one release, then is hidden.
  const scrapeError = fam('scrape_error', 'gauge', minor >= 29 ? `(Deprecated since 1.29.0) ${scrapeErrorHelp}` : scrapeErrorHelp, false);

  if (!scrapeFailed) {
    const t = String(c.at);
    nodeCpu.lines.push(`node_cpu_usage_seconds_total ${seconds(c.node.cpuNanos)} ${t}`);
    nodeMem.lines.push(`node_memory_working_set_bytes ${goFloat(c.node.memoryBytes)} ${t}`);
    const containers = c.pods.flatMap((p) => p.containers.map((ct) => ({ pod: p, ct })));
    containers.sort((a, b) => cmp(a.ct.name, b.ct.name) || cmp(a.pod.namespace, b.pod.namespace) || cmp(a.pod.name, b.pod.name));
    for (const { pod, ct } of containers) {
      const l = labels([['container', ct.name], ['namespace', pod.namespace], ['pod', pod.name]]);
      containerCpu.lines.push(`container_cpu_usage_seconds_total${l} ${seconds(ct.cpuNanos)} ${t}`);
      containerMem.lines.push(`container_memory_working_set_bytes${l} ${goFloat(ct.memoryBytes)} ${t}`);
      // Until 1.29 this sample was stamped with the start time itself (kubernetes#117880); since then, unstamped.
      containerStart.lines.push(`container_start_time_seconds${l} ${unixSeconds(ct.startedAt)}${minor < 29 ? ` ${ct.startedAt}` : ''}`);
    }
    const pods = [...c.pods].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
    for (const pod of pods) {
      const l = labels([['namespace', pod.namespace], ['pod', pod.name]]);
      podCpu.lines.push(`pod_cpu_usage_seconds_total${l} ${seconds(pod.cpuNanos)} ${t}`);
      podMem.lines.push(`pod_memory_working_set_bytes${l} ${goFloat(pod.memoryBytes)} ${t}`);
    }
  }
  const errorValue = scrapeFailed ? '1' : '0';
  scrapeError.lines.push(`scrape_error ${errorValue}`);
  const families = [containerCpu, containerMem, containerStart, nodeCpu, nodeMem, podCpu, podMem];
  if (minor >= 29) {
    resourceScrapeError.lines.push(`resource_scrape_error ${errorValue}`);
    families.push(resourceScrapeError);
  }
  if (minor <= 29) families.push(scrapeError);

  let out = '';
  for (const f of families) {
    if (f.lines.length === 0) continue;
    const level = f.stable && minor >= 29 ? 'STABLE' : 'ALPHA';
    out += `# HELP ${f.name} [${level}] ${f.help}\n# TYPE ${f.name} ${f.type}\n${f.lines.join('\n')}\n`;
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
