/** The one sort order of the view's lists (nodes, pods): by a figure, those without one last. */

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
  const sign = descending ? -1 : 1;
  return rows.sort((a, b) => {
    if (byNameOnly) return sign * byName(a, b);
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
    } else if (a.value !== b.value) {
      return sign * (a.value - b.value);
    }
    return byName(a, b);
  });
}
