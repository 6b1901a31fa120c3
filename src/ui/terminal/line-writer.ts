/**
 * Draws a frame of whole screen lines on the terminal, writing only the rows that changed since
 * the last frame, each after a cursor move to its row (as btop and curses do). ink builds a grid of
 * styled cells for every frame and compares nothing; our lines are already styled strings of the
 * terminal's width, so a row is compared and written as one string. That is most of a frame's cost
 * at 120x40 and larger: see docs/performance.md.
 */

const CSI = '\u001B[';
/** The terminal shows the frame once it is all written: no half-drawn frame (terminals without the mode ignore it). */
export const BEGIN_SYNC = `${CSI}?2026h`;
export const END_SYNC = `${CSI}?2026l`;
/**
 * Autowrap off while drawing: a line the terminal finds wider than we counted (a glyph it draws
 * two cells wide) is cut at the right edge instead of wrapping onto the next row, and on the last
 * row instead of scrolling the whole screen up a line. Turned on again at the end of every frame.
 */
export const WRAP_OFF = `${CSI}?7l`;
export const WRAP_ON = `${CSI}?7h`;
const CLEAR = `${CSI}2J`;
/** Erase the line from the cursor: the row's old text right of a shorter new one. */
const ERASE_LINE = `${CSI}2K`;

const moveTo = (row: number): string => `${CSI}${row + 1};1H`;

/**
 * The bytes that turn `previous` (the rows on screen, or undefined when the screen's content is
 * unknown: the first frame, after a resize or a suspend) into `next`, `rows` rows tall. Rows past
 * the end of `next` are blank. Every row ends in the default style: each line closes its styles.
 */
export function frameBytes(previous: readonly string[] | undefined, next: readonly string[], rows: number): string {
  let out = '';
  for (let row = 0; row < rows; row++) {
    const line = next[row] ?? '';
    if (previous) {
      if ((previous[row] ?? '') === line) continue;
    } else if (line === '') continue;
    // The old row goes first, then the new one in the same write: the terminal shows the frame
    // whole (synchronized output), so the erase is never seen on its own.
    out += moveTo(row) + (previous ? ERASE_LINE : '') + line;
  }
  if (!previous) out = CLEAR + out;
  return out === '' ? '' : BEGIN_SYNC + WRAP_OFF + out + WRAP_ON + END_SYNC;
}

interface Writable {
  write(chunk: string): unknown;
}

export class LineWriter {
  private shown: string[] | undefined;
  private columns = 0;
  private rows = 0;
  /** Bytes written so far, for the benchmark. */
  written = 0;

  constructor(private readonly out: Writable) {}

  /** The rows on screen as last drawn, top to bottom (styled strings); empty before the first frame. */
  screen(): readonly string[] {
    return this.shown ?? [];
  }

  /** Forget what is on screen: the next frame is drawn whole (another program drew on it, or it was cleared). */
  invalidate(): void {
    this.shown = undefined;
  }

  /**
   * Draws `lines` (styled, each at most `columns` cells) on a `columns` x `rows` terminal. A new
   * size clears the screen and draws every row: the terminal may have moved or rewrapped the old ones.
   */
  draw(lines: readonly string[], columns: number, rows: number): void {
    if (columns !== this.columns || rows !== this.rows) {
      this.shown = undefined;
      this.columns = columns;
      this.rows = rows;
    }
    const next = lines.slice(0, rows);
    const bytes = frameBytes(this.shown, next, rows);
    this.shown = next;
    if (bytes === '') return;
    this.written += bytes.length;
    this.out.write(bytes);
  }
}
