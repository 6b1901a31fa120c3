/**
 * History charts of CPU, memory, network and disk in a grid that fits the room: a node's in its
 * detail, the whole cluster's in the table view's panel (btop's top box).
 */
import { chartLines, chartPoints, type ChartSeries } from './charts.js';
import { historyTail, nodeTail, type ViewNode } from '../model/frame-data.js';
import type { ClusterSeriesKey } from '../../store/cluster-store.js';
import type { Ring } from '../../store/ring.js';
import { formatBytesShort, formatPercent, formatRate } from '../../util/format.js';
import { fitLine, type Segment, type Tone } from './segments.js';

/** The series a node and the cluster both keep. */
type ChartKey = 'cpu' | 'memory' | 'rx' | 'tx' | 'read' | 'written';

interface ChartSpec {
  readonly title: string;
  readonly series: readonly { readonly key: ChartKey; readonly name: string; readonly tone: Tone }[];
  readonly percent: boolean;
}

const CHARTS: readonly ChartSpec[] = [
  { title: 'CPU', series: [{ key: 'cpu', name: 'used', tone: 'green' }], percent: true },
  { title: 'Memory', series: [{ key: 'memory', name: 'used', tone: 'yellow' }], percent: true },
  { title: 'Network', series: [{ key: 'rx', name: '↓rx', tone: 'cyan' }, { key: 'tx', name: '↑tx', tone: 'magenta' }], percent: false },
  { title: 'Disk', series: [{ key: 'read', name: 'read', tone: 'blue' }, { key: 'written', name: 'written', tone: 'red' }], percent: false },
];

/** The last `n` values of a series, oldest first. */
type Tail = (key: ChartKey, n: number) => number[];

const GRID_MIN_WIDTH = 70;
/** From this width the four charts stand in one row. */
const ONE_ROW_MIN_WIDTH = 160;
const COLUMN_GAP = 2;
/** A chart below three plot lines says nothing. */
const MIN_ROW_HEIGHT = 4;

function chartBlock(tail: Tail, spec: ChartSpec, width: number, height: number, prefix: string): Segment[][] {
  const labelWidth = spec.percent ? 4 : 5;
  const points = chartPoints(width, labelWidth);
  const series: ChartSeries[] = spec.series.map((s) => ({ values: tail(s.key, points), tone: s.tone }));
  const title: Segment[] = [{ text: `${prefix}${spec.title}`, bold: true }];
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

/** The four charts in as many rows as the width allows, as tall as `height` (none when too low). */
function chartGrid(tail: Tail, width: number, height: number, prefix = ''): Segment[][] {
  // Four in a row make short wide charts: for a panel, not for a detail with the height to fill.
  const perRow = width >= ONE_ROW_MIN_WIDTH && height < 2 * MIN_ROW_HEIGHT * 3 ? 4 : width >= GRID_MIN_WIDTH ? 2 : 1;
  const wantedRows = Math.ceil(CHARTS.length / perRow);
  const rows = Math.min(wantedRows, Math.floor(height / MIN_ROW_HEIGHT));
  if (rows <= 0) return [];
  const colWidth = Math.floor((width - COLUMN_GAP * (perRow - 1)) / perRow);
  const lines: Segment[][] = [];
  for (let r = 0; r < rows; r++) {
    // The lines that do not divide evenly go to the first rows: every line of the room is used.
    const rowHeight = Math.floor(height / rows) + (r < height % rows ? 1 : 0);
    const blocks = CHARTS.slice(r * perRow, r * perRow + perRow).map((spec) => chartBlock(tail, spec, colWidth, rowHeight, prefix));
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

/** A node's charts, filling `height` lines. */
export function detailCharts(node: ViewNode, width: number, height: number): Segment[][] {
  return chartGrid((key, n) => nodeTail(node, key, n), width, height);
}

/**
 * The whole cluster's charts: CPU weighted by cores, memory by bytes, network and disk summed;
 * the history up to `untilMs` (a paused frame's time).
 */
export function clusterCharts(cluster: Ring<ClusterSeriesKey>, untilMs: number | undefined, width: number, height: number): Segment[][] {
  const lines = chartGrid((key, n) => historyTail(cluster, key, n, untilMs), width, height, 'Cluster ');
  while (lines.length < height) lines.push([{ text: ' '.repeat(width) }]);
  return lines;
}

/** The lines a cluster panel takes above the table: none on small terminals, more when the table leaves room. */
export function clusterPanelHeight(width: number, body: number, tableLines: number): number {
  if (width < 100 || body < 30) return 0;
  const least = Math.min(16, Math.floor(body * 0.3));
  // A short table leaves its room to the charts; the table keeps a few lines whatever happens.
  return Math.max(least, Math.min(body - tableLines, body - 6));
}
