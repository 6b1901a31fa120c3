/**
 * The detail view of a target that is no node_exporter: its scrape, the `--column`s, then every
 * metric family with live figures, one line per series, scrolled with ↑/↓ and PgUp/PgDn.
 */
import type { AppFamily, AppSeries, AppView } from '../../metrics/app-model.js';
import { APP_SERIES_CAP } from '../../metrics/app-model.js';
import { columnLines } from './column-lines.js';
import { scrapeItems, titleLine } from './detail-lines.js';
import type { ViewNode } from '../model/frame-data.js';
import { formatValue } from '../../util/format.js';
import { flowLines, packLine, type Segment } from './segments.js';

const COLUMN_LINES = 3;

/** `p50 0.012  p99 0.2  25/s`: quantiles, then observations per second (a count, for a gauge histogram). */
function valueText(family: AppFamily, series: AppSeries): string {
  const perSecond = family.type === 'counter' || family.type === 'histogram' || family.type === 'summary';
  const value = series.value === null ? '-' : `${formatValue(series.value)}${perSecond ? '/s' : ''}`;
  if (!series.quantiles) return value;
  const quantiles = series.quantiles.map(([q, v]) => `p${Number((q * 100).toPrecision(4))} ${formatValue(v)}`);
  return [...quantiles, value].join('  ');
}

/** Every family as lines: a family of one unlabelled series is one line; others a title and a line per series. */
function familyLines(app: AppView, width: number): Segment[][] {
  const lines: Segment[][] = [];
  for (const family of app.families) {
    const title: Segment[] = [{ text: family.name, bold: true }, { text: ` ${family.type}`, color: 'gray' }];
    const only = family.series[0];
    if (family.series.length === 1 && only && only.labels === '') {
      lines.push(packLine([{ segments: title, priority: 1 }], [{ text: valueText(family, only) }], width));
      continue;
    }
    lines.push(packLine([{ segments: [...title, { text: `  ${family.series.length} series`, color: 'gray' }], priority: 1 }], [], width));
    for (const series of family.series) {
      lines.push(packLine([{ segments: [{ text: `  ${series.labels || '(no labels)'}` }], priority: 1 }], [{ text: valueText(family, series) }], width));
    }
  }
  return lines;
}

function layout(node: ViewNode, app: AppView, width: number, height: number, nowMs: number) {
  const head = [titleLine(node, width, nowMs, '↑↓ scroll  Esc back'), ...flowLines(scrapeItems(node, nowMs), width, 2), ...columnLines(node, width, COLUMN_LINES)];
  const body = familyLines(app, width);
  // One line under the head says what the list holds and where it is scrolled to.
  const room = Math.max(0, height - head.length - 1);
  return { head, body, room };
}

/** How far the family list scrolls at this size: what the keys may move through. */
export function appScrollMax(node: ViewNode, app: AppView, width: number, height: number, nowMs: number): number {
  const { body, room } = layout(node, app, width, height, nowMs);
  return Math.max(0, body.length - room);
}

/** Exactly fitted lines, never more than `height`. */
export function appDetailLines(node: ViewNode, app: AppView, width: number, height: number, nowMs: number, scroll: number): Segment[][] {
  if (height <= 0) return [];
  const { head, body, room } = layout(node, app, width, height, nowMs);
  const offset = Math.min(Math.max(0, scroll), Math.max(0, body.length - room));
  const shown = body.slice(offset, offset + room);
  const where = body.length > room ? `  lines ${offset + 1}-${offset + shown.length} of ${body.length}` : '';
  const info: Segment[] = [
    { text: 'Metrics', bold: true },
    { text: `  ${app.families.length} families  ${app.samples} samples${where}`, color: 'gray' },
    ...(app.capped ? [{ text: `  only the first ${APP_SERIES_CAP} series are shown (the cap per target)`, color: 'yellow' as const }] : []),
  ];
  return [...head, packLine([{ segments: info, priority: 1 }], [], width), ...shown].slice(0, height);
}
