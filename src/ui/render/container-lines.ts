/**
 * Containers as lines: a node's box in its detail (drawn like btop's process box: a title with
 * the count, a header, the heaviest first), and the cluster-wide table of the heaviest containers.
 */
import type { ContainerStats, ContainerTable } from '../../metrics/container-stats.js';
import { COLUMN_GAP, GUTTER } from '../model/columns.js';
import { containerCell, limitPercent, placeContainerColumns, type ContainerColumnKey, type PlacedColumn } from '../model/container-columns.js';
import { defaultContainerSort, SORT_COLUMN, SORT_TITLE, sortContainers, type ContainerSortState } from '../model/container-sort.js';
import { isProjectHeader, type TopLine } from '../model/container-top.js';
import { fit, formatBytesShort, formatPercent } from '../../util/format.js';
import { fitLine, thresholdTone, type Segment, type Tone } from './segments.js';

const GAP: Segment = { text: ' '.repeat(COLUMN_GAP) };

function headerRow(columns: readonly PlacedColumn[], width: number, sortColumn: ContainerColumnKey = 'cpu', descending = true): Segment[] {
  const out: Segment[] = [{ text: ' '.repeat(GUTTER) }];
  columns.forEach((c, i) => {
    if (i > 0) out.push(GAP);
    const sorted = c.key === sortColumn;
    out.push({ text: fit(`${c.title}${sorted ? (descending ? '▼' : '▲') : ''}`, c.cells, c.align), bold: true, ...(sorted ? { color: 'cyan' as const } : {}) });
  });
  return fitLine(out, width);
}

function tone(c: ContainerStats, key: PlacedColumn['key']): Tone | undefined {
  if (key === 'limit') return thresholdTone(limitPercent(c));
  if (key === 'cpu') return c.cpuPercent === null ? 'gray' : undefined;
  if (key === 'service' || key === 'image' || key === 'node') return 'gray';
  if (key === 'restarts' && c.restarts !== null && c.restarts > 0) return 'yellow';
  return undefined;
}

function row(c: ContainerStats, columns: readonly PlacedColumn[], width: number, node: string, selected: boolean, nowMs: number): Segment[] {
  const out: Segment[] = [{ text: selected ? '>'.padEnd(GUTTER) : ' '.repeat(GUTTER), bold: true }];
  columns.forEach((col, i) => {
    if (i > 0) out.push(GAP);
    const color = tone(c, col.key);
    out.push({ text: fit(containerCell(c, col.key, node, nowMs), col.cells, col.align), ...(color ? { color } : {}) });
  });
  const fitted = fitLine(out, width);
  return selected ? fitted.map((s) => ({ ...s, inverse: true })) : fitted;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The box's title: how many containers, the order when not by CPU, how restarts were counted, and what is not shown. */
function boxTitle(table: ContainerTable, width: number, sort: ContainerSortState): Segment[] {
  const count = table.containers.length + table.omitted;
  const notes: string[] = [];
  if (sort.key !== 'cpu' || !sort.descending) notes.push(`by ${SORT_TITLE[sort.key]}${sort.descending === defaultContainerSort(sort.key).descending ? '' : ', reversed'}`);
  if (table.containers.some((c) => c.restartsCounted === 'seen')) notes.push('RST +n: restarts seen this run');
  if (table.omitted > 0) notes.push(`the ${table.containers.length} heaviest shown`);
  if (table.unnamed > 0) notes.push(`${plural(table.unnamed, 'unnamed cgroup')} hidden`);
  return fitLine([{ text: 'Containers ', bold: true }, { text: `${count}` }, { text: notes.length > 0 ? `  ${notes.join(', ')}` : '', color: 'gray' }], width);
}

/** Lines the box would like: its title, header and every row. */
export function containerBoxWanted(table: ContainerTable | null | undefined): number {
  if (!table) return 0;
  return 2 + Math.max(1, table.containers.length);
}

/**
 * A node's containers in at most `height` lines, exactly `width` wide, in the order of `sort`;
 * nothing when the node has no source of containers. Rows that do not fit are counted on the last line.
 */
export function containerBoxLines(table: ContainerTable | null | undefined, width: number, height: number, nowMs: number, sort: ContainerSortState = defaultContainerSort('cpu')): Segment[][] {
  if (!table || height <= 0) return [];
  const lines: Segment[][] = [boxTitle(table, width, sort)];
  if (height === 1) return lines;
  if (table.containers.length === 0) return [...lines, fitLine([{ text: ' no named containers running', color: 'gray' }], width)];
  const columns = placeContainerColumns(width, COLUMN_GAP, GUTTER);
  lines.push(headerRow(columns, width, SORT_COLUMN[sort.key], sort.descending));
  const room = height - 2;
  const list = sortContainers(table.containers, sort);
  const shown = list.length > room ? list.slice(0, Math.max(0, room - 1)) : list;
  for (const c of shown) lines.push(row(c, columns, width, '', false, nowMs));
  if (shown.length < list.length && room > 0) lines.push(fitLine([{ text: ` +${list.length - shown.length} more`, color: 'gray' }], width));
  return lines;
}

function projectLine(h: { header: string; count: number; cpuPercent: number; memoryBytes: number }, width: number): Segment[] {
  return fitLine(
    [{ text: ` ${h.header}`, bold: true, color: 'cyan' }, { text: `  ${plural(h.count, 'container')}  CPU ${formatPercent(h.cpuPercent, 0)}  MEM ${formatBytesShort(h.memoryBytes)}`, color: 'gray' }],
    width,
  );
}

/**
 * The cluster-wide table: a title, a header, then `lines` (containers, and compose projects'
 * headers when grouped) from `offset`, the container `selectedId` marked.
 */
export function heavyContainerLines(
  lines: readonly TopLine[],
  total: number,
  selectedId: string | undefined,
  offset: number,
  width: number,
  height: number,
  grouped: boolean,
  nowMs: number,
  sort: ContainerSortState = defaultContainerSort('cpu'),
): Segment[][] {
  if (height <= 0) return [];
  const rows = lines.filter((l) => !isProjectHeader(l));
  const seen = rows.some((r) => !isProjectHeader(r) && r.container.restartsCounted === 'seen');
  const order = `by ${SORT_TITLE[sort.key]}${sort.descending === defaultContainerSort(sort.key).descending ? '' : ', reversed'}`;
  const title = fitLine(
    [{ text: 'Heaviest containers ', bold: true }, { text: `${rows.length} of ${total} on every node, ${order}${grouped ? ', by compose project' : ''}${seen ? '  RST +n: restarts seen this run' : ''}`, color: 'gray' }],
    width,
  );
  if (height === 1) return [title];
  if (rows.length === 0) return [title, fitLine([{ text: ' no containers: run cAdvisor (--cadvisor-port 8080) or cluster-top agent on the nodes', color: 'gray' }], width)];
  const columns = placeContainerColumns(width, COLUMN_GAP, GUTTER, true);
  const out = [title, headerRow(columns, width, SORT_COLUMN[sort.key], sort.descending)];
  for (const l of lines.slice(offset, offset + height - 2)) out.push(isProjectHeader(l) ? projectLine(l, width) : row(l.container, columns, width, l.nodeName, l.id === selectedId, nowMs));
  return out;
}
