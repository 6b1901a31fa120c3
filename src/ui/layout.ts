/** How the terminal's lines are shared out; pure so the height rules can be tested without ink. */

export interface FrameLayout {
  readonly headerLines: number;
  readonly statusLine: boolean;
  readonly hintLine: boolean;
  /** Lines for the table (its title row included), the detail or the help. */
  readonly body: number;
}

/**
 * Never more than rows - 1 lines: ink clears the whole screen (and the scrollback with it) on
 * every frame as tall as the terminal. Chrome goes before the body as the terminal shrinks.
 */
export function frameLayout(rows: number): FrameLayout {
  const budget = Math.max(0, rows - 1);
  if (budget >= 8) return { headerLines: 2, statusLine: true, hintLine: true, body: budget - 4 };
  if (budget >= 5) return { headerLines: 1, statusLine: true, hintLine: false, body: budget - 2 };
  if (budget >= 2) return { headerLines: 0, statusLine: true, hintLine: false, body: budget - 1 };
  return { headerLines: 0, statusLine: false, hintLine: false, body: budget };
}
