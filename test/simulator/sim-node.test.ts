import { readFileSync } from 'node:fs';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import type { Sample } from '../../src/exposition/types.js';
import { NODE_EXPORTER_FAMILIES, NodeExporterDeriver } from '../../src/metrics/node-exporter.js';
import { formatValue } from '../../src/simulator/payload-template.js';
import { SimNode } from '../../src/simulator/sim-node.js';
import { BOOT, GIB, seriesKey, spec } from './sim-fixtures.js';

const FIXTURE = readFileSync(new URL('../fixtures/node-exporter.prom', import.meta.url), 'utf8');


function value(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const s = samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  if (!s) throw new Error(`no ${name} ${JSON.stringify(labels)}`);
  return s.value;
}

describe('SimNode payload', () => {
  // Measured sizes (bytes, uncompressed / gzip level 1): 2 cores 62.4k / 12.0k, 8 cores 66.4k / 12.7k,
  // 32 cores 84.2k / 15.5k, 128 cores 149.7k / 24.5k; the real 2-core payload in the fixture is 57.5k
  // (9.4k gzipped by node_exporter itself). Best-of renders for 8 cores: 37 µs as a string, 66 µs as
  // bytes; gzip level 1 of it 0.14 ms.
  it.each([2, 8, 32, 128])('parses with both parsers at %i cores, with the same families as node_exporter', (cores) => {
    const text = new SimNode(spec({ cores, memoryBytes: cores * 4 * GIB })).render(BOOT + 86_400_000);
    const ours = parseExposition(text);
    expect(ours.types).toEqual(parseExposition(FIXTURE).types);
    const peer = parsePrometheusTextFormat(text);
    expect(peer.length).toBe(ours.types.size);
    expect(text.length).toBeGreaterThan(50_000);
  });

  it('has every family cluster-top reads, with consistent values', () => {
    const s = spec({ cores: 12, memoryBytes: 48 * GIB });
    const { samples } = parseExposition(new SimNode(s).render(BOOT + 3_600_000), { families: NODE_EXPORTER_FAMILIES });
    const names = new Set(samples.map((x) => x.name.replace(/_(total|info)$/, '')));
    for (const family of NODE_EXPORTER_FAMILIES) expect(names, family).toContain(family);

    const cpu = samples.filter((x) => x.name === 'node_cpu_seconds_total');
    expect(new Set(cpu.map((x) => x.labels.cpu)).size).toBe(12);
    expect(new Set(cpu.map((x) => x.labels.mode))).toEqual(new Set(['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']));
    expect(value(samples, 'node_memory_MemTotal_bytes')).toBe(s.memoryBytes);
    const available = value(samples, 'node_memory_MemAvailable_bytes');
    expect(available).toBeGreaterThan(0);
    expect(available).toBeLessThanOrEqual(s.memoryBytes);
    expect(value(samples, 'node_memory_SwapFree_bytes')).toBeLessThanOrEqual(value(samples, 'node_memory_SwapTotal_bytes'));
    expect(samples.find((x) => x.name === 'node_uname_info')?.labels.nodename).toBe('sim-node-007');
    expect(value(samples, 'node_filesystem_avail_bytes', { mountpoint: '/' })).toBeLessThan(value(samples, 'node_filesystem_size_bytes', { mountpoint: '/' }));
    expect(value(samples, 'node_boot_time_seconds')).toBe(BOOT / 1000);
    expect(value(samples, 'node_time_seconds')).toBe((BOOT + 3_600_000) / 1000);
    for (const load of ['node_load1', 'node_load5', 'node_load15']) expect(value(samples, load)).toBeGreaterThanOrEqual(0);
    // CPU seconds add up to the uptime on each core, within the 1/100 s the kernel counts in.
    const core0 = cpu.filter((x) => x.labels.cpu === '0').reduce((a, x) => a + x.value, 0);
    expect(core0).toBeGreaterThan(3600 - 0.1);
    expect(core0).toBeLessThanOrEqual(3600);
  });

  it.each([
    { cores: 4, baseLoad: 0.05, bootTimeMs: BOOT },
    { cores: 32, baseLoad: 0.9, bootTimeMs: BOOT - 3 * 365 * 86_400_000 },
  ])('never lets a counter go back as time moves forward (%o)', (over) => {
    const node = new SimNode(spec(over));
    // Steps from 1 ms to ~17 min, and 1 ms steps across the hourly burst-schedule edge.
    const moments: number[] = [];
    let t = BOOT - 5_000;
    for (let i = 0; i < 300; i++) moments.push((t += [1, 7, 999, 1000, 15_000, 1_000_003][i % 6]!));
    for (let k = 1; k <= 3; k++) for (let d = -3; d <= 3; d++) moments.push(BOOT + k * 3_600_000 + d);
    moments.sort((a, b) => a - b);
    const last = new Map<string, number>();
    let checked = 0;
    for (const now of moments) {
      const { samples, types } = parseExposition(node.render(now));
      for (const s of samples) {
        if (types.get(s.name) !== 'counter' && !s.name.endsWith('_count') && !s.name.endsWith('_sum')) continue;
        const key = seriesKey(s);
        const before = last.get(key);
        if (before !== undefined) expect(s.value, `${key} at ${now}`).toBeGreaterThanOrEqual(before);
        last.set(key, s.value);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(moments.length * 150);
  });

  it('is deterministic in (spec, moment), whatever order renders come in', () => {
    const a = new SimNode(spec());
    const b = new SimNode(spec());
    const t1 = BOOT + 1_234_567;
    const t2 = t1 + 86_400_000;
    const a1 = a.render(t1);
    const a2 = a.render(t2);
    expect(b.render(t2)).toBe(a2);
    expect(b.render(t1)).toBe(a1);
    expect(a.render(t1 + 0.4)).toBe(a1);
    expect(new SimNode(spec({ seed: 43 })).render(t1)).not.toBe(a1);
    // Without bootTimeMs the boot moment comes from the seed alone.
    const { bootTimeMs: _, ...noBoot } = spec();
    expect(new SimNode(noBoot).render(t1)).toBe(new SimNode(noBoot).render(t1));
  });

  it('feeds NodeExporterDeriver sane figures, and CPU moves over time', () => {
    const node = new SimNode(spec({ cores: 16, baseLoad: 0.4 }));
    const usages: number[] = [];
    for (let i = 0; i < 40; i++) {
      const deriver = new NodeExporterDeriver('fallback');
      const t = BOOT + 86_400_000 + i * 97_000;
      deriver.update(parseExposition(node.render(t), { families: NODE_EXPORTER_FAMILIES }).samples, t);
      const { name, figures } = deriver.update(parseExposition(node.render(t + 2000), { families: NODE_EXPORTER_FAMILIES }).samples, t + 2000);
      expect(name).toBe('sim-node-007');
      const cpu = figures.cpu!;
      expect(cpu.cores).toBe(16);
      expect(cpu.perCoreUsagePercent).toHaveLength(16);
      for (const u of [cpu.usagePercent, ...(cpu.perCoreUsagePercent ?? [])]) {
        expect(u).not.toBeNull();
        expect(u!).toBeGreaterThanOrEqual(0);
        expect(u!).toBeLessThanOrEqual(100);
      }
      usages.push(cpu.usagePercent!);
      expect(figures.network!.receiveBytesPerSecond).toBeGreaterThan(0);
      expect(figures.network!.transmitBytesPerSecond).toBeGreaterThan(0);
      expect(figures.disk!.readBytesPerSecond).toBeGreaterThanOrEqual(0);
      expect(figures.disk!.writtenBytesPerSecond).toBeGreaterThanOrEqual(0);
      expect(figures.memory!.usedPercent).toBeGreaterThan(0);
      expect(figures.memory!.usedPercent).toBeLessThan(100);
      expect(figures.uptimeSeconds).toBeCloseTo((t + 2000 - BOOT) / 1000, 3);
    }
    expect(Math.max(...usages) - Math.min(...usages)).toBeGreaterThan(5);
  });

  it('renders the same text as bytes, UTF-8 names included', () => {
    const t = BOOT + 5_000;
    for (const name of ['sim-node-007', 'nœud-ünïcode-✓']) {
      const node = new SimNode(spec({ name }));
      expect(node.renderBuffer(t).equals(Buffer.from(node.render(t), 'utf8'))).toBe(true);
      expect(node.render(t)).toContain(`nodename="${name}"`);
    }
  });

  it('rejects impossible specs', () => {
    expect(() => new SimNode(spec({ cores: 0 }))).toThrow(RangeError);
    expect(() => new SimNode(spec({ memoryBytes: 0 }))).toThrow(RangeError);
  });
});

describe('formatValue', () => {
  it('prints numbers as Go does for node_exporter', () => {
    expect(formatValue(510996)).toBe('510996');
    expect(formatValue(1946481)).toBe('1.946481e+06');
    expect(formatValue(6.82e-6)).toBe('6.82e-06');
    expect(formatValue(0.000362316)).toBe('0.000362316');
    expect(formatValue(3.5184372087808e13)).toBe('3.5184372087808e+13');
    expect(formatValue(1e21)).toBe('1e+21');
    expect(formatValue(-125000)).toBe('-125000');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatValue(Number.NaN)).toBe('NaN');
  });
});
