/**
 * Sorting and filtering the node table's rows at 10,000 nodes, as every frame does (table-model.ts),
 * CPU time per call, medians of rounds. The peer: the straightforward sort with the same order
 * (Intl.Collator for natural names, ties by name), run on the same rows in the same rounds.
 * Target: both well inside a frame's 16 ms.
 */
import { EMPTY_FIGURES } from '../src/metrics/node-figures.js';
import { UNKNOWN_HEALTH } from '../src/scrape/types.js';
import { filterNodes, parseFilter, sortNodes, sortValue, type SortableNode, type SortKey } from '../src/ui/model/table-model.js';

const ROUNDS = 15;

function fleet(n: number): SortableNode[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `10.0.${i >> 8}.${i & 255}:9100`,
    // GKE-style names: long shared prefixes, as real fleets have.
    name: `gke-prod-default-pool-${((i * 7919) % 65536).toString(16).padStart(4, '0')}-node${i}`,
    labels: { job: 'node', zone: `z${i % 3}` },
    health: { ...UNKNOWN_HEALTH, up: i % 50 !== 0 },
    figures:
      i % 50 === 0
        ? EMPTY_FIGURES
        : { ...EMPTY_FIGURES, cpu: { cores: 8, usagePercent: Math.round((i * 37.1) % 100), perCoreUsagePercent: null }, load: { load1: (i % 70) / 10, load5: 1, load15: 1 } },
  }));
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The peer: decorate, then compare names with a collator on every tie. */
function plainSort(nodes: readonly SortableNode[], key: SortKey, descending: boolean): SortableNode[] {
  const sign = descending ? -1 : 1;
  const rows = nodes.map((node) => ({ node, value: key === 'name' ? null : sortValue(key as Exclude<SortKey, 'name'>, node) }));
  rows.sort((a, b) => {
    if (key !== 'name') {
      if (a.value === null || b.value === null) {
        if (a.value !== b.value) return a.value === null ? 1 : -1;
      } else if (a.value !== b.value) return sign * (a.value - b.value);
    }
    const byName = collator.compare(a.node.name, b.node.name) || (a.node.id < b.node.id ? -1 : 1);
    return key === 'name' ? sign * byName : byName;
  });
  return rows.map((r) => r.node);
}

function cpuMs(f: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export interface TableModelRow {
  readonly what: string;
  readonly ms: number;
  readonly peerMs: number | null;
}

export function benchTableModel(nodes = 10_000): TableModelRow[] {
  const rows = fleet(nodes);
  const out: TableModelRow[] = [];
  for (const key of ['name', 'cpu', 'load'] as const) {
    const descending = key !== 'name';
    // Warm both, and the order of names the first sort learns.
    sortNodes(rows, { key, descending });
    plainSort(rows, key, descending);
    out.push({ what: `sort by ${key}`, ms: cpuMs(() => sortNodes(rows, { key, descending })), peerMs: cpuMs(() => plainSort(rows, key, descending)) });
  }
  for (const text of ['node12', '/node1.*3$/', 'zone=z1']) {
    const filter = parseFilter(text);
    out.push({ what: `filter ${text}`, ms: cpuMs(() => filterNodes(rows, filter)), peerMs: null });
  }
  // `/` as you type: every keystroke filters and sorts again.
  const typed = 'gke-prod-default-pool-1';
  out.push({
    what: `type "${typed}" (per key)`,
    ms: cpuMs(() => {
      for (let i = 1; i <= typed.length; i++) sortNodes(filterNodes(rows, parseFilter(typed.slice(0, i))), { key: 'cpu', descending: true });
    }) / typed.length,
    peerMs: null,
  });
  return out;
}

export function printTableModel(rows: readonly TableModelRow[]): void {
  for (const r of rows) {
    const peer = r.peerMs === null ? '' : `   peer ${r.peerMs.toFixed(2)} ms, ratio ${(r.ms / r.peerMs).toFixed(2)}`;
    console.log(`  ${r.what.padEnd(36)} ${r.ms.toFixed(2).padStart(6)} ms${peer}`);
  }
}
