/** The one sort order of the view's lists (nodes, pods, processes, containers): by a figure, those without one last. */

/** A list's order: the key sorted by, and which way. */
export interface SortState<K extends string> {
  readonly key: K;
  readonly descending: boolean;
}

/** The first press of a sort key: figures the busiest first, the keys in `ascending` (names) A to Z. */
export function firstPress<K extends string>(key: K, ascending: readonly string[] = ['name']): SortState<K> {
  return { key, descending: !ascending.includes(key) };
}

/** The key after `key` in `keys`, round to the first. */
export function nextInCycle<K extends string>(keys: readonly [K, ...K[]], key: K): K {
  return keys[(keys.indexOf(key) + 1) % keys.length] ?? keys[0];
}

/** A row decorated for sorting with its figure; null when it has none (down, or no rate yet). */
export interface ValuedRow {
  readonly value: number | null;
}

/** A figure to sort by: NaN and infinities count as none. */
export function finite(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}

/**
 * Sorts `rows` in place by value, rows without one last whatever the direction, ties by `byName`
 * so that rows keep still between frames; by `byName` alone (in the direction) when `byNameOnly`.
 */
export function sortNullsLast<R extends ValuedRow>(rows: R[], descending: boolean, byNameOnly: boolean, byName: (a: R, b: R) => number): R[] {
  return rows.sort((a, b) => (byNameOnly ? (descending ? -1 : 1) * byName(a, b) : compareNullsLast(a.value, b.value, descending) || byName(a, b)));
}

/** Two figures in the direction asked, a missing one after a present one either way; 0 when they tie. */
export function compareNullsLast(x: number | null, y: number | null, descending: boolean): number {
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  return x === y ? 0 : (descending ? -1 : 1) * (x - y);
}
