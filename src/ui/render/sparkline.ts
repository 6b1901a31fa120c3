/** Text-cell graphics: sparklines and percentage bars, always exactly `width` cells wide. */

const LEVELS = '▁▂▃▄▅▆▇█';
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'] as const;
const EMPTY_CELL = '·';

/**
 * The last `width` values as one cell each, scaled from 0 to `max` (default: the largest value),
 * NaN as a blank gap, left-padded with blanks when there are fewer values than cells.
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  if (width <= 0) return '';
  const shown = values.length > width ? values.slice(values.length - width) : values;
  let top = max ?? 0;
  if (max === undefined) for (const v of shown) if (Number.isFinite(v) && v > top) top = v;
  let out = ' '.repeat(width - shown.length);
  for (const v of shown) {
    if (!Number.isFinite(v)) {
      out += ' ';
      continue;
    }
    const level = top > 0 ? Math.round((Math.min(Math.max(v, 0), top) / top) * (LEVELS.length - 1)) : 0;
    out += LEVELS[level];
  }
  return out;
}

export interface BarParts {
  /** Full and partial blocks for the percentage. */
  readonly filled: string;
  /** The rest of the width, drawn as dots so an empty bar still shows its extent without color. */
  readonly empty: string;
}

/** A bar split in two so the caller can color the filled part by threshold and dim the rest. */
export function barParts(percent: number | null | undefined, width: number): BarParts {
  if (width <= 0) return { filled: '', empty: '' };
  if (percent === null || percent === undefined || !Number.isFinite(percent)) {
    return { filled: '', empty: EMPTY_CELL.repeat(width) };
  }
  const eighths = Math.round((Math.min(Math.max(percent, 0), 100) / 100) * width * 8);
  const full = Math.floor(eighths / 8);
  const filled = '█'.repeat(full) + EIGHTHS[eighths % 8];
  return { filled, empty: EMPTY_CELL.repeat(width - filled.length) };
}

/** A percentage bar of exactly `width` cells: █ and eighth blocks, dots for the empty part. */
export function bar(percent: number | null | undefined, width: number): string {
  const { filled, empty } = barParts(percent, width);
  return filled + empty;
}
