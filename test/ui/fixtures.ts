/** A small cluster for UI tests: hand-made figures, a few history rows, one node down. */
import { ClusterStore } from '../../src/store/cluster-store.js';
import { UNKNOWN_HEALTH, type TargetHealth } from '../../src/scrape/types.js';
import type { NodeFigures } from '../../src/metrics/node-figures.js';

export const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const GiB = 1024 ** 3;

export interface FigureOptions {
  readonly cpu: number;
  readonly mem: number;
  readonly cores?: number;
  readonly load1?: number;
  readonly rx?: number;
  readonly tx?: number;
  readonly read?: number;
  readonly written?: number;
}

export function makeFigures(o: FigureOptions): NodeFigures {
  const cores = o.cores ?? 4;
  const total = 16 * GiB;
  return {
    cpu: { cores, usagePercent: o.cpu, perCoreUsagePercent: Array.from({ length: cores }, (_, i) => (o.cpu + i * 7) % 100) },
    load: { load1: o.load1 ?? o.cpu / 25, load5: 1, load15: 0.5 },
    memory: { totalBytes: total, usedBytes: (total * o.mem) / 100, availableBytes: (total * (100 - o.mem)) / 100, usedPercent: o.mem },
    swap: { totalBytes: 2 * GiB, usedBytes: 0 },
    network: { receiveBytesPerSecond: o.rx ?? 1000, transmitBytesPerSecond: o.tx ?? 500 },
    disk: { readBytesPerSecond: o.read ?? 2048, writtenBytesPerSecond: o.written ?? 4096 },
    filesystem: { sizeBytes: 100 * GiB, usedBytes: 40 * GiB },
    uptimeSeconds: 3 * 86400 + 4 * 3600,
  };
}

export function upHealth(atMs: number, extra: Partial<TargetHealth> = {}): TargetHealth {
  return {
    ...UNKNOWN_HEALTH,
    up: true,
    lastSuccessMs: atMs,
    lastScrapeMs: atMs,
    lastDurationMs: 120,
    lastBodyBytes: 45_000,
    lastWireBytes: 9_000,
    lastSamples: 1234,
    ...extra,
  };
}

export const NODES: readonly { readonly name: string; readonly figures?: FigureOptions }[] = [
  { name: 'alpha', figures: { cpu: 20, mem: 30, rx: 5e6 } },
  { name: 'bravo', figures: { cpu: 70, mem: 50, rx: 1e3 } },
  { name: 'charlie', figures: { cpu: 95, mem: 90, rx: 2e5 } },
  { name: 'delta' },
  { name: 'echo', figures: { cpu: 5, mem: 10, rx: 3e4 } },
];

/** Records `points` history rows a second apart, the last one at NOW; "delta" fails from 12 s before NOW. */
export function buildStore(points = 5, nodes = NODES): ClusterStore {
  const store = new ClusterStore(60);
  for (const n of nodes) store.upsert({ id: `http://${n.name}:9100/metrics`, name: n.name, target: `http://${n.name}:9100/metrics` });
  for (let p = points - 1; p >= 0; p--) {
    const at = NOW - p * 1000;
    for (const n of nodes) {
      const id = `http://${n.name}:9100/metrics`;
      if (n.figures) {
        const wobble = { ...n.figures, cpu: Math.min(100, n.figures.cpu + (p % 3)) };
        store.record(id, at, { name: n.name, source: 'node_exporter', figures: makeFigures(p === 0 ? n.figures : wobble), health: upHealth(at) });
      } else {
        store.recordDown(id, at, {
          ...UNKNOWN_HEALTH,
          lastSuccessMs: NOW - 12_000,
          lastScrapeMs: at,
          lastDurationMs: 3,
          lastError: 'connection refused',
          consecutiveFailures: 3,
        });
      }
    }
    store.appendClusterPoint(at);
  }
  return store;
}

/** Lets ink and React settle after input or data: a bounded number of event-loop turns. */
export async function tick(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

/** Types `keys` into the view one at a time, letting it settle after each. */
export async function type(stdin: { write: (s: string) => void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
}

/** expect.poll's bounds for a condition of a running UI (raw mode, output). */
export const WAIT = { timeout: 5000, interval: 10 } as const;

/** expect.poll's bounds for a frame to come. */
export const FRAME_WAIT = { timeout: 2000, interval: 10 } as const;

export const ANSI = /\u001b\[/;

export function frameLines(frame: string | undefined): string[] {
  return (frame ?? '').split('\n');
}
