/** How the terminal's lines are shared out; pure so the height rules can be tested without ink. */
import { fit } from '../../util/format.js';
import type { Segment } from '../render/segments.js';

export interface FrameLayout {
  readonly headerLines: number;
  readonly statusLine: boolean;
  readonly hintLine: boolean;
  /** Lines for the table (its title row included), the detail or the help. */
  readonly body: number;
}

/**
 * Every row when the line writer draws (line-writer.ts: it moves to each row, so the last one is
 * written without scrolling). Drawn by ink, never more than rows - 1 lines: ink clears the whole
 * screen (and the scrollback with it) on every frame as tall as the terminal. Chrome goes before
 * the body as the terminal shrinks.
 */
export function frameLayout(rows: number, fullHeight = false): FrameLayout {
  const budget = Math.max(0, fullHeight ? rows : rows - 1);
  if (budget >= 8) return { headerLines: 2, statusLine: true, hintLine: true, body: budget - 4 };
  if (budget >= 5) return { headerLines: 1, statusLine: true, hintLine: false, body: budget - 2 };
  if (budget >= 2) return { headerLines: 0, statusLine: true, hintLine: false, body: budget - 1 };
  return { headerLines: 0, statusLine: false, hintLine: false, body: budget };
}

/** Below this the table cannot show a name beside its figures: the view says so instead, as btop does. */
export const MIN_COLUMNS = 50;
export const MIN_ROWS = 12;

export function tooSmall(columns: number, rows: number): boolean {
  return columns < MIN_COLUMNS || rows < MIN_ROWS;
}

/** What a terminal below the minimum shows: its size, the size needed, and how to leave. */
export function tooSmallLines(columns: number, rows: number, fullHeight = false): Segment[][] {
  const width = Math.max(1, columns);
  const lines: Segment[][] = [
    [{ text: fit('terminal too small', width), bold: true, color: 'red' }],
    [{ text: fit(`${columns}x${rows}, need ${MIN_COLUMNS}x${MIN_ROWS}`, width) }],
    [{ text: fit('q quits', width), color: 'gray' }],
  ];
  return lines.slice(0, Math.max(1, fullHeight ? rows : rows - 1));
}
