/**
 * A screen line is a list of styled segments whose texts add up to exactly the line's width.
 * Widths are string lengths: every glyph the UI draws is one cell wide.
 */

/** The basic 16 colors only, so a 16-color terminal shows everything. */
export type Tone = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'blue' | 'gray';

export interface Segment {
  readonly text: string;
  readonly color?: Tone;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

export type LineSpec = readonly Segment[];

/** btop's thresholds: green under 60 %, yellow under 85 %, red above. */
export function thresholdTone(percent: number | null | undefined): Tone {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return 'gray';
  if (percent < 60) return 'green';
  if (percent < 85) return 'yellow';
  return 'red';
}

export function lineText(line: LineSpec): string {
  let s = '';
  for (const seg of line) s += seg.text;
  return s;
}

export function lineWidth(line: LineSpec): number {
  let n = 0;
  for (const seg of line) n += seg.text.length;
  return n;
}

/** Cuts (with an ellipsis) or pads the segments to exactly `width` cells. */
export function fitLine(line: LineSpec, width: number): Segment[] {
  if (width <= 0) return [];
  const total = lineWidth(line);
  if (total <= width) return total === width ? [...line] : [...line, { text: ' '.repeat(width - total) }];
  const out: Segment[] = [];
  let room = width - 1;
  for (const seg of line) {
    if (room <= 0) break;
    const text = seg.text.length <= room ? seg.text : seg.text.slice(0, room);
    out.push({ ...seg, text });
    room -= text.length;
  }
  const last = out[out.length - 1];
  out.push({ text: '…', ...(last?.color ? { color: last.color } : {}) });
  return out;
}

export interface Group {
  readonly segments: LineSpec;
  /** Higher stays longer when the line is too narrow. */
  readonly priority: number;
}

/**
 * Lays out groups left to right separated by `gap` blanks and `right` flush right, dropping the
 * lowest-priority groups until everything fits; the result is exactly `width` cells.
 */
export function packLine(groups: readonly Group[], right: LineSpec, width: number, gap = 2): Segment[] {
  const rightWidth = lineWidth(right);
  const kept = [...groups];
  const widthOf = (gs: readonly Group[]): number =>
    gs.reduce((n, g, i) => n + lineWidth(g.segments) + (i > 0 ? gap : 0), 0) + (rightWidth > 0 && gs.length > 0 ? gap : 0);
  while (kept.length > 1 && widthOf(kept) + rightWidth > width) {
    let lowest = 0;
    for (let i = 1; i < kept.length; i++) if ((kept[i]?.priority ?? 0) < (kept[lowest]?.priority ?? 0)) lowest = i;
    kept.splice(lowest, 1);
  }
  const left: Segment[] = [];
  kept.forEach((g, i) => {
    if (i > 0) left.push({ text: ' '.repeat(gap) });
    left.push(...g.segments);
  });
  const leftRoom = Math.max(0, width - rightWidth);
  const fittedLeft = lineWidth(left) > leftRoom ? fitLine(left, leftRoom) : left;
  const pad = width - lineWidth(fittedLeft) - rightWidth;
  if (pad < 0) return fitLine([...fittedLeft, ...right], width);
  return [...fittedLeft, ...(pad > 0 ? [{ text: ' '.repeat(pad) }] : []), ...right];
}

/** Flows items into lines of at most `width`, at most `maxLines` lines, items never split unless alone. */
export function flowLines(items: readonly LineSpec[], width: number, maxLines: number, gap = 3): Segment[][] {
  const lines: Segment[][] = [];
  let current: Segment[] = [];
  for (const item of items) {
    const w = lineWidth(item);
    const used = lineWidth(current);
    if (current.length > 0 && used + gap + w > width) {
      lines.push(fitLine(current, width));
      current = [];
    }
    if (current.length > 0) current.push({ text: ' '.repeat(gap) });
    current.push(...item);
  }
  if (current.length > 0) lines.push(fitLine(current, width));
  return lines.slice(0, Math.max(0, maxLines));
}
