/** Per-core CPU as btop shows it: a compact grid of small labelled bars. */
import { fit, formatPercent } from '../../util/format.js';
import { fitLine, thresholdTone, type Segment } from './segments.js';
import { barParts } from './sparkline.js';

const CELL_GAP = 2;
/** Roomy to compact: the first that fits the line budget is used. */
const BAR_WIDTHS = [10, 6, 3, 0] as const;
/** Longer bars, taken when they need no more lines than the roomy ones: a wide terminal's line is filled. */
const WIDE_BAR_WIDTHS = [24, 16] as const;

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

/** Lines the grid would like at this width (every core, widest bars); more than that is wasted. */
export function coreLinesWanted(cores: number, width: number): number {
  if (cores <= 0) return 1;
  const labelWidth = `C${cores - 1}`.length;
  const perLine = Math.max(1, Math.floor((width + CELL_GAP) / (cellWidth(labelWidth, BAR_WIDTHS[0]) + CELL_GAP)));
  return Math.ceil(cores / perLine);
}

/**
 * At most `maxLines` lines of exactly `width` cells: the widest bars that let every core fit,
 * or the most compact cells and a "+N more" note when even those do not.
 */
export function coreLines(perCore: readonly (number | null)[], width: number, maxLines: number): Segment[][] {
  if (maxLines <= 0) return [];
  const labelWidth = `C${Math.max(0, perCore.length - 1)}`.length;
  let barWidth: number = BAR_WIDTHS[BAR_WIDTHS.length - 1] ?? 0;
  for (const b of BAR_WIDTHS) {
    const perLine = Math.floor((width + CELL_GAP) / (cellWidth(labelWidth, b) + CELL_GAP));
    if (perLine >= 1 && Math.ceil(perCore.length / perLine) <= maxLines) {
      barWidth = b;
      break;
    }
  }
  const linesAt = (b: number): number => Math.ceil(perCore.length / Math.max(1, Math.floor((width + CELL_GAP) / (cellWidth(labelWidth, b) + CELL_GAP))));
  if (barWidth === BAR_WIDTHS[0]) {
    const lines = linesAt(barWidth);
    barWidth = WIDE_BAR_WIDTHS.find((b) => linesAt(b) <= lines) ?? barWidth;
  }
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
