/** What makes the simulated cluster look like a real one: uneven cores, a day, a node heating up, a flapping node. */
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { DAY_S, FLAP_DOWN_S, FLAP_PERIOD_S } from '../../src/simulator/node-model.js';
import { makeClusterSpecs } from '../../src/simulator/sim-cluster.js';
import { SimNode } from '../../src/simulator/sim-node.js';
import { BOOT, GIB, seriesKey, spec } from './sim-fixtures.js';

/** The cluster starts a day after BOOT. */
const START = BOOT + 86_400_000;

/** Per core: busy and total CPU seconds at a moment, from node_cpu_seconds_total. */
function cpuSeconds(node: SimNode, nowMs: number): { busy: number[]; total: number[] } {
  const busy: number[] = [];
  const total: number[] = [];
  for (const s of parseExposition(node.render(nowMs, ['cpu'])).samples) {
    if (s.name !== 'node_cpu_seconds_total') continue;
    const c = Number(s.labels.cpu);
    total[c] = (total[c] ?? 0) + s.value;
    if (s.labels.mode !== 'idle' && s.labels.mode !== 'iowait') busy[c] = (busy[c] ?? 0) + s.value;
  }
  return { busy, total };
}

/** Per-core busy percentages between two moments, and the node's. */
function usage(node: SimNode, fromMs: number, toMs: number): { cores: number[]; node: number } {
  const a = cpuSeconds(node, fromMs);
  const b = cpuSeconds(node, toMs);
  const cores = b.busy.map((x, c) => (100 * (x - a.busy[c]!)) / (b.total[c]! - a.total[c]!));
  return { cores, node: cores.reduce((x, y) => x + y, 0) / cores.length };
}

function memoryUsedShare(node: SimNode, nowMs: number): number {
  const { samples } = parseExposition(node.render(nowMs, ['meminfo']));
  const get = (name: string) => samples.find((s) => s.name === name)!.value;
  return 1 - get('node_memory_MemAvailable_bytes') / get('node_memory_MemTotal_bytes');
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('simulated nodes look like real ones', () => {
  it("spreads one node's cores over different loads, with pinned cores near full", () => {
    const node = new SimNode(spec({ cores: 64, memoryBytes: 256 * GIB, baseLoad: 0.3, clusterStartMs: START, workload: { hotCores: 4 } }));
    const { cores } = usage(node, START + 60_000, START + 120_000);
    expect(cores).toHaveLength(64);
    expect(cores.filter((u) => u > 85)).toHaveLength(4);
    const rest = cores.filter((u) => u <= 85);
    expect(Math.max(...rest) - Math.min(...rest)).toBeGreaterThan(20);
    // Not a few outliers around one level: the ordinary cores themselves spread.
    const sd = Math.sqrt(mean(rest.map((u) => (u - mean(rest)) ** 2)));
    expect(sd).toBeGreaterThan(4);
  });

  it('follows the cluster day: busiest at its peak, quietest at night, in step whatever the uptime', () => {
    // The day starts at 09:00, peaks at 14:00 and bottoms out at 02:00 (seconds since the start).
    const peak = ((14 - 9) / 24) * DAY_S * 1000;
    const night = ((26 - 9) / 24) * DAY_S * 1000;
    const window = (node: SimNode, at: number) => usage(node, START + at - 30_000, START + at + 30_000).node;
    for (const [seed, bootTimeMs] of [[1, BOOT], [2, BOOT - 40 * 86_400_000], [3, BOOT + 3_600_000]] as const) {
      const web = new SimNode(spec({ seed, bootTimeMs, baseLoad: 0.35, clusterStartMs: START, workload: { daily: 1, burstiness: 0 } }));
      expect(window(web, peak) - window(web, night), `seed ${seed}`).toBeGreaterThan(7);
      // Batch nodes run at night.
      const batch = new SimNode(spec({ seed, bootTimeMs, baseLoad: 0.35, clusterStartMs: START, workload: { daily: -1, burstiness: 0 } }));
      expect(window(batch, night) - window(batch, peak), `seed ${seed}`).toBeGreaterThan(7);
    }
  });

  it('moves from one scrape to the next, as real CPUs do', () => {
    const node = new SimNode(spec({ baseLoad: 0.4, clusterStartMs: START }));
    const steps = Array.from({ length: 30 }, (_, i) => usage(node, START + i * 2000, START + (i + 1) * 2000).node);
    const changes = steps.slice(1).map((u, i) => Math.abs(u - steps[i]!));
    expect(Math.max(...changes)).toBeGreaterThan(3);
    expect(Math.max(...steps) - Math.min(...steps)).toBeGreaterThan(8);
  });

  it('heats one node up over minutes, memory with it, then starts over', () => {
    const node = new SimNode(spec({ baseLoad: 0.15, clusterStartMs: START, heatsUp: true, workload: { burstiness: 0, daily: 0 } }));
    const cool = new SimNode(spec({ baseLoad: 0.15, clusterStartMs: START, workload: { burstiness: 0, daily: 0 } }));
    const minute = (n: SimNode, at: number) => usage(n, START + at, START + at + 60_000).node;
    const early = minute(node, 0);
    const late = minute(node, 420_000);
    expect(late - early).toBeGreaterThan(35);
    expect(late).toBeGreaterThan(65);
    expect(Math.abs(minute(cool, 420_000) - minute(cool, 0))).toBeLessThan(10);
    expect(memoryUsedShare(node, START + 480_000) - memoryUsedShare(node, START)).toBeGreaterThan(0.15);
    // Held at the top for four minutes: long enough for the built-in memory>90 for 2m alert.
    for (const at of [530_000, 600_000, 740_000]) expect(memoryUsedShare(node, START + at)).toBeGreaterThan(0.9);
    // Ramp from 90 s before the start over 600 s, held 240 s: restarted at +750 s, cool again.
    expect(minute(node, 760_000)).toBeLessThan(early + 10);
    expect(memoryUsedShare(node, START + 790_000)).toBeLessThan(memoryUsedShare(node, START + 700_000) - 0.15);
  });

  it('flaps on a schedule counted from the start of the cluster; other nodes always answer', () => {
    const flapping = new SimNode(spec({ clusterStartMs: START, flapping: true }));
    const steady = new SimNode(spec({ clusterStartMs: START }));
    const seconds = Array.from({ length: 1200 }, (_, s) => s);
    const down = seconds.filter((s) => !flapping.answers(START + s * 1000));
    expect(seconds.every((s) => steady.answers(START + s * 1000))).toBe(true);
    expect(down[0]).toBeGreaterThanOrEqual(30);
    expect(down[0]).toBeLessThanOrEqual(61);
    // FLAP_DOWN_S of every FLAP_PERIOD_S from then on.
    const period = seconds.filter((s) => s >= down[0]! && s < down[0]! + FLAP_PERIOD_S);
    expect(period.filter((s) => !flapping.answers(START + s * 1000)).length).toBeCloseTo(FLAP_DOWN_S, -1);
    expect(flapping.answers(START + (down[0]! + FLAP_PERIOD_S) * 1000)).toBe(false);
  });

  it.each([
    { heatsUp: true, workload: { hotCores: 3, daily: 1 } },
    { heatsUp: true, baseLoad: 0.9, cores: 2, workload: { daily: -1, burstiness: 1, network: 8, disk: 8 } },
    { flapping: true, baseLoad: 0.01, workload: { memory: 0.95, hotCores: 7 } },
  ])('never lets a counter go back, heating, pinned or flapping (%o)', (over) => {
    const node = new SimNode(spec({ ...over, clusterStartMs: START }));
    const last = new Map<string, number>();
    let checked = 0;
    // Across the heating ramp's restart (+750 s) and its cycle (840 s), in uneven steps.
    for (let t = START - 100_000; t < START + 2_000_000; t += 7_919) {
      const { samples, types } = parseExposition(node.render(t));
      for (const s of samples) {
        if (types.get(s.name) !== 'counter') continue;
        const key = seriesKey(s);
        const before = last.get(key);
        if (before !== undefined) expect(s.value, `${key} at ${t}`).toBeGreaterThanOrEqual(before);
        last.set(key, s.value);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('shows the same figures at the same time since the start, whenever the cluster is started', () => {
    const shift = 123_456_789;
    for (const s of makeClusterSpecs(24, 4).slice(0, 6)) {
      const a = new SimNode({ ...s, bootTimeMs: BOOT, clusterStartMs: START });
      const b = new SimNode({ ...s, bootTimeMs: BOOT + shift, clusterStartMs: START + shift });
      for (const since of [0, 61_000, 333_000]) {
        // The node's figures; not the exporter's own (go_, process_), nor values jittered by the wall clock.
        const figures = (node: SimNode, at: number) =>
          parseExposition(node.render(at, ['cpu', 'meminfo', 'netdev', 'diskstats', 'filesystem', 'loadavg'])).samples.filter(
            (x) => x.name.startsWith('node_') && !x.name.startsWith('node_scrape_collector') && x.name !== 'node_disk_io_now',
          );
        expect(figures(a, START + since).length).toBeGreaterThan(200);
        expect(figures(b, START + shift + since)).toEqual(figures(a, START + since));
      }
    }
  });
});
