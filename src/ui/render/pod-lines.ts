/** The detail's pods pane: the node's pods as a sortable, scrollable list, or one pod's containers. */
import { COLUMN_GAP, GUTTER } from '../model/columns.js';
import { titleLine } from './detail-lines.js';
import type { ViewNode } from '../model/frame-data.js';
import { fit, formatBytes, formatPercent } from '../../util/format.js';
import { kubeFactLines } from './kube-facts.js';
import { formatCores } from '../model/kube-model.js';
import { gpusByPod, podGpuUse, type PodGpuUse, type PodRow, type PodSortKey, type PodSortState } from '../model/pod-model.js';
import type { PodFigures } from '../../metrics/kube-figures.js';
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
/** `8 100%`: the GPUs a pod holds and their mean utilisation. */
const GPU_WIDTH = 6;
const RESTARTS_WIDTH = 8;
/** The GPU and RESTARTS columns go (RESTARTS first) before the name gets narrower than this. */
const NAME_MIN = 24;
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
  /** The GPU column is shown (some pod holds GPUs). */
  readonly gpu: boolean;
  /** The RESTARTS column is shown (some container restarted). */
  readonly restarts: boolean;
}

/** What the optional columns have to show: a GPU some pod holds, a restart. */
export function podExtras(pods: readonly PodFigures[], mapped: ReturnType<typeof gpusByPod>): { gpu: boolean; restarts: boolean } {
  return { gpu: pods.some((p) => podGpuUse(p, mapped) !== null), restarts: pods.some((p) => (p.restarts ?? 0) > 0) };
}

function widths(rows: readonly PodRow[], width: number, namespaces: boolean, extras: { gpu: boolean; restarts: boolean }): Widths {
  const longest = rows.reduce((n, r) => Math.max(n, r.pod.namespace.length), 'NAMESPACE'.length);
  const namespace = namespaces && width >= NAMESPACE_FROM_WIDTH ? Math.min(NAMESPACE_MAX, longest) : 0;
  const fixed = GUTTER + (namespace > 0 ? namespace + COLUMN_GAP : 0) + CPU_WIDTH + MEM_WIDTH + 2 * COLUMN_GAP;
  const name = (gpu: boolean, restarts: boolean): number =>
    width - fixed - (gpu ? GPU_WIDTH + COLUMN_GAP : 0) - (restarts ? RESTARTS_WIDTH + COLUMN_GAP : 0);
  let gpu = extras.gpu;
  let restarts = extras.restarts;
  if (restarts && name(gpu, restarts) < NAME_MIN) restarts = false;
  if (gpu && name(gpu, restarts) < NAME_MIN) gpu = false;
  return { namespace, name: Math.max(1, name(gpu, restarts)), gpu, restarts };
}

function gpuText(use: PodGpuUse | null): string {
  if (!use) return '';
  return use.utilizationPercent === null ? String(use.count) : `${use.count} ${formatPercent(use.utilizationPercent, 0)}`;
}

function figureCells(cpuCores: number | null, memoryBytes: number | null): Segment[] {
  return [GAP, { text: fit(formatCores(cpuCores), CPU_WIDTH, 'right') }, GAP, { text: fit(formatBytes(memoryBytes), MEM_WIDTH, 'right') }];
}

function extraCells(w: Widths, pod: PodFigures | null, mapped: ReturnType<typeof gpusByPod>): Segment[] {
  const out: Segment[] = [];
  if (w.gpu) out.push(GAP, { text: fit(pod ? gpuText(podGpuUse(pod, mapped)) : '', GPU_WIDTH, 'right') });
  if (w.restarts) {
    const n = pod?.restarts ?? 0;
    out.push(GAP, { text: fit(pod && pod.restarts !== undefined ? String(n) : '', RESTARTS_WIDTH, 'right'), ...(n > 0 ? { color: 'yellow' as const } : {}) });
  }
  return out;
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
  if (w.gpu) out.push(GAP, title('GPU', 'gpu', GPU_WIDTH, 'right'));
  if (w.restarts) out.push(GAP, title('RESTARTS', 'restarts', RESTARTS_WIDTH, 'right'));
  return fitLine(out, width);
}

function podRow(row: PodRow, w: Widths, width: number, selected: boolean, mapped: ReturnType<typeof gpusByPod>): Segment[] {
  const p = row.pod;
  const out: Segment[] = [{ text: selected ? '>'.padEnd(GUTTER) : ' '.repeat(GUTTER), bold: true }];
  if (w.namespace > 0) out.push({ text: fit(p.namespace, w.namespace), color: 'gray' }, GAP);
  // A pod the kubelet has no figures of is not running (yet): its phase says why.
  const pending = p.phase !== undefined && p.phase !== 'Running' ? { text: fit(p.phase, CPU_WIDTH + MEM_WIDTH + COLUMN_GAP + 1, 'right'), color: 'yellow' as const } : undefined;
  out.push({ text: fit(w.namespace > 0 ? p.name : row.id, w.name) }, ...(pending ? [pending] : figureCells(p.cpuCores, p.memoryBytes)), ...extraCells(w, p, mapped));
  const fitted = fitLine(out, width);
  return selected ? fitted.map((s) => ({ ...s, inverse: true })) : fitted;
}

function listLines(node: ViewNode, pane: PodPane, width: number, height: number): Segment[][] {
  if (height <= 0) return [];
  if (pane.rows.length === 0) {
    return [fitLine([{ text: node.pods ? 'no pods on this node' : 'no pod figures from the source yet', color: 'gray' }], width)];
  }
  const mapped = gpusByPod(node.gpus);
  const w = widths(pane.rows, width, true, podExtras(pane.rows.map((r) => r.pod), mapped));
  const position = pane.rows.length > height - 1 ? ` ${pane.index + 1}/${pane.rows.length}` : ` (${pane.rows.length})`;
  const visible = pane.rows.slice(pane.offset, pane.offset + height - 1);
  return [titleRow(w, 'POD', pane.sort, width, position), ...visible.map((r, i) => podRow(r, w, width, pane.offset + i === pane.index, mapped))];
}

function containerLines(row: PodRow | undefined, width: number, height: number): Segment[][] {
  if (height <= 0) return [];
  if (!row) return [fitLine([{ text: 'no pod selected', color: 'gray' }], width)];
  const p = row.pod;
  const count = `${p.containers.length} container${p.containers.length === 1 ? '' : 's'}`;
  const facts = [p.phase !== undefined && p.phase !== 'Running' ? p.phase : '', p.gpus ? `GPUs ${p.gpus}` : '', p.restarts ? `restarts ${p.restarts}` : ''].filter((t) => t !== '');
  const summary = fitLine(
    [
      { text: 'Pod ', color: 'gray' },
      { text: row.id, bold: true },
      { text: `  CPU ${formatCores(p.cpuCores)}  mem ${formatBytes(p.memoryBytes)}  ${count}` },
      ...(facts.length > 0 ? [{ text: `  ${facts.join('  ')}`, color: 'yellow' as const }] : []),
    ],
    width,
  );
  const w = widths([], width, false, { gpu: false, restarts: false });
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
