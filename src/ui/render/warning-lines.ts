/** The start-up warnings (fields ignored, targets merged) above the body, until `x` dismisses them. */
import { packLine, type Segment } from './segments.js';

/** Lines for the start-up warnings above the body: at most three, then how many more; `x` dismisses. */
export function warningLines(warnings: readonly string[], width: number, room: number): Segment[][] {
  const most = Math.min(3, Math.max(0, room - 4), warnings.length);
  if (most <= 0) return [];
  const lines: Segment[][] = warnings.slice(0, most).map((w, i) => {
    const more = i === most - 1 && warnings.length > most ? `  (+${warnings.length - most} more on stderr, seen after q)` : '';
    return packLine([{ segments: [{ text: '! ', color: 'yellow', bold: true }, { text: w, color: 'yellow' }, { text: more, color: 'gray' }], priority: 1 }], i === 0 ? [{ text: 'x dismiss', color: 'gray' }] : [], width);
  });
  return lines;
}
