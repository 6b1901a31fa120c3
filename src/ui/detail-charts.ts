/** The detail view's history charts: CPU, memory, network and disk, in a grid that fits the room. */
import type { NodeSeriesKey } from '../store/cluster-store.js';
import { chartLines, chartPoints, type ChartSeries } from './charts.js';
import { nodeTail, type ViewNode } from './frame-data.js';
import { formatBytesShort, formatPercent, formatRate } from './format.js';
import { fitLine, type Segment, type Tone } from './segments.js';

interface ChartSpec {
  readonly title: string;
  readonly series: readonly { readonly key: NodeSeriesKey; readonly name: string; readonly tone: Tone }[];
  readonly percent: boolean;
}

const CHARTS: readonly ChartSpec[] = [
  { title: 'CPU', series: [{ key: 'cpu', name: 'used', tone: 'green' }], percent: true },
  { title: 'Memory', series: [{ key: 'memory', name: 'used', tone: 'yellow' }], percent: true },
  { title: 'Network', series: [{ key: 'rx', name: '↓rx', tone: 'cyan' }, { key: 'tx', name: '↑tx', tone: 'magenta' }], percent: false },
  { title: 'Disk', series: [{ key: 'read', name: 'read', tone: 'blue' }, { key: 'written', name: 'written', tone: 'red' }], percent: false },
];

const GRID_MIN_WIDTH = 70;
const COLUMN_GAP = 2;
/** A chart below three plot lines says nothing; above ten it only takes room from the rest. */
const MIN_ROW_HEIGHT = 4;
const MAX_ROW_HEIGHT = 11;

function chartBlock(node: ViewNode, spec: ChartSpec, width: number, height: number): Segment[][] {
  const labelWidth = spec.percent ? 4 : 5;
  const points = chartPoints(width, labelWidth);
  const series: ChartSeries[] = spec.series.map((s) => ({ values: nodeTail(node, s.key, points), tone: s.tone }));
  const title: Segment[] = [{ text: spec.title, bold: true }];
  spec.series.forEach((s, i) => {
    const latest = series[i]?.values.at(-1);
    const value = spec.percent ? formatPercent(latest) : formatRate(latest);
    title.push({ text: `  ${s.name} `, color: s.tone }, { text: value });
  });
  const chart = chartLines(series, {
    width,
    height: height - 1,
    label: spec.percent ? (v) => `${Math.round(v)}%` : formatBytesShort,
    labelWidth,
    // A quiet interface's chart spans at least 1 KiB/s: below that the axis would read 1B 1B 0B.
    ...(spec.percent ? { max: 100 } : { max: 1024 }),
  });
  return [fitLine(title, width), ...chart];
}

/** As many rows of charts as fit in `height` lines (none when too low), each as tall as allowed. */
export function detailCharts(node: ViewNode, width: number, height: number): Segment[][] {
  const perRow = width >= GRID_MIN_WIDTH ? 2 : 1;
  const wantedRows = Math.ceil(CHARTS.length / perRow);
  const rows = Math.min(wantedRows, Math.floor(height / MIN_ROW_HEIGHT));
  if (rows <= 0) return [];
  const rowHeight = Math.min(MAX_ROW_HEIGHT, Math.floor(height / rows));
  const colWidth = perRow === 2 ? Math.floor((width - COLUMN_GAP) / 2) : width;
  const lines: Segment[][] = [];
  for (let r = 0; r < rows; r++) {
    const blocks = CHARTS.slice(r * perRow, r * perRow + perRow).map((spec) => chartBlock(node, spec, colWidth, rowHeight));
    for (let i = 0; i < rowHeight; i++) {
      const line: Segment[] = [];
      blocks.forEach((b, k) => {
        if (k > 0) line.push({ text: ' '.repeat(COLUMN_GAP) });
        line.push(...(b[i] ?? [{ text: ' '.repeat(colWidth) }]));
      });
      lines.push(fitLine(line, width));
    }
  }
  return lines;
}
