/** The detail's pod list without rendering: its order and the rows the selection moves over. */
import type { PodFigures } from '../../metrics/kube-figures.js';
import { naturalKey } from './table-model.js';
import { finite, sortNullsLast } from './sort-order.js';

export const POD_SORT_KEYS = ['cpu', 'memory', 'name'] as const;
export type PodSortKey = (typeof POD_SORT_KEYS)[number];

export interface PodSortState {
  readonly key: PodSortKey;
  readonly descending: boolean;
}

/** As the node table: the busiest first, names A to Z. */
export function defaultPodSort(key: PodSortKey): PodSortState {
  return { key, descending: key !== 'name' };
}

export function nextPodSortKey(key: PodSortKey): PodSortKey {
  return POD_SORT_KEYS[(POD_SORT_KEYS.indexOf(key) + 1) % POD_SORT_KEYS.length] ?? 'cpu';
}

export interface PodRow {
  /** namespace/name: unique on a node, so the selection can follow its pod. */
  readonly id: string;
  readonly pod: PodFigures;
}

/**
 * Sorted rows. A pod without the figure (just started: a rate needs two readings) goes last in
 * both directions, and ties fall back to namespace/name so rows keep still between frames.
 */
export function sortPods(pods: readonly PodFigures[], sort: PodSortState): PodRow[] {
  const rows = pods.map((pod) => {
    const id = `${pod.namespace}/${pod.name}`;
    const value = sort.key === 'cpu' ? pod.cpuCores : sort.key === 'memory' ? pod.memoryBytes : null;
    return { row: { id, pod }, name: naturalKey(id), value: finite(value) };
  });
  type Decorated = (typeof rows)[number];
  const byName = (a: Decorated, b: Decorated): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return sortNullsLast(rows, sort.descending, sort.key === 'name', byName).map((r) => r.row);
}
