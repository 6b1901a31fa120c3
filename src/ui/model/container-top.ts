/**
 * The cluster-wide view of containers: the heaviest of every node in one table, with their node,
 * or in another order of `s`. Each node's table is already bounded (MAX_CONTAINERS), so this
 * sorts at most that many per node and keeps the first `limit`.
 */
import type { ContainerStats } from '../../metrics/container-stats.js';
import type { ViewNode } from './frame-data.js';
import { compareContainers, defaultContainerSort, type ContainerSortState } from './container-sort.js';

export interface HeavyContainer {
  /** Unique across the cluster: the node's id and the container's cgroup. */
  readonly id: string;
  readonly nodeId: string;
  readonly nodeName: string;
  readonly container: ContainerStats;
}

/** The rows the cluster-wide table keeps at most: more than any screen, bounded whatever the cluster. */
export const HEAVY_LIMIT = 500;

const weight = (c: ContainerStats): number => c.cpuPercent ?? -1;

/** A compose project's header in the grouped table: its containers follow it. */
export interface ProjectHeader {
  readonly header: string;
  readonly count: number;
  readonly cpuPercent: number;
  readonly memoryBytes: number;
}

export type TopLine = HeavyContainer | ProjectHeader;

export const isProjectHeader = (line: TopLine): line is ProjectHeader => 'header' in line;

/** Where containers without the compose label go. */
export const NO_PROJECT = '(no compose project)';

/**
 * The rows grouped by compose project (`b`), the busiest project first, each under a header with
 * its totals; within a project the rows keep their order. Returns the rows in their new order too.
 */
export function groupByProject(rows: readonly HeavyContainer[]): { lines: TopLine[]; rows: HeavyContainer[] } {
  const groups = new Map<string, HeavyContainer[]>();
  for (const r of rows) {
    const key = r.container.composeProject ?? NO_PROJECT;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const headers = [...groups].map(([header, list]): [ProjectHeader, HeavyContainer[]] => [
    {
      header,
      count: list.length,
      cpuPercent: list.reduce((n, r) => n + (r.container.cpuPercent ?? 0), 0),
      memoryBytes: list.reduce((n, r) => n + (r.container.memoryBytes ?? 0), 0),
    },
    list,
  ]);
  headers.sort(([a], [b]) => (a.header === NO_PROJECT ? 1 : 0) - (b.header === NO_PROJECT ? 1 : 0) || b.cpuPercent - a.cpuPercent || (a.header < b.header ? -1 : 1));
  return { lines: headers.flatMap(([h, list]) => [h, ...list]), rows: headers.flatMap(([, list]) => list) };
}

/**
 * The containers of every node in the order of `sort` (by default the heaviest by CPU, then
 * memory), at most `limit`; and how many there are in all.
 */
export function heaviestContainers(nodes: readonly ViewNode[], sort: ContainerSortState = defaultContainerSort('cpu'), limit = HEAVY_LIMIT): { rows: HeavyContainer[]; total: number } {
  const rows: HeavyContainer[] = [];
  let total = 0;
  for (const n of nodes) {
    const table = n.containers;
    if (!table) continue;
    total += table.containers.length + table.omitted;
    for (const c of table.containers) rows.push({ id: `${n.id}\u0000${c.id}`, nodeId: n.id, nodeName: n.name, container: c });
  }
  const byCpu = sort.key === 'cpu' && sort.descending;
  rows.sort((a, b) =>
    byCpu
      ? weight(b.container) - weight(a.container) || (b.container.memoryBytes ?? -1) - (a.container.memoryBytes ?? -1) || (a.id < b.id ? -1 : 1)
      : compareContainers(a.container, b.container, sort) || (a.id < b.id ? -1 : 1),
  );
  if (rows.length > limit) rows.length = limit;
  return { rows, total };
}
