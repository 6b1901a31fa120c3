import type { Snapshot, SnapshotNode } from './snapshot.js';
import { visible } from '../util/visible-text.js';
import { withDistinctNames } from '../ui/name-fit.js';
import { formatBytes, formatDuration, formatNumber, formatPercent, formatRate, formatValue } from '../ui/format.js';

interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
  readonly cell: (n: SnapshotNode) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'NAME', align: 'left', cell: (n) => n.name },
  { title: 'STATUS', align: 'left', cell: (n) => (n.up ? 'up' : 'DOWN') },
  { title: 'CPU', align: 'right', cell: (n) => formatPercent(n.cpu?.usagePercent) },
  { title: 'CORES', align: 'right', cell: (n) => (n.cpu ? String(n.cpu.cores) : '-') },
  { title: 'MEM', align: 'right', cell: (n) => formatPercent(n.memory?.usedPercent) },
  { title: 'MEM USED', align: 'right', cell: (n) => memUsed(n) },
  { title: 'LOAD1', align: 'right', cell: (n) => formatNumber(n.load?.load1) },
  { title: 'NET RX', align: 'right', cell: (n) => formatRate(n.network?.receiveBytesPerSecond) },
  { title: 'NET TX', align: 'right', cell: (n) => formatRate(n.network?.transmitBytesPerSecond) },
  { title: 'DISK R', align: 'right', cell: (n) => formatRate(n.disk?.readBytesPerSecond) },
  { title: 'DISK W', align: 'right', cell: (n) => formatRate(n.disk?.writtenBytesPerSecond) },
  { title: 'ROOT FS', align: 'right', cell: (n) => rootFs(n) },
  { title: 'UPTIME', align: 'right', cell: (n) => formatDuration(n.uptimeSeconds) },
];

function memUsed(n: SnapshotNode): string {
  return n.memory ? `${formatBytes(n.memory.usedBytes)}/${formatBytes(n.memory.totalBytes)}` : '-';
}

function rootFs(n: SnapshotNode): string {
  const fs = n.filesystem;
  return fs && fs.sizeBytes > 0 ? formatPercent((100 * fs.usedBytes) / fs.sizeBytes) : '-';
}

/** The `--column`s after the built-in columns, titled by their names. */
function userColumns(snapshot: Snapshot): Column[] {
  return Object.keys(snapshot.nodes[0]?.columns ?? {}).map((name) => ({ title: name.toUpperCase(), align: 'right', cell: (n) => formatValue(n.columns[name]) }));
}

/** The `--once` table: plain text, no color, columns as wide as their widest cell; errors and alerts below. */
export function renderTable(given: Snapshot): string {
  // Targets on one host share its name: the table tells them apart by port or job, as the view does.
  const snapshot = { ...given, nodes: [...withDistinctNames(given.nodes.map((n) => ({ ...n, id: n.target })))] };
  const columns = [...COLUMNS, ...userColumns(snapshot)];
  // Names, errors and column titles come from outside: made visible, so a newline cannot forge a row.
  const rows = snapshot.nodes.map((n) => columns.map((c) => visible(c.cell(n))));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
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
  return `${out.join('\n')}\n`;
}
