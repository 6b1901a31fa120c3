/** Per-core CPU as btop shows it: a compact grid of small labelled bars. */
import { fit, formatPercent } from '../../util/format.js';
import { fitLine, thresholdTone, type Segment } from './segments.js';
import { barParts } from './sparkline.js';

const CELL_GAP = 2;
/** Longest bars first: the first that lets every core fit the line budget is used. */
const BAR_WIDTHS = [24, 16, 10, 6, 3, 0] as const;
/** The bars a grid wants by default; the longer ones only when the terminal is tall (see coreLinesWanted). */
export const ROOMY_BAR = 10;
export const LONGEST_BAR = BAR_WIDTHS[0];

function cellWidth(labelWidth: number, barWidth: number): number {
  return labelWidth + 1 + (barWidth > 0 ? barWidth + 1 : 0) + 4;
}

function cell(label: string, percent: number | null, labelWidth: number, barWidth: number): Segment[] {
  const { filled, empty } = barParts(percent, barWidth);
  return [
    { text: `${label.padEnd(labelWidth)} `, color: 'gray' },
    ...(barWidth > 0 ? [{ text: filled, color: thresholdTone(percent) }, { text: `${empty} `, color: 'gray' as const }] : []),
    { text: fit(formatPercent(percent, 0), 4, 'right') },
  ];
}

function linesAt(cores: number, width: number, barWidth: number): number {
  const labelWidth = `C${Math.max(0, cores - 1)}`.length;
  return Math.ceil(cores / Math.max(1, Math.floor((width + CELL_GAP) / (cellWidth(labelWidth, barWidth) + CELL_GAP))));
}

/**
 * Lines the grid would like at this width with bars `barWidth` long (ROOMY_BAR, or LONGEST_BAR
 * when the terminal has the height to spare); more than that is wasted.
 */
export function coreLinesWanted(cores: number, width: number, barWidth: number = ROOMY_BAR): number {
  return cores <= 0 ? 1 : linesAt(cores, width, barWidth);
}

/**
 * At most `maxLines` lines of exactly `width` cells: the longest bars that let every core fit (so
 * a budget of more lines gives longer bars), or the most compact cells and a "+N more" note when
 * even those do not.
 */
export function coreLines(perCore: readonly (number | null)[], width: number, maxLines: number): Segment[][] {
  if (maxLines <= 0) return [];
  const labelWidth = `C${Math.max(0, perCore.length - 1)}`.length;
  const barWidth = BAR_WIDTHS.find((b) => linesAt(perCore.length, width, b) <= maxLines) ?? 0;
  const perLine = Math.max(1, Math.floor((width + CELL_GAP) / (cellWidth(labelWidth, barWidth) + CELL_GAP)));
  const lines: Segment[][] = [];
  const total = Math.ceil(perCore.length / perLine);
  const shownLines = Math.min(total, maxLines);
  for (let line = 0; line < shownLines; line++) {
    const out: Segment[] = [];
    const truncated = line === shownLines - 1 && total > shownLines;
    const cells = truncated ? perLine - 1 : perLine;
    for (let k = 0; k < cells; k++) {
      const i = line * perLine + k;
      if (i >= perCore.length) break;
      if (k > 0) out.push({ text: ' '.repeat(CELL_GAP) });
      out.push(...cell(`C${i}`, perCore[i] ?? null, labelWidth, barWidth));
    }
    if (truncated) {
      const hidden = perCore.length - (line * perLine + cells);
      out.push({ text: `${cells > 0 ? '  ' : ''}+${hidden} more`, color: 'gray' });
    }
    lines.push(fitLine(out, width));
  }
  return lines;
}
