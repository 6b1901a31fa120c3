/** The `--column` values in a node's detail: each with a sparkline of its history, and the series of a `sum by`. */
import { historyTail, type ViewNode } from '../model/frame-data.js';
import { formatValue } from '../../util/format.js';
import { flowLines, type Segment } from './segments.js';
import { sparkline } from './sparkline.js';

const SPARK_WIDTH = 10;

function columnItems(node: ViewNode): Segment[][] {
  const items: Segment[][] = [];
  for (const [name, reading] of Object.entries(node.columns)) {
    const history = node.columnHistory ? historyTail(node.columnHistory, name, SPARK_WIDTH, node.historyUntilMs) : [];
    items.push([
      { text: `${name} `, color: 'gray' },
      { text: sparkline(history, SPARK_WIDTH), color: 'cyan' },
      { text: ` ${formatValue(reading.value)}`, bold: true },
    ]);
    for (const part of reading.parts) items.push([{ text: `${name}{${part.labels}} `, color: 'gray' }, { text: formatValue(part.value) }]);
    const more = reading.partCount - reading.parts.length;
    if (more > 0) items.push([{ text: `${name}: ${more} more series`, color: 'gray' }]);
  }
  return items;
}

/** At most `maxLines` lines; none when the node has no column readings (no columns, or down). */
export function columnLines(node: ViewNode, width: number, maxLines: number): Segment[][] {
  return flowLines(columnItems(node), width, maxLines);
}
