import type { Snapshot, SnapshotNode } from './snapshot.js';
import { visible } from '../util/visible-text.js';
import { withDistinctNames } from '../util/name-fit.js';
import { formatBytes, formatDuration, formatNumber, formatPercent, formatRate, formatValue } from '../util/format.js';

interface Column {
  readonly title: string;
  /** Lower goes first when the table must fit a terminal's width. */
  readonly keep: number;
  readonly align: 'left' | 'right';
  readonly cell: (n: SnapshotNode) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'NAME', keep: 99, align: 'left', cell: (n) => n.name },
  { title: 'STATUS', keep: 90, align: 'left', cell: (n) => (n.up ? 'up' : 'DOWN') },
  { title: 'CPU', keep: 80, align: 'right', cell: (n) => formatPercent(n.cpu?.usagePercent) },
  { title: 'CORES', keep: 10, align: 'right', cell: (n) => (n.cpu ? String(n.cpu.cores) : '-') },
  { title: 'MEM', keep: 70, align: 'right', cell: (n) => formatPercent(n.memory?.usedPercent) },
  { title: 'MEM USED', keep: 15, align: 'right', cell: (n) => memUsed(n) },
  { title: 'LOAD1', keep: 50, align: 'right', cell: (n) => formatNumber(n.load?.load1) },
  { title: 'NET RX', keep: 45, align: 'right', cell: (n) => formatRate(n.network?.receiveBytesPerSecond) },
  { title: 'NET TX', keep: 44, align: 'right', cell: (n) => formatRate(n.network?.transmitBytesPerSecond) },
  { title: 'DISK R', keep: 30, align: 'right', cell: (n) => formatRate(n.disk?.readBytesPerSecond) },
  { title: 'DISK W', keep: 29, align: 'right', cell: (n) => formatRate(n.disk?.writtenBytesPerSecond) },
  { title: 'ROOT FS', keep: 20, align: 'right', cell: (n) => rootFs(n) },
  { title: 'UPTIME', keep: 25, align: 'right', cell: (n) => formatDuration(n.uptimeSeconds) },
];

function memUsed(n: SnapshotNode): string {
  return n.memory ? `${formatBytes(n.memory.usedBytes)}/${formatBytes(n.memory.totalBytes)}` : '-';
}

function rootFs(n: SnapshotNode): string {
  const fs = n.filesystem;
  return fs && fs.sizeBytes > 0 ? formatPercent((100 * fs.usedBytes) / fs.sizeBytes) : '-';
}

/**
 * With GPUs (some node has them): how many, their mean utilisation and their memory in use, after
 * memory, as the view's GPU and GPU MEM columns; `-` for a node without.
 */
function gpuColumns(snapshot: Snapshot): Column[] {
  if (!snapshot.nodes.some((n) => n.gpus !== null && n.gpus.length > 0)) return [];
  return [
    { title: 'GPUS', keep: 12, align: 'right', cell: (n) => (n.gpus && n.gpus.length > 0 ? String(n.gpus.length) : '-') },
    { title: 'GPU', keep: 65, align: 'right', cell: (n) => formatPercent(mean(n.gpus?.map((g) => g.utilizationPercent))) },
    { title: 'GPU MEM', keep: 40, align: 'right', cell: (n) => gpuMemory(n) },
  ];
}

/** The mean of the known values; null when none is known. */
function mean(values: readonly (number | null)[] | undefined): number | null {
  const known = (values ?? []).filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
}

/** Memory in use over the total of the GPUs that report both. */
function gpuMemory(n: SnapshotNode): string {
  const both = (n.gpus ?? []).filter((g) => g.memoryUsedBytes !== null && g.memoryTotalBytes !== null && g.memoryTotalBytes > 0);
  if (both.length === 0) return '-';
  const used = both.reduce((a, g) => a + (g.memoryUsedBytes ?? 0), 0);
  const total = both.reduce((a, g) => a + (g.memoryTotalBytes ?? 0), 0);
  return `${formatBytes(used)}/${formatBytes(total)}`;
}

/** The `--column`s after the built-in columns, titled by their names. */
function userColumns(snapshot: Snapshot): Column[] {
  return Object.keys(snapshot.nodes[0]?.columns ?? {}).map((name) => ({ title: name.toUpperCase(), keep: 35, align: 'right', cell: (n) => formatValue(n.columns[name]) }));
}

/**
 * The `--once` table: plain text, no color, columns as wide as their widest cell; errors and
 * alerts below. With `width` (stdout is a terminal) columns drop, least needed first, until the
 * table fits, and the lines below are cut to it; piped, it is as wide as it needs.
 */
export function renderTable(given: Snapshot, width?: number): string {
  // Targets on one host share its name: the table tells them apart by port or job, as the view does.
  const snapshot = { ...given, nodes: [...withDistinctNames(given.nodes.map((n) => ({ ...n, id: n.target })))] };
  const memEnd = COLUMNS.findIndex((c) => c.title === 'MEM USED') + 1;
  let columns = [...COLUMNS.slice(0, memEnd), ...gpuColumns(snapshot), ...COLUMNS.slice(memEnd), ...userColumns(snapshot)];
  // Names, errors and column titles come from outside: made visible, so a newline cannot forge a row.
  let rows = snapshot.nodes.map((n) => columns.map((c) => visible(c.cell(n))));
  let widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const total = () => widths.reduce((n, w) => n + w, 0) + 2 * (widths.length - 1);
  while (width !== undefined && columns.length > 1 && total() > width) {
    let drop = 1;
    for (let i = 2; i < columns.length; i++) if ((columns[i]?.keep ?? 0) < (columns[drop]?.keep ?? 0)) drop = i;
    columns = columns.filter((_, i) => i !== drop);
    rows = rows.map((r) => r.filter((_, i) => i !== drop));
    widths = widths.filter((_, i) => i !== drop);
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (columns[i]?.align === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((c) => visible(c.title))), ...rows.map(line)];
  const down = snapshot.nodes.filter((n) => !n.up);
  for (const n of down) out.push(visible(`${n.name}: ${n.error ?? 'down'}`));
  for (const a of snapshot.alerts) out.push(visible(`ALERT ${a.state} ${a.name} on ${a.node}: ${formatValue(a.value)} (${a.rule})`));
  out.push(`${snapshot.nodes.length - down.length}/${snapshot.nodes.length} targets up at ${snapshot.collectedAt}`);
  const cut = (line: string) => (width !== undefined && line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line);
  return `${out.map(cut).join('\n')}\n`;
}
