/**
 * The order of a node's containers box (`s` / `S` in its detail), as the processes pane has its
 * own: by CPU (the reader's order), memory, name, network (received and sent), block I/O (read
 * and written), age (the youngest first: a container that just restarted) and restarts.
 */
import type { ContainerStats } from '../../metrics/container-stats.js';
import type { ContainerColumnKey } from './container-columns.js';
import { compareNullsLast, firstPress, nextInCycle, type SortState } from './sort-order.js';

export const CONTAINER_SORT_KEYS = ['cpu', 'memory', 'name', 'net', 'io', 'age', 'restarts'] as const;
export type ContainerSortKey = (typeof CONTAINER_SORT_KEYS)[number];

export type ContainerSortState = SortState<ContainerSortKey>;

/** The heaviest, youngest or most restarted first; names in ascending order. */
export function defaultContainerSort(key: ContainerSortKey): ContainerSortState {
  return firstPress(key);
}

export function nextContainerSortKey(key: ContainerSortKey): ContainerSortKey {
  return nextInCycle(CONTAINER_SORT_KEYS, key);
}

/** The column whose header carries the sort's arrow. */
export const SORT_COLUMN: Readonly<Record<ContainerSortKey, ContainerColumnKey>> = { cpu: 'cpu', memory: 'memory', name: 'name', net: 'rx', io: 'read', age: 'age', restarts: 'restarts' };

/** How the box's title names the sort. */
export const SORT_TITLE: Readonly<Record<ContainerSortKey, string>> = { cpu: 'CPU', memory: 'memory', name: 'name', net: 'network', io: 'I/O', age: 'age', restarts: 'restarts' };

const sum = (a: number | null, b: number | null): number | null => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

function sortValue(c: ContainerStats, key: Exclude<ContainerSortKey, 'name'>): number | null {
  switch (key) {
    case 'cpu':
      return c.cpuPercent;
    case 'memory':
      return c.memoryBytes;
    case 'net':
      return sum(c.receiveBytesPerSecond, c.transmitBytesPerSecond);
    case 'io':
      return sum(c.readBytesPerSecond, c.writtenBytesPerSecond);
    case 'age':
      // Descending: the latest start, the youngest, first.
      return c.startedAtMs;
    case 'restarts':
      return c.restarts;
  }
}

/** Compares by the sort; a container without the figure goes last either way; ties by name, then id. */
export function compareContainers(a: ContainerStats, b: ContainerStats, sort: ContainerSortState): number {
  const byName = a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  if (sort.key === 'name') return (sort.descending ? -1 : 1) * byName;
  return compareNullsLast(sortValue(a, sort.key), sortValue(b, sort.key), sort.descending) || byName;
}

/** The containers in the sort's order; the same array for the reader's own order (CPU, heaviest first). */
export function sortContainers(list: readonly ContainerStats[], sort: ContainerSortState): readonly ContainerStats[] {
  if (sort.key === 'cpu' && sort.descending) return list;
  return [...list].sort((a, b) => compareContainers(a, b, sort));
}
