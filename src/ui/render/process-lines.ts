/**
 * The detail's processes pane, drawn as btop's process box: one row per process (pid, program,
 * command line, user, threads, resident memory, CPU %) or per command name, sorted, filtered,
 * as a tree; and the cluster top's rows, each with its node.
 */
import type { NodeProcesses, ProcessRow } from '../../metrics/process-figures.js';
import { fit, formatBytes } from '../../util/format.js';
import type { ViewNode } from '../model/frame-data.js';
import type { ProcessLine, ProcessSortKey, ProcessSortState, TopLine } from '../model/process-model.js';
import { COLUMN_GAP, GUTTER } from '../model/columns.js';
import { titleLine } from './detail-lines.js';
import { fitLine, thresholdTone, type Segment } from './segments.js';

export interface ProcessPane {
  readonly lines: readonly ProcessLine[];
  readonly sort: ProcessSortState;
  readonly groups: boolean;
  readonly tree: boolean;
  readonly filter: string;
  /** The selected row, -1 with none. */
  readonly index: number;
  readonly offset: number;
}

const GAP: Segment = { text: ' '.repeat(COLUMN_GAP) };
const PID = 7;
const USER = 8;
const THREADS = 4;
const MEM = 8;
const CPU = 6;
const COUNT = 6;
const NODE_MAX = 24;
/** From this width the command line has a column of its own beside the program. */
const ARGS_FROM_WIDTH = 100;
const PROGRAM = 16;
/** Lines above the rows: the node's title, the pane's summary, the column titles. */
const HEAD_LINES = 3;

/** Rows that fit under the pane's head: the page for PgUp/PgDn. */
export function processListRoom(height: number): number {
  return Math.max(0, height - HEAD_LINES);
}

function cpuText(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '-';
  return p >= 100 ? p.toFixed(0) : p.toFixed(1);
}

function cpuCell(p: number | null): Segment {
  // CPU % is of one core: a process on 4 cores shows 400; its tone is for how busy a core is.
  return { text: fit(cpuText(p), CPU, 'right'), color: thresholdTone(p === null ? null : Math.min(p, 100)) };
}

function title(text: string, width: number, sort: ProcessSortState | null, key: ProcessSortKey | null, align: 'left' | 'right' = 'left'): Segment {
  const sorted = sort !== null && key !== null && sort.key === key;
  const arrow = sorted ? (sort.descending ? '▼' : '▲') : '';
  return { text: fit(`${text}${arrow}`, width, align), bold: true, ...(sorted ? { color: 'cyan' as const } : {}) };
}

function selectable(segments: Segment[], width: number, selected: boolean): Segment[] {
  const line = fitLine([{ text: selected ? '>' : ' ', bold: true }, ...segments], width);
  return selected ? line.map((s) => ({ ...s, inverse: true })) : line;
}

interface Widths {
  readonly name: number;
  readonly args: number;
}

function processWidths(width: number): Widths {
  const fixed = GUTTER + PID + USER + THREADS + MEM + CPU + 5 * COLUMN_GAP;
  if (width < ARGS_FROM_WIDTH) return { name: Math.max(1, width - fixed - COLUMN_GAP), args: 0 };
  return { name: PROGRAM, args: Math.max(1, width - fixed - PROGRAM - 2 * COLUMN_GAP) };
}

function processTitle(w: Widths, sort: ProcessSortState, width: number): Segment[] {
  const out: Segment[] = [{ text: ' '.repeat(GUTTER) }, title('PID', PID, sort, 'pid', 'right'), GAP, title('PROGRAM', w.name, sort, 'name')];
  if (w.args > 0) out.push(GAP, title('COMMAND', w.args, null, null));
  out.push(GAP, title('USER', USER, null, null), GAP, title('THR', THREADS, null, null, 'right'), GAP, title('MEM', MEM, sort, 'memory', 'right'), GAP);
  out.push(title('CPU%', CPU, sort, 'cpu', 'right'));
  return fitLine(out, width);
}

function processRow(line: ProcessLine, w: Widths, width: number, selected: boolean): Segment[] {
  const r = line.row;
  const branch = Math.min(line.branch.length, w.name - 1);
  const room = Math.max(1, w.name - branch);
  // Narrow: the command line follows the program in its column, as far as it goes.
  const inline = w.args === 0 && r.args !== null && room - r.command.length > 4 ? r.args : null;
  const command = inline === null ? room : r.command.length + 2;
  const out: Segment[] = [
    { text: fit(r.pid === null ? '' : String(r.pid), PID, 'right'), color: 'gray' },
    GAP,
    { text: fit(line.branch, branch), color: 'gray' },
    { text: fit(r.command, command), bold: r.state === 'R' },
  ];
  if (inline !== null) out.push({ text: fit(inline, room - command), color: 'gray' });
  if (w.args > 0) out.push(GAP, { text: fit(r.args ?? '', w.args), color: 'gray' });
  out.push(GAP, { text: fit(r.user ?? '', USER) }, GAP, { text: fit(r.threads === null ? '' : String(r.threads), THREADS, 'right') });
  out.push(GAP, { text: fit(formatBytes(r.memoryBytes), MEM, 'right') }, GAP, cpuCell(r.cpuPercent));
  return selectable(out, width, selected);
}

function groupTitle(width: number, sort: ProcessSortState): Segment[] {
  const name = Math.max(1, width - GUTTER - COUNT - THREADS - MEM - CPU - 4 * COLUMN_GAP);
  return fitLine(
    [
      { text: ' '.repeat(GUTTER) },
      title('PROGRAM', name, sort, 'name'),
      GAP,
      title('PROCS', COUNT, null, null, 'right'),
      GAP,
      title('THR', THREADS, null, null, 'right'),
      GAP,
      title('MEM', MEM, sort, 'memory', 'right'),
      GAP,
      title('CPU%', CPU, sort, 'cpu', 'right'),
    ],
    width,
  );
}

function groupRow(r: ProcessRow, width: number, selected: boolean): Segment[] {
  const name = Math.max(1, width - GUTTER - COUNT - THREADS - MEM - CPU - 4 * COLUMN_GAP);
  const out: Segment[] = [
    { text: fit(r.command, name) },
    GAP,
    { text: fit(r.count === null ? '' : String(r.count), COUNT, 'right') },
    GAP,
    { text: fit(r.threads === null ? '' : String(r.threads), THREADS, 'right') },
    GAP,
    { text: fit(formatBytes(r.memoryBytes), MEM, 'right') },
    GAP,
    cpuCell(r.cpuPercent),
  ];
  return selectable(out, width, selected);
}

const SOURCE_NAMES: Readonly<Record<NodeProcesses['source'], string>> = {
  local: 'this machine',
  agent: 'cluster-top agent',
  'process-exporter': 'process-exporter',
};

function summaryLine(p: NodeProcesses, pane: ProcessPane, width: number): Segment[] {
  const parts: Segment[] = [{ text: 'Processes', bold: true }];
  if (p.total !== null) parts.push({ text: `  ${p.total} on the node` });
  const kind = pane.groups ? 'command names' : p.source === 'agent' ? 'top by CPU and memory' : 'processes';
  const position = pane.lines.length === 0 ? '' : ` ${pane.index + 1}/${pane.lines.length}`;
  parts.push({ text: `  ${kind}${position}`, color: 'gray' });
  if (pane.tree && !pane.groups) parts.push({ text: '  tree', color: 'cyan' });
  if (pane.filter) parts.push({ text: `  filter ${pane.filter}`, color: 'yellow' });
  parts.push({ text: `  from ${SOURCE_NAMES[p.source]}`, color: 'gray' });
  return fitLine(parts, width);
}

/** Exactly fitted lines, never more than `height`: the node's title, the summary, the column titles and the rows. */
export function processPaneLines(node: ViewNode, pane: ProcessPane, width: number, height: number, nowMs: number): Segment[][] {
  if (height <= 0) return [];
  const lines: Segment[][] = [titleLine(node, width, nowMs, 't charts  Esc back')];
  const p = node.processes;
  if (!p) {
    lines.push(fitLine([{ text: node.health.up ? 'no process figures from this node now' : 'the node is down: no process figures', color: 'gray' }], width));
    return lines.slice(0, height);
  }
  lines.push(summaryLine(p, pane, width));
  const room = processListRoom(height);
  const shown = pane.lines.slice(pane.offset, pane.offset + room);
  if (pane.groups) {
    lines.push(groupTitle(width, pane.sort), ...shown.map((l, i) => groupRow(l.row, width, pane.offset + i === pane.index)));
  } else {
    const w = processWidths(width);
    lines.push(processTitle(w, pane.sort, width), ...shown.map((l, i) => processRow(l, w, width, pane.offset + i === pane.index)));
  }
  if (pane.lines.length === 0) lines.push(fitLine([{ text: pane.filter ? 'no process matches the filter' : 'no processes', color: 'gray' }], width));
  return lines.slice(0, height);
}

export interface TopPane {
  readonly lines: readonly TopLine[];
  readonly sort: ProcessSortState;
  readonly filter: string;
  readonly index: number;
  readonly offset: number;
  /** Nodes with process figures, of the nodes shown. */
  readonly nodes: number;
}

/** The cluster top: title, column titles, rows; exactly `height` lines at most. */
export function topPaneLines(pane: TopPane, width: number, height: number): Segment[][] {
  if (height <= 0) return [];
  const head: Segment[] = [
    { text: 'Heaviest processes', bold: true },
    { text: `  of ${pane.nodes} node${pane.nodes === 1 ? '' : 's'} with process figures`, color: 'gray' },
    ...(pane.lines.length > 0 ? [{ text: `  ${pane.index + 1}/${pane.lines.length}`, color: 'gray' as const }] : []),
    ...(pane.filter ? [{ text: `  filter ${pane.filter}`, color: 'yellow' as const }] : []),
  ];
  const longest = pane.lines.reduce((n, l) => Math.max(n, l.nodeName.length), 'NODE'.length);
  const node = Math.min(NODE_MAX, longest, Math.max(8, Math.floor(width / 4)));
  const fixed = GUTTER + node + PID + USER + MEM + CPU + 5 * COLUMN_GAP;
  const command = Math.max(1, width - fixed - COLUMN_GAP);
  const sort = pane.sort;
  const titles = fitLine(
    [
      { text: ' '.repeat(GUTTER) },
      title('NODE', node, null, null),
      GAP,
      title('PID', PID, sort, 'pid', 'right'),
      GAP,
      title('USER', USER, null, null),
      GAP,
      title('COMMAND', command, sort, 'name'),
      GAP,
      title('CPU%', CPU, sort, 'cpu', 'right'),
      GAP,
      title('MEM', MEM, sort, 'memory', 'right'),
    ],
    width,
  );
  const lines: Segment[][] = [fitLine(head, width), titles];
  const shown = pane.lines.slice(pane.offset, pane.offset + Math.max(0, height - 2));
  shown.forEach((l, i) => {
    const r = l.row;
    const name = r.args ? `${r.command}  ${r.args}` : r.count !== null ? `${r.command} (${r.count})` : r.command;
    const cells: Segment[] = [
      { text: fit(l.nodeName, node) },
      GAP,
      { text: fit(r.pid === null ? '' : String(r.pid), PID, 'right'), color: 'gray' },
      GAP,
      { text: fit(r.user ?? '', USER) },
      GAP,
      { text: fit(name, command) },
      GAP,
      cpuCell(r.cpuPercent),
      GAP,
      { text: fit(formatBytes(r.memoryBytes), MEM, 'right') },
    ];
    lines.push(selectable(cells, width, pane.offset + i === pane.index));
  });
  if (pane.lines.length === 0) lines.push(fitLine([{ text: pane.filter ? 'no process matches the filter' : 'no process figures yet', color: 'gray' }], width));
  return lines.slice(0, height);
}

/** Rows of the cluster top that fit: the page for PgUp/PgDn. */
export function topListRoom(height: number): number {
  return Math.max(0, height - 2);
}
