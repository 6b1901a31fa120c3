import type { SortKey } from './table-model.js';

export type ColumnId = 'name' | 'status' | 'cpu' | 'spark' | 'mem' | 'load' | 'rx' | 'tx' | 'read' | 'write' | 'uptime';

export interface Column {
  readonly id: ColumnId;
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  /** The sort this column's title shows a ▲/▼ for. */
  readonly sort?: SortKey;
}

/** The selection marker before every row: the selected row is visible even without color. */
export const GUTTER = 1;
export const COLUMN_GAP = 1;
/** Width of the bar inside the CPU and memory cells; the rest is " 100%". */
export const CELL_BAR_WIDTH = 6;

const NAME_MIN = 10;
const NAME_COMFORT = 24;
const NAME_MAX = 48;
const SPARK_MAX = 30;

const ALL: readonly Column[] = [
  { id: 'name', title: 'NODE', width: NAME_MIN, align: 'left', sort: 'name' },
  { id: 'status', title: 'STATUS', width: 9, align: 'left' },
  { id: 'cpu', title: 'CPU', width: CELL_BAR_WIDTH + 5, align: 'left', sort: 'cpu' },
  { id: 'spark', title: 'CPU HIST', width: 10, align: 'left' },
  { id: 'mem', title: 'MEM', width: CELL_BAR_WIDTH + 5, align: 'left', sort: 'memory' },
  { id: 'load', title: 'LOAD', width: 5, align: 'right', sort: 'load' },
  { id: 'rx', title: 'RX/s', width: 6, align: 'right', sort: 'network' },
  { id: 'tx', title: 'TX/s', width: 6, align: 'right' },
  { id: 'read', title: 'RD/s', width: 6, align: 'right', sort: 'disk' },
  { id: 'write', title: 'WR/s', width: 6, align: 'right' },
  { id: 'uptime', title: 'UPTIME', width: 8, align: 'right' },
];

/** Least useful first: decoration and slow-moving figures go before the figures people sort by. */
const DROP_ORDER: readonly (readonly ColumnId[])[] = [['spark'], ['uptime'], ['read', 'write'], ['rx', 'tx'], ['load'], ['mem'], ['status']];

export function tableWidth(columns: readonly Column[]): number {
  return GUTTER + columns.reduce((n, c) => n + c.width, 0) + COLUMN_GAP * Math.max(0, columns.length - 1);
}

/**
 * The columns shown at a terminal width: groups drop out in DROP_ORDER until the table fits (name
 * and CPU always stay), then spare width goes to the name, the CPU history and the name again.
 */
export function chooseColumns(width: number): Column[] {
  let columns = [...ALL];
  for (const group of DROP_ORDER) {
    if (tableWidth(columns) <= width) break;
    columns = columns.filter((c) => !group.includes(c.id));
  }
  let spare = Math.max(0, width - tableWidth(columns));
  const grow = (id: ColumnId, upTo: number): void => {
    const i = columns.findIndex((c) => c.id === id);
    const col = columns[i];
    if (!col || spare <= 0) return;
    const add = Math.min(spare, Math.max(0, upTo - col.width));
    columns[i] = { ...col, width: col.width + add };
    spare -= add;
  };
  grow('name', NAME_COMFORT);
  grow('spark', SPARK_MAX);
  grow('name', NAME_MAX);
  return columns;
}
