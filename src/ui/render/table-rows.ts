/** The node table's lines as segments: one title line, one line per visible node or group header. */
import type { TargetHealth } from '../../scrape/types.js';
import { COLUMN_GAP, GUTTER, type Column, type ColumnId } from '../model/columns.js';
import { nodeTail, type ViewNode } from '../model/frame-data.js';
import { fit, formatAge, formatBytesShort, formatDuration, formatMillis, formatPercent, formatValue } from '../../util/format.js';
import type { GroupRow } from '../model/groups.js';
import { conditionSegments, podsText, rolesText, shownCpuPercent, shownMemoryPercent } from '../model/kube-model.js';
import { fitLine, thresholdTone, type Segment, type Tone } from './segments.js';
import { barParts, sparkline } from './sparkline.js';
import type { SortState } from '../model/table-model.js';
import type { NameFit } from '../../util/name-fit.js';
import { gpuSummary } from '../model/gpu-model.js';
import { gpuCellText } from './gpu-lines.js';

export interface NodeStatus {
  readonly text: string;
  readonly tone: Tone;
  /** Scraped and failed: no figures, and the row says why. */
  readonly down: boolean;
}

export function nodeStatus(health: TargetHealth, nowMs: number): NodeStatus {
  if (health.up) return { text: 'up', tone: 'green', down: false };
  if (health.lastScrapeMs === null) return { text: 'waiting', tone: 'gray', down: false };
  const age = health.lastSuccessMs === null ? '' : ` ${formatAge((nowMs - health.lastSuccessMs) / 1000)}`;
  return { text: `DOWN${age}`, tone: 'red', down: true };
}

/** 0.52, 12.3, 123: load averages in five cells. */
export function formatLoad(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0);
}

function percentCell(percent: number | null | undefined, width: number): Segment[] {
  // Six cells of bar at least when there is room; a wider column widens the bar.
  const barWidth = Math.max(0, width - 5);
  const { filled, empty } = barParts(percent, barWidth);
  const label = formatPercent(percent, 0).padStart(width - barWidth - 1);
  return [
    { text: filled, color: thresholdTone(percent) },
    { text: empty, color: 'gray' },
    { text: ` ${label}` },
  ];
}

/** A small bar of the mean GPU utilisation, then `8× 97%`; `-` for a node without GPUs. */
function gpuCell(node: ViewNode, width: number): Segment[] {
  const s = gpuSummary(node);
  if (!s) return [{ text: fit('-', width), color: 'gray' }];
  const label = gpuCellText(s.count, s.utilizationPercent);
  const barWidth = Math.max(0, width - label.length - 1);
  const { filled, empty } = barParts(s.utilizationPercent, barWidth);
  return [
    { text: filled, color: thresholdTone(s.utilizationPercent) },
    { text: empty, color: 'gray' },
    { text: fit(`${barWidth > 0 ? ' ' : ''}${label}`, width - barWidth, 'right') },
  ];
}

function cell(col: Column, node: ViewNode, status: NodeStatus, names: NameFit | undefined): Segment[] {
  const f = node.figures;
  const text = (s: string, color?: Tone): Segment[] => [{ text: fit(s, col.width, col.align), ...(color ? { color } : {}) }];
  switch (col.id) {
    case 'name':
      return text(names ? names.show(node.name) : node.name);
    case 'status':
      return [{ text: fit(status.text, col.width), color: status.tone, bold: status.down }];
    case 'ready':
      return node.kube ? conditionSegments(node.kube, col.width) : text('-', 'gray');
    case 'roles':
      return node.kube ? text(rolesText(node.kube)) : text('-', 'gray');
    case 'cpu':
      return percentCell(shownCpuPercent(node), col.width);
    case 'spark':
      return text(sparkline(nodeTail(node, 'cpu', col.width), col.width, 100), 'cyan');
    case 'mem':
      return percentCell(shownMemoryPercent(node), col.width);
    case 'gpu':
      return gpuCell(node, col.width);
    case 'gmem': {
      const s = gpuSummary(node);
      return s ? percentCell(s.memoryPercent, col.width) : text('-', 'gray');
    }
    case 'pods':
      return text(podsText(node));
    case 'load':
      return text(formatLoad(f.load?.load1));
    case 'rx':
      return text(formatBytesShort(f.network?.receiveBytesPerSecond));
    case 'tx':
      return text(formatBytesShort(f.network?.transmitBytesPerSecond));
    case 'read':
      return text(formatBytesShort(f.disk?.readBytesPerSecond));
    case 'write':
      return text(formatBytesShort(f.disk?.writtenBytesPerSecond));
    case 'uptime':
      return text(formatDuration(f.uptimeSeconds));
    case 'user':
      return text(formatValue(node.columns[col.user ?? '']?.value));
  }
}

/** The columns of node figures: an app target has none, and shows its scrape across them instead. */
const FIGURE_COLUMNS: ReadonlySet<ColumnId> = new Set(['cpu', 'spark', 'mem', 'pods', 'load', 'rx', 'tx', 'read', 'write', 'uptime']);

function appSummary(node: ViewNode): string {
  const h = node.health;
  return `app  ${formatMillis(h.lastDurationMs)}  ${h.lastSamples ?? '-'} series`;
}

/** The name with a red `!` at its right end: the node has a firing alert (kept when the row is selected). */
function markedName(name: string, width: number): Segment[] {
  if (width < 3) return [{ text: fit('!', width), color: 'red', bold: true }];
  return [{ text: fit(name, width - 2) }, { text: ' !', color: 'red', bold: true }];
}

const GAP: Segment = { text: ' '.repeat(COLUMN_GAP) };

/**
 * One node's row, exactly `width` cells. A down node has no figures, so the cells after its status
 * carry the scrape error instead; its row is dimmed. `alerting` marks the name.
 */
export function rowSegments(node: ViewNode, columns: readonly Column[], width: number, nowMs: number, selected: boolean, alerting = false, names?: NameFit): Segment[] {
  const status = nodeStatus(node.health, nowMs);
  const out: Segment[] = [{ text: selected ? '>'.padEnd(GUTTER) : ' '.repeat(GUTTER), bold: true }];
  const statusAt = columns.findIndex((c) => c.id === 'status');
  let summarized = false;
  for (let i = 0; i < columns.length; i++) {
    const col = columns[i];
    if (!col) continue;
    if (i > 0) out.push(GAP);
    if (status.down && statusAt >= 0 && i > statusAt) {
      const rest = columns.slice(i).reduce((n, c) => n + c.width, 0) + COLUMN_GAP * (columns.length - i - 1);
      out.push({ text: fit(node.health.lastError ?? 'scrape failed', rest), color: 'red' });
      break;
    }
    if (node.source === 'app' && FIGURE_COLUMNS.has(col.id)) {
      let end = i;
      while (FIGURE_COLUMNS.has(columns[end + 1]?.id ?? 'user')) end++;
      const span = columns.slice(i, end + 1).reduce((n, c) => n + c.width, 0) + COLUMN_GAP * (end - i);
      // GPU columns may split the figure columns in two: the summary goes in the first run only.
      out.push({ text: fit(summarized ? '' : appSummary(node), span), color: 'gray' });
      summarized = true;
      i = end;
      continue;
    }
    const segs = col.id === 'name' && alerting ? markedName(names ? names.show(node.name) : node.name, col.width) : cell(col, node, status, names);
    out.push(...(status.down && col.id !== 'status' ? segs.map((s) => ({ ...s, dim: true })) : segs));
  }
  const fitted = fitLine(out, width);
  return selected ? fitted.map((s) => ({ ...s, inverse: true })) : fitted;
}

/**
 * A group's header: its name and counts across the columns before CPU, then the group's CPU,
 * memory and pods under their columns.
 */
export function groupSegments(group: GroupRow, columns: readonly Column[], width: number): Segment[] {
  const cpuAt = Math.max(1, columns.findIndex((c) => c.id === 'cpu'));
  const labelWidth = columns.slice(0, cpuAt).reduce((n, c) => n + c.width, 0) + COLUMN_GAP * (cpuAt - 1);
  const label: Segment[] = [
    { text: `▾ ${group.label}`, color: 'cyan', bold: true },
    { text: ` ${group.nodes} node${group.nodes === 1 ? '' : 's'}`, color: 'gray' },
    ...(group.notReady > 0 ? [{ text: ` ${group.notReady} NotReady`, color: 'red' as const, bold: true }] : []),
  ];
  const out: Segment[] = [{ text: ' '.repeat(GUTTER) }, ...fitLine(label, labelWidth)];
  for (const col of columns.slice(cpuAt)) {
    out.push(GAP);
    if (col.id === 'cpu' || col.id === 'mem') out.push(...percentCell(col.id === 'cpu' ? group.cpuPercent : group.memoryPercent, col.width));
    else if (col.id === 'pods') out.push({ text: fit(`${group.pods ?? '-'}/${group.allocatablePods ?? '-'}`, col.width, 'right') });
    else out.push({ text: ' '.repeat(col.width) });
  }
  return fitLine(out, width);
}

/** The title line; `shared` is what every name on screen has in common and the rows leave out. */
export function titleSegments(columns: readonly Column[], sort: SortState, width: number, shared = ''): Segment[] {
  const out: Segment[] = [{ text: ' '.repeat(GUTTER) }];
  columns.forEach((col, i) => {
    if (i > 0) out.push(GAP);
    const sorted = col.sort === sort.key;
    const title = sorted ? `${col.title}${sort.descending ? '▼' : '▲'}` : col.title;
    const style = { bold: true, ...(sorted ? { color: 'cyan' as const } : {}) };
    if (col.id === 'name' && shared && title.length + 2 <= col.width) {
      out.push({ text: title, ...style }, { text: fit(` ${shared}`, col.width - title.length), color: 'gray' });
    } else out.push({ text: fit(title, col.width, col.align), ...style });
  });
  return fitLine(out, width);
}
