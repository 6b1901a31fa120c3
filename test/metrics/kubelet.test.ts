import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { KubeletDeriver, KUBELET_FAMILIES } from '../../src/metrics/kubelet.js';

const T = 1_700_000_000_000;
const CAPACITY = { cpuCores: 4, memoryBytes: 8 * 2 ** 30 };

/** A 1.32 kubelet's /metrics/resource: every sample stamped with the collection time `t`. */
function payload(t: number, v: { node: number; app: number; sidecar: number; ws?: number }): string {
  return `# TYPE container_cpu_usage_seconds_total counter
container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} ${v.app} ${t}
container_cpu_usage_seconds_total{container="sidecar",namespace="default",pod="web"} ${v.sidecar} ${t}
container_cpu_usage_seconds_total{container="coredns",namespace="kube-system",pod="dns"} 1 ${t}
# TYPE container_memory_working_set_bytes gauge
container_memory_working_set_bytes{container="app",namespace="default",pod="web"} 1.048576e+07 ${t}
container_memory_working_set_bytes{container="sidecar",namespace="default",pod="web"} 4096 ${t}
container_memory_working_set_bytes{container="coredns",namespace="kube-system",pod="dns"} 2048 ${t}
# TYPE container_start_time_seconds gauge
container_start_time_seconds{container="app",namespace="default",pod="web"} 1.69999996e+09
# TYPE node_cpu_usage_seconds_total counter
node_cpu_usage_seconds_total ${v.node} ${t}
# TYPE node_memory_working_set_bytes gauge
node_memory_working_set_bytes ${v.ws ?? 2 * 2 ** 30} ${t}
# TYPE pod_cpu_usage_seconds_total counter
pod_cpu_usage_seconds_total{namespace="default",pod="web"} ${v.app + v.sidecar} ${t}
# TYPE pod_memory_working_set_bytes gauge
pod_memory_working_set_bytes{namespace="default",pod="web"} 1.0489856e+07 ${t}
# TYPE resource_scrape_error gauge
resource_scrape_error 0
`;
}

const samples = (text: string) => parseExposition(text, { families: KUBELET_FAMILIES }).samples;

describe('KubeletDeriver', () => {
  it('gives memory at once and CPU from the second collection, over the time between the samples\' stamps', () => {
    const d = new KubeletDeriver();
    const first = d.update(samples(payload(T, { node: 50, app: 10, sidecar: 0.08 })), T + 700, CAPACITY);
    expect(first.figures.cpu).toEqual({ cores: 4, usagePercent: null, perCoreUsagePercent: null });
    expect(first.figures.memory).toEqual({ totalBytes: 8 * 2 ** 30, usedBytes: 2 * 2 ** 30, availableBytes: 6 * 2 ** 30, usedPercent: 25 });
    expect(first.scrapeError).toBe(false);
    // Scraped 3 s later, but the kubelet collected 10 s after the first: 10 core-seconds over 10 s.
    const second = d.update(samples(payload(T + 10_000, { node: 60, app: 12.5, sidecar: 0.1 })), T + 3_700, CAPACITY);
    expect(second.figures.cpu?.usagePercent).toBe(25);
    expect(second.figures.load).toBeNull();
    expect(second.figures.network).toBeNull();
    expect(second.pods).toEqual([
      {
        namespace: 'default', name: 'web', cpuCores: 0.252, memoryBytes: 10489856,
        containers: [
          { name: 'app', cpuCores: 0.25, memoryBytes: 10485760 },
          { name: 'sidecar', cpuCores: 0.002, memoryBytes: 4096 },
        ],
      },
      // No pod_ series for it: the sum of its containers.
      { namespace: 'kube-system', name: 'dns', cpuCores: 0, memoryBytes: 2048, containers: [{ name: 'coredns', cpuCores: 0, memoryBytes: 2048 }] },
    ]);
  });

  it('keeps the last rate when a scrape finds the same collection again (no false zero)', () => {
    const d = new KubeletDeriver();
    d.update(samples(payload(T, { node: 50, app: 10, sidecar: 0 })), T, CAPACITY);
    d.update(samples(payload(T + 10_000, { node: 70, app: 11, sidecar: 0 })), T + 10_000, CAPACITY);
    const again = d.update(samples(payload(T + 10_000, { node: 70, app: 11, sidecar: 0 })), T + 12_000, CAPACITY);
    expect(again.figures.cpu?.usagePercent).toBe(50);
    expect(again.pods[0]?.containers[0]?.cpuCores).toBe(0.1);
  });

  it('treats a counter that went down as reset, never a negative rate', () => {
    const d = new KubeletDeriver();
    d.update(samples(payload(T, { node: 500, app: 10, sidecar: 0 })), T, CAPACITY);
    const after = d.update(samples(payload(T + 10_000, { node: 4, app: 10, sidecar: 0 })), T + 10_000, CAPACITY);
    expect(after.figures.cpu?.usagePercent).toBe(10);
  });

  it('uses the scrape time for samples without a stamp, and caps CPU at the capacity', () => {
    const d = new KubeletDeriver();
    const text = (v: number) => `node_cpu_usage_seconds_total ${v}\nnode_memory_working_set_bytes 10\n`;
    d.update(samples(text(0)), T, { cpuCores: 1, memoryBytes: 0 });
    const r = d.update(samples(text(3)), T + 2_000, { cpuCores: 1, memoryBytes: 0 });
    expect(r.figures.cpu?.usagePercent).toBe(100);
    expect(r.figures.memory).toEqual({ totalBytes: 0, usedBytes: 10, availableBytes: 0, usedPercent: 0 });
  });

  it('reports a kubelet that could not collect, with either name of the gauge', () => {
    const d = new KubeletDeriver();
    expect(d.update(samples('resource_scrape_error 1\n'), T, CAPACITY)).toMatchObject({ scrapeError: true, pods: [] });
    expect(d.update(samples('scrape_error 1\n'), T, CAPACITY).scrapeError).toBe(true);
    expect(d.update(samples('scrape_error 1\n'), T, CAPACITY).figures.cpu).toBeNull();
  });
});
