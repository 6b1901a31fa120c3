/**
 * --prometheus against the real VictoriaMetrics holding a few hundred simulated nodes' series,
 * imported with timestamps (test/helpers/node-series.ts): every node's figures are the ones
 * computed here from the very samples imported. Two samples per series, 15 s apart: the source
 * learns a 15 s scrape interval, so its rate window (four of them) holds both, and a rate is
 * (last − first) / 15 s, as VictoriaMetrics computes it when no sample precedes the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeFigures } from '../../../src/metrics/node-figures.js';
import { VIRTUAL_INTERFACE } from '../../../src/metrics/node-exporter.js';
import { PrometheusClient } from '../../../src/sources/prometheus/client.js';
import { PrometheusSource } from '../../../src/sources/prometheus/prometheus-source.js';
import { NodeSeries } from '../../helpers/node-series.js';
import { requireBinary } from '../../helpers/real-binary.js';
import { startVictoriaMetrics, VICTORIA_METRICS, type RunningVictoriaMetrics } from '../../helpers/victoria-metrics.js';

const NODES = 300;
const STEP_MS = 15_000;

type Sample = { readonly name: string; readonly labels: Record<string, string>; readonly value: number };

/** The imported text's samples by instance and time (`instance@ms`). */
function samplesBy(text: string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+) (\d+)$/.exec(line);
    if (m === null) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of m[2]!.matchAll(/(\w+)="([^"]*)"/g)) labels[k!] = v!;
    const key = `${labels.instance}@${m[4]}`;
    const list = out.get(key) ?? [];
    list.push({ name: m[1]!, labels, value: Number(m[3]) });
    out.set(key, list);
  }
  return out;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** What the figures should be, from the two imported times' samples (node-exporter.ts's formulas). */
function expected(before: Sample[], after: Sample[]): Partial<NodeFigures> {
  const seconds = STEP_MS / 1000;
  const key = (s: Sample) => `${s.name}${JSON.stringify(s.labels)}`;
  const old = new Map(before.map((s) => [key(s), s.value]));
  const rate = (s: Sample) => (s.value - old.get(key(s))!) / seconds;
  const sum = (pick: (s: Sample) => boolean, f: (s: Sample) => number) => after.filter(pick).reduce((a, s) => a + f(s), 0);
  const gauge = (name: string) => after.find((s) => s.name === name)!.value;
  const cpu = (s: Sample) => s.name === 'node_cpu_seconds_total';
  const idle = sum((s) => cpu(s) && ['idle', 'iowait', 'steal'].includes(s.labels.mode!), rate);
  const all = sum(cpu, rate);
  const real = (s: Sample) => !VIRTUAL_INTERFACE.test(s.labels.device ?? '');
  const total = gauge('node_memory_MemTotal_bytes');
  const available = gauge('node_memory_MemAvailable_bytes');
  const root = (name: string) => after.find((s) => s.name === name && s.labels.mountpoint === '/')!.value;
  return {
    cpu: { cores: after.filter((s) => cpu(s) && s.labels.mode === 'idle').length, usagePercent: round(Math.min(100, Math.max(0, 100 * (1 - idle / all)))), perCoreUsagePercent: expect.any(Array) as never },
    load: { load1: gauge('node_load1'), load5: gauge('node_load5'), load15: gauge('node_load15') },
    memory: { totalBytes: total, availableBytes: available, usedBytes: total - available, usedPercent: round((100 * (total - available)) / total) },
    network: {
      receiveBytesPerSecond: round(sum((s) => s.name === 'node_network_receive_bytes_total' && real(s), rate)),
      transmitBytesPerSecond: round(sum((s) => s.name === 'node_network_transmit_bytes_total' && real(s), rate)),
    },
    disk: {
      readBytesPerSecond: round(sum((s) => s.name === 'node_disk_read_bytes_total', rate)),
      writtenBytesPerSecond: round(sum((s) => s.name === 'node_disk_written_bytes_total', rate)),
    },
    filesystem: { sizeBytes: root('node_filesystem_size_bytes'), usedBytes: root('node_filesystem_size_bytes') - root('node_filesystem_avail_bytes') },
    uptimeSeconds: Math.max(0, round(gauge('node_time_seconds') - gauge('node_boot_time_seconds'))),
  };
}

/**
 * Numbers within a millionth: VictoriaMetrics keeps 12 significant digits of a value (its
 * documentation says so), and a byte counter of 10^12 with decimals loses some of them.
 */
function close(actual: unknown, wanted: unknown, path: string): void {
  if (typeof wanted === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - wanted), `${path}: ${String(actual)} vs ${wanted}`).toBeLessThanOrEqual(Math.max(0.0011, Math.abs(wanted) * 1e-6));
  } else if (typeof wanted === 'object' && wanted !== null && !Array.isArray(wanted) && !('asymmetricMatch' in wanted)) {
    for (const [k, v] of Object.entries(wanted)) close((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  }
}

describe.runIf(requireBinary(VICTORIA_METRICS))('--prometheus against the real VictoriaMetrics', () => {
  let vm: RunningVictoriaMetrics;
  let series: NodeSeries;
  let text = '';
  const times = [0, 0];

  beforeAll(async () => {
    vm = await startVictoriaMetrics();
    const last = Math.floor(Date.now() / 1000) * 1000 - 5_000;
    times[0] = last - STEP_MS;
    times[1] = last;
    series = new NodeSeries({ nodes: NODES, seed: 7, timesMs: times, format: 'prometheus' });
    for (const chunk of series.chunks(4_000_000)) {
      text += chunk;
      await vm.importText(chunk);
    }
    await vm.flush();
  }, 60_000);

  afterAll(async () => {
    await vm?.stop();
  });

  /** One --once collection from the real server, stopped, with no notice to give. */
  async function collectedOnce(client: { denyPartial?: boolean } = {}): Promise<PrometheusSource> {
    const source = new PrometheusSource({
      client: new PrometheusClient({ baseUrl: new URL(vm.url), timeoutMs: 10_000, ...client }),
      displayUrl: vm.url,
      selector: '',
      intervalMs: 2000,
      historyPoints: 4,
    });
    await source.collectOnce();
    await source.stop();
    expect(source.notice).toBeUndefined();
    return source;
  }

  it('gives every node the figures computed from the imported samples', async () => {
    const source = await collectedOnce();
    expect(source.rateWindowMs).toBe(4 * STEP_MS);
    const nodes = source.store.nodes();
    expect(nodes).toHaveLength(NODES);
    const imported = samplesBy(text);
    const samplesOf = (instance: string, atMs: number) => imported.get(`${instance}@${atMs}`) ?? [];
    let up = 0;
    for (let i = 0; i < NODES; i++) {
      const { instance, up: isUp } = series.node(i);
      const node = source.store.get(instance);
      expect(node, instance).toBeDefined();
      expect(node!.health.up, instance).toBe(isUp);
      if (!isUp) {
        expect(node!.figures.cpu, instance).toBeNull();
        continue;
      }
      up++;
      const after = samplesOf(instance, times[1]!);
      expect(node!.name, instance).toBe(after.find((s) => s.name === 'node_uname_info')!.labels.nodename);
      close(node!.figures, expected(samplesOf(instance, times[0]!), after), instance);
      expect(node!.figures.cpu?.perCoreUsagePercent, instance).toHaveLength(node!.figures.cpu!.cores);
    }
    // The simulator's down and slow nodes are few: nearly all are compared.
    expect(up).toBeGreaterThan(NODES * 0.9);
  }, 60_000);

  it('takes --no-partial-response (deny_partial_response=1), and its whole answers are not called partial', async () => {
    const source = await collectedOnce({ denyPartial: true });
    expect(source.partial).toBeUndefined();
    const up = source.store.nodes().filter((n) => n.health.up);
    expect(up.length).toBeGreaterThan(NODES * 0.9);
    expect(up.every((n) => n.figures.cpu?.usagePercent != null && n.figures.memory !== null)).toBe(true);
  }, 60_000);
});
