/** The detail's pods pane: the node's pods as a sortable, scrollable list, or one pod's containers. */
import { COLUMN_GAP, GUTTER } from '../model/columns.js';
import { titleLine } from './detail-lines.js';
import type { ViewNode } from '../model/frame-data.js';
import { fit, formatBytes } from '../../util/format.js';
import { kubeFactLines } from './kube-facts.js';
import { formatCores } from '../model/kube-model.js';
import type { PodRow, PodSortKey, PodSortState } from '../model/pod-model.js';
import { fitLine, type Segment } from './segments.js';

export interface PodPane {
  readonly rows: readonly PodRow[];
  readonly sort: PodSortState;
  /** The selected row, -1 with no pods. */
  readonly index: number;
  /** The first row on screen. */
  readonly offset: number;
  /** The selected pod's containers instead of the list. */
  readonly containers: boolean;
}

/** The pods pane keeps two lines of facts: the pod totals first, then as much of the node as fits. */
const FACT_LINES = 2;
const CPU_WIDTH = 7;
const MEM_WIDTH = 9;
/** Below this the namespace shares the name's column as namespace/name. */
const NAMESPACE_FROM_WIDTH = 70;
const NAMESPACE_MAX = 20;
const GAP: Segment = { text: ' '.repeat(COLUMN_GAP) };

function headLines(node: ViewNode, pane: PodPane, width: number, nowMs: number): Segment[][] {
  const hint = pane.containers ? 'Esc pods' : 'Tab charts  Esc back';
  return [titleLine(node, width, nowMs, hint), ...kubeFactLines(node, width, nowMs, 'pods', FACT_LINES)];
}

/** Pod rows that fit under the facts and the list's title: the list's page for PgUp/PgDn. */
export function podListRoom(node: ViewNode, width: number, height: number, nowMs: number): number {
  return Math.max(0, height - 1 - kubeFactLines(node, width, nowMs, 'pods', FACT_LINES).length - 1);
}

interface Widths {
  readonly namespace: number;
  readonly name: number;
}

function widths(rows: readonly PodRow[], width: number, namespaces: boolean): Widths {
  const longest = rows.reduce((n, r) => Math.max(n, r.pod.namespace.length), 'NAMESPACE'.length);
  const namespace = namespaces && width >= NAMESPACE_FROM_WIDTH ? Math.min(NAMESPACE_MAX, longest) : 0;
  const fixed = GUTTER + (namespace > 0 ? namespace + COLUMN_GAP : 0) + CPU_WIDTH + MEM_WIDTH + 2 * COLUMN_GAP;
  return { namespace, name: Math.max(1, width - fixed) };
}

function figureCells(cpuCores: number | null, memoryBytes: number | null): Segment[] {
  return [GAP, { text: fit(formatCores(cpuCores), CPU_WIDTH, 'right') }, GAP, { text: fit(formatBytes(memoryBytes), MEM_WIDTH, 'right') }];
}

function titleRow(w: Widths, names: string, sort: PodSortState | null, width: number, extra = ''): Segment[] {
  const title = (text: string, key: PodSortKey, cells: number, align: 'left' | 'right' = 'left'): Segment => {
    const sorted = sort?.key === key;
    const arrow = sorted ? (sort.descending ? '▼' : '▲') : '';
    return { text: fit(`${text}${arrow}${key === 'name' ? extra : ''}`, cells, align), bold: true, ...(sorted ? { color: 'cyan' as const } : {}) };
  };
  const out: Segment[] = [{ text: ' '.repeat(GUTTER) }];
  if (w.namespace > 0) out.push({ text: fit('NAMESPACE', w.namespace), bold: true }, GAP);
  out.push(title(names, 'name', w.name), GAP, title('CPU', 'cpu', CPU_WIDTH, 'right'), GAP, title('MEM', 'memory', MEM_WIDTH, 'right'));
  return fitLine(out, width);
}

function podRow(row: PodRow, w: Widths, width: number, selected: boolean): Segment[] {
  const p = row.pod;
  const out: Segment[] = [{ text: selected ? '>'.padEnd(GUTTER) : ' '.repeat(GUTTER), bold: true }];
  if (w.namespace > 0) out.push({ text: fit(p.namespace, w.namespace), color: 'gray' }, GAP);
  out.push({ text: fit(w.namespace > 0 ? p.name : row.id, w.name) }, ...figureCells(p.cpuCores, p.memoryBytes));
  const fitted = fitLine(out, width);
  return selected ? fitted.map((s) => ({ ...s, inverse: true })) : fitted;
}

function listLines(node: ViewNode, pane: PodPane, width: number, height: number): Segment[][] {
  if (height <= 0) return [];
  if (pane.rows.length === 0) {
    return [fitLine([{ text: node.pods ? 'no pods on this node' : 'no pod figures from the source yet', color: 'gray' }], width)];
  }
  const w = widths(pane.rows, width, true);
  const position = pane.rows.length > height - 1 ? ` ${pane.index + 1}/${pane.rows.length}` : ` (${pane.rows.length})`;
  const visible = pane.rows.slice(pane.offset, pane.offset + height - 1);
  return [titleRow(w, 'POD', pane.sort, width, position), ...visible.map((r, i) => podRow(r, w, width, pane.offset + i === pane.index))];
}

function containerLines(row: PodRow | undefined, width: number, height: number): Segment[][] {
  if (height <= 0) return [];
  if (!row) return [fitLine([{ text: 'no pod selected', color: 'gray' }], width)];
  const p = row.pod;
  const count = `${p.containers.length} container${p.containers.length === 1 ? '' : 's'}`;
  const summary = fitLine(
    [{ text: 'Pod ', color: 'gray' }, { text: row.id, bold: true }, { text: `  CPU ${formatCores(p.cpuCores)}  mem ${formatBytes(p.memoryBytes)}  ${count}` }],
    width,
  );
  const w = widths([], width, false);
  const room = height - 2;
  const shown = p.containers.length > room ? p.containers.slice(0, Math.max(0, room - 1)) : p.containers;
  const lines = [summary, titleRow(w, 'CONTAINER', null, width)];
  for (const c of shown) lines.push(fitLine([{ text: ' '.repeat(GUTTER) }, { text: fit(c.name, w.name) }, ...figureCells(c.cpuCores, c.memoryBytes)], width));
  if (shown.length < p.containers.length) lines.push(fitLine([{ text: ` +${p.containers.length - shown.length} more`, color: 'gray' }], width));
  return lines.slice(0, height);
}

/** Exactly fitted lines, never more than `height`: the node's title and facts, then the list or the containers. */
export function podPaneLines(node: ViewNode, pane: PodPane, width: number, height: number, nowMs: number): Segment[][] {
  if (height <= 0) return [];
  const lines = headLines(node, pane, width, nowMs).slice(0, height);
  const rest = height - lines.length;
  lines.push(...(pane.containers ? containerLines(pane.rows[pane.index], width, rest) : listLines(node, pane, width, rest)));
  return lines;
}
