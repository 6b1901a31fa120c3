/** Line charts for the detail view: asciichart plots merged into colored, fixed-size lines. */
import asciichart from 'asciichart';
import { fit } from '../../util/format.js';
import type { Segment, Tone } from './segments.js';

export interface ChartSeries {
  readonly values: readonly number[];
  readonly tone: Tone;
}

export interface ChartOptions {
  readonly width: number;
  /** Lines of the chart, axis labels included. */
  readonly height: number;
  /** Top of the scale; by default the largest value (at least 1). */
  readonly max?: number;
  readonly label: (value: number) => string;
  readonly labelWidth: number;
}

/** How many points fit: asciichart draws label, axis, one cell per point after the first, and a blank. */
export function chartPoints(width: number, labelWidth: number): number {
  return Math.max(0, width - labelWidth - 1);
}

/**
 * asciichart cannot draw gaps (NaN breaks its scale), so leading gaps are cut and inner gaps
 * hold the last value; all series are cut at the same point so they stay aligned.
 */
export function fillGaps(series: readonly (readonly number[])[]): number[][] {
  const length = Math.max(0, ...series.map((s) => s.length));
  let start = length;
  for (const s of series) {
    const offset = length - s.length;
    const first = s.findIndex((v) => Number.isFinite(v));
    if (first >= 0) start = Math.min(start, offset + first);
  }
  return series.map((s) => {
    const offset = length - s.length;
    const out: number[] = [];
    let last = NaN;
    for (let i = start; i < length; i++) {
      const v = s[i - offset];
      if (v !== undefined && Number.isFinite(v)) last = v;
      out.push(last);
    }
    const firstFinite = out.find((v) => Number.isFinite(v)) ?? 0;
    return out.map((v) => (Number.isFinite(v) ? v : firstFinite));
  });
}

/** Exactly `height` lines of exactly `width` cells; blank lines when there is no room or no data. */
export function chartLines(series: readonly ChartSeries[], options: ChartOptions): Segment[][] {
  const { width, height, labelWidth } = options;
  const blank = (): Segment[] => [{ text: ' '.repeat(Math.max(0, width)) }];
  const points = chartPoints(width, labelWidth);
  if (height < 2 || points < 2) return Array.from({ length: Math.max(0, height) }, blank);
  const filled = fillGaps(series.map((s) => s.values.slice(-points)));
  if ((filled[0]?.length ?? 0) === 0) {
    return [[{ text: fit(' '.repeat(labelWidth + 1) + 'no data yet', width), color: 'gray' }], ...Array.from({ length: height - 1 }, blank)];
  }
  let max = options.max ?? 1;
  for (const s of filled) for (const v of s) if (v > max) max = v;
  const config = {
    min: 0,
    max,
    height: height - 1,
    offset: 2,
    // asciichart marks "y == 0" with ┼ on the wrong row when min is 0; a plain axis reads better.
    symbols: ['┤', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
    format: (x: number) => fit(options.label(x), labelWidth, 'right'),
  };
  const plots = filled.map((values) => asciichart.plot(values, config).split('\n'));
  const lines: Segment[][] = [];
  for (let row = 0; row < height; row++) {
    const rows = plots.map((p) => p[row] ?? '');
    const base = rows[0] ?? '';
    const out: Segment[] = [{ text: base.slice(0, labelWidth + 1), color: 'gray' }];
    // Cells of one color make one segment: built as a run of text, pushed when the color changes.
    let run = '';
    let runTone: Tone | undefined;
    const flush = (): void => {
      if (run !== '') out.push({ text: run, ...(runTone ? { color: runTone } : {}) });
    };
    for (let x = labelWidth + 1; x < base.length; x++) {
      let at = -1;
      for (let k = 0; k < rows.length; k++) {
        const c = rows[k]?.[x];
        if (c !== undefined && c !== ' ') {
          at = k;
          break;
        }
      }
      const ch = at >= 0 ? (rows[at]?.[x] ?? ' ') : ' ';
      const tone = at >= 0 ? series[at]?.tone : undefined;
      if (tone !== runTone) {
        flush();
        run = '';
        runTone = tone;
      }
      run += ch;
    }
    flush();
    let used = 0;
    for (const seg of out) used += seg.text.length;
    if (used < width) out.push({ text: ' '.repeat(width - used) });
    lines.push(out);
  }
  return lines;
}
