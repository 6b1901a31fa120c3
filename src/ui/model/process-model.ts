/**
 * The processes pane and the cluster-wide top without rendering: which rows, in which order,
 * filtered, and as a tree by parent (btop's `e`) where pids are known.
 */
import type { NodeProcesses, ProcessRow } from '../../metrics/process-figures.js';
import type { ViewNode } from './frame-data.js';
import { naturalKey } from './table-model.js';
import { compareNullsLast, firstPress, nextInCycle, type SortState } from './sort-order.js';

export const PROCESS_SORT_KEYS = ['cpu', 'memory', 'pid', 'name'] as const;
export type ProcessSortKey = (typeof PROCESS_SORT_KEYS)[number];

export type ProcessSortState = SortState<ProcessSortKey>;

/** The busiest first; pids and names in ascending order. */
export function defaultProcessSort(key: ProcessSortKey): ProcessSortState {
  return firstPress(key, ['pid', 'name']);
}

export function nextProcessSortKey(key: ProcessSortKey): ProcessSortKey {
  return nextInCycle(PROCESS_SORT_KEYS, key);
}

export interface ProcessView {
  readonly sort: ProcessSortState;
  /** Totals by command name instead of single processes. */
  readonly groups: boolean;
  /** Children under their parent. */
  readonly tree: boolean;
  /** Substring of the command, its arguments, the user or the pid; '' keeps all. */
  readonly filter: string;
}

export interface ProcessLine {
  /** `pid` or `=name` for a group: the selection follows its row. */
  readonly id: string;
  readonly row: ProcessRow;
  /** The tree's drawing before the name ('' outside the tree). */
  readonly branch: string;
}

/** Whether the pane shows groups: asked for, or all the source has (a process exporter). */
export function showsGroups(p: NodeProcesses, view: Pick<ProcessView, 'groups'>): boolean {
  return view.groups || p.processes.length === 0;
}

export function processRowId(row: ProcessRow): string {
  return row.pid === null ? `=${row.command}` : String(row.pid);
}

export function matchesProcess(row: ProcessRow, filter: string): boolean {
  if (filter === '') return true;
  const f = filter.toLowerCase();
  return (
    row.command.toLowerCase().includes(f) ||
    (row.args?.toLowerCase().includes(f) ?? false) ||
    (row.user?.toLowerCase().includes(f) ?? false) ||
    (row.pid !== null && String(row.pid) === f)
  );
}

function sortValue(row: ProcessRow, key: ProcessSortKey): number | null {
  const v = key === 'cpu' ? row.cpuPercent : key === 'memory' ? row.memoryBytes : row.pid;
  return v !== null && Number.isFinite(v) ? v : null;
}

/** Compares by the sort; a row without the figure goes last either way; ties by name then pid, so rows keep still. */
export function compareProcesses(a: ProcessRow, b: ProcessRow, sort: ProcessSortState): number {
  if (sort.key !== 'name') {
    const byFigure = compareNullsLast(sortValue(a, sort.key), sortValue(b, sort.key), sort.descending);
    if (byFigure !== 0) return byFigure;
  }
  const an = naturalKey(a.command);
  const bn = naturalKey(b.command);
  if (an !== bn) return (sort.key === 'name' && sort.descending ? -1 : 1) * (an < bn ? -1 : 1);
  return (a.pid ?? 0) - (b.pid ?? 0);
}

/** The pane's rows: filtered, sorted, and in the tree when asked for and pids are known. */
export function processLines(p: NodeProcesses, view: ProcessView): ProcessLine[] {
  const groups = showsGroups(p, view);
  const rows = (groups ? p.groups : p.processes).filter((r) => matchesProcess(r, view.filter));
  const sorted = [...rows].sort((a, b) => compareProcesses(a, b, view.sort));
  if (!view.tree || groups) return sorted.map((row) => ({ id: processRowId(row), row, branch: '' }));
  return treeLines(sorted);
}

/**
 * Depth-first from the roots (processes whose parent is not in the list: the list may be the
 * agent's top N), each level in the sort's order, drawn with ├─ └─ │ as btop does.
 */
function treeLines(sorted: readonly ProcessRow[]): ProcessLine[] {
  const present = new Set(sorted.map((r) => r.pid));
  const children = new Map<number, ProcessRow[]>();
  const roots: ProcessRow[] = [];
  for (const r of sorted) {
    if (r.ppid !== null && r.ppid !== r.pid && present.has(r.ppid)) {
      const list = children.get(r.ppid);
      if (list) list.push(r);
      else children.set(r.ppid, [r]);
    } else {
      roots.push(r);
    }
  }
  const out: ProcessLine[] = [];
  const seen = new Set<number | null>();
  const walk = (row: ProcessRow, lead: string, branch: string): void => {
    if (seen.has(row.pid)) return; // a cycle in foreign data: each pid once
    seen.add(row.pid);
    out.push({ id: processRowId(row), row, branch: lead + branch });
    const kids = children.get(row.pid ?? -1) ?? [];
    const nextLead = lead + (branch === '' ? '' : branch === '└─' ? '  ' : '│ ');
    kids.forEach((kid, i) => walk(kid, nextLead, i === kids.length - 1 ? '└─' : '├─'));
  };
  for (const r of roots) walk(r, '', '');
  // Rows only reachable through a cycle have no root: listed after the tree.
  for (const r of sorted) if (!seen.has(r.pid)) walk(r, '', '');
  return out;
}

/** One row of the cluster-wide top: a process (or group) and its node. */
export interface TopLine {
  readonly id: string;
  readonly nodeId: string;
  readonly nodeName: string;
  readonly row: ProcessRow;
}

/** Rows of the cluster-wide view at most: a screen's worth many times over. */
export const MAX_TOP_LINES = 1000;

/** The heaviest processes of all the given nodes in one list; a node with groups only gives its groups. */
export function clusterTopLines(nodes: readonly ViewNode[], sort: ProcessSortState, filter: string): TopLine[] {
  const lines: TopLine[] = [];
  for (const n of nodes) {
    const p = n.processes;
    if (!p) continue;
    for (const row of p.processes.length > 0 ? p.processes : p.groups) {
      if (matchesProcess(row, filter)) lines.push({ id: `${n.id}\u0000${processRowId(row)}`, nodeId: n.id, nodeName: n.name, row });
    }
  }
  lines.sort((a, b) => compareProcesses(a.row, b.row, sort) || (a.nodeName < b.nodeName ? -1 : a.nodeName > b.nodeName ? 1 : 0));
  return lines.length > MAX_TOP_LINES ? lines.slice(0, MAX_TOP_LINES) : lines;
}

/** Some node has a process table: the cluster-wide view has something to show. */
export function anyProcesses(nodes: readonly ViewNode[]): boolean {
  return nodes.some((n) => n.processes);
}
