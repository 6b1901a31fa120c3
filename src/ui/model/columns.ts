import { columnSortKey, type SortKey } from './table-model.js';

export type ColumnId = 'name' | 'status' | 'ready' | 'roles' | 'cpu' | 'spark' | 'mem' | 'gpu' | 'gmem' | 'pods' | 'load' | 'rx' | 'tx' | 'read' | 'write' | 'uptime' | 'user';

export interface Column {
  readonly id: ColumnId;
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  /** The sort this column's title shows a ▲/▼ for. */
  readonly sort?: SortKey;
  /** For a `--column` (id 'user'): its name. */
  readonly user?: string;
}

/** The selection marker before every row: the selected row is visible even without color. */
export const GUTTER = 1;
export const COLUMN_GAP = 1;
/** Width of the bar inside the CPU and memory cells; the rest is " 100%". */
export const CELL_BAR_WIDTH = 6;

const NAME_MIN = 10;
/** Kubernetes node names run long (ip-10-0-1-23.ec2.internal, gke-…-pool-…). */
const KUBE_NAME_MIN = 16;
const NAME_COMFORT = 24;
const NAME_MAX = 48;
const SPARK_MAX = 40;
/** The CPU and memory cells widen their bars up to this on a wide terminal. */
const BAR_CELL_MAX = 21;
/** Room for Ready,SchedulingDisabled as kubectl writes it. */
const READY_MAX = 24;
const ROLES_MAX = 14;

const COLUMNS: Readonly<Record<Exclude<ColumnId, 'user'>, Column>> = {
  name: { id: 'name', title: 'NODE', width: NAME_MIN, align: 'left', sort: 'name' },
  status: { id: 'status', title: 'STATUS', width: 9, align: 'left' },
  ready: { id: 'ready', title: 'STATUS', width: 14, align: 'left' },
  roles: { id: 'roles', title: 'ROLES', width: 8, align: 'left' },
  cpu: { id: 'cpu', title: 'CPU', width: CELL_BAR_WIDTH + 5, align: 'left', sort: 'cpu' },
  spark: { id: 'spark', title: 'CPU HIST', width: 10, align: 'left' },
  mem: { id: 'mem', title: 'MEM', width: CELL_BAR_WIDTH + 5, align: 'left', sort: 'memory' },
  // `8× 97%` beside a small bar: the node's GPU count and their mean utilisation.
  gpu: { id: 'gpu', title: 'GPU', width: 12, align: 'left', sort: 'gpu' },
  gmem: { id: 'gmem', title: 'GPU MEM', width: CELL_BAR_WIDTH + 5, align: 'left' },
  pods: { id: 'pods', title: 'PODS', width: 7, align: 'right', sort: 'pods' },
  load: { id: 'load', title: 'LOAD', width: 5, align: 'right', sort: 'load' },
  rx: { id: 'rx', title: 'RX/s', width: 6, align: 'right', sort: 'network' },
  tx: { id: 'tx', title: 'TX/s', width: 6, align: 'right' },
  read: { id: 'read', title: 'RD/s', width: 6, align: 'right', sort: 'disk' },
  write: { id: 'write', title: 'WR/s', width: 6, align: 'right' },
  uptime: { id: 'uptime', title: 'UPTIME', width: 8, align: 'right' },
};

const PLAIN: readonly Column[] = (['name', 'status', 'cpu', 'spark', 'mem', 'gpu', 'gmem', 'load', 'rx', 'tx', 'read', 'write', 'uptime'] as const).map((id) => COLUMNS[id]);
/** kubectl's STATUS is the node's conditions; the scrape's up/DOWN becomes SCRAPE beside it. */
const KUBE: readonly Column[] = [
  { ...COLUMNS.name, width: KUBE_NAME_MIN },
  COLUMNS.ready,
  COLUMNS.roles,
  { ...COLUMNS.status, title: 'SCRAPE' },
  ...(['cpu', 'spark', 'mem', 'gpu', 'gmem', 'pods', 'load', 'rx', 'tx', 'read', 'write', 'uptime'] as const).map((id) => COLUMNS[id]),
];

/**
 * Least useful first: decoration and slow-moving figures go before the figures people sort by.
 * The `--column`s ('user', the last one first) go after disk, which an app target leaves empty.
 */
const DROP_ORDER: readonly (readonly ColumnId[])[] = [['spark'], ['uptime'], ['read', 'write'], ['user'], ['rx', 'tx'], ['gmem'], ['load'], ['mem'], ['gpu'], ['status']];
/**
 * With Kubernetes the node's conditions matter more than its scrape (a kubelet that stops answering
 * turns the node NotReady anyway), and roles change less than pods.
 */
const KUBE_DROP_ORDER: readonly (readonly ColumnId[])[] = [
  ['spark'],
  ['uptime'],
  ['read', 'write'],
  ['user'],
  ['rx', 'tx'],
  ['gmem'],
  ['load'],
  ['status'],
  ['roles'],
  ['pods'],
  ['mem'],
  ['gpu'],
  ['ready'],
];

/** Seven characters fit every formatValue result; a longer name widens its column. */
const USER_MIN = 7;

function userColumn(name: string): Column {
  return { id: 'user', title: name.toUpperCase(), width: Math.max(USER_MIN, name.length), align: 'right', user: name, sort: columnSortKey(name) };
}

export function tableWidth(columns: readonly Column[]): number {
  return GUTTER + columns.reduce((n, c) => n + c.width, 0) + COLUMN_GAP * Math.max(0, columns.length - 1);
}

/** What a table of 80 columns must still show beside the name: the name takes no more than leaves room for them. */
const ESSENTIAL: readonly ColumnId[] = ['status', 'cpu', 'mem', 'load', 'rx', 'tx'];
/** With GPUs, their utilisation is what a GPU cluster is watched for: it takes the network's place. */
const GPU_ESSENTIAL: readonly ColumnId[] = ['status', 'cpu', 'mem', 'gpu', 'load'];
const KUBE_ESSENTIAL: readonly ColumnId[] = ['ready', 'cpu', 'mem', 'pods'];

/**
 * The columns shown at a terminal width, with the Kubernetes ones when some node has Kubernetes
 * info. With `nameWanted` (the widest name on screen, see name-fit.ts) the name column is sized
 * first, as wide as the names need but leaving room for the essential figures; then groups drop
 * out in their drop order until the table fits (name and CPU always stay), and spare width goes to
 * the name (up to what it wants), the Kubernetes status and roles, the CPU history and the bars.
 */
export function chooseColumns(width: number, kube = false, userColumns: readonly string[] = [], nameWanted?: number, gpu = false): Column[] {
  // The GPU columns only when some node has GPUs.
  let columns = [...(kube ? KUBE : PLAIN).filter((c) => gpu || (c.id !== 'gpu' && c.id !== 'gmem')), ...userColumns.map(userColumn)];
  const nameMin = kube ? KUBE_NAME_MIN : NAME_MIN;
  if (nameWanted !== undefined) {
    const wanted = kube ? (gpu ? [...KUBE_ESSENTIAL, 'gpu'] : KUBE_ESSENTIAL) : gpu ? GPU_ESSENTIAL : ESSENTIAL;
    const essential = columns.filter((c) => wanted.includes(c.id));
    const room = width - tableWidth(essential) - COLUMN_GAP;
    const nameWidth = Math.max(nameMin, Math.min(nameWanted, NAME_MAX, room));
    columns = columns.map((c) => (c.id === 'name' ? { ...c, width: nameWidth } : c));
  }
  for (const group of kube ? KUBE_DROP_ORDER : DROP_ORDER) {
    if (tableWidth(columns) <= width) break;
    if (group.includes('user')) {
      // `--column`s go the last one first.
      while (columns[columns.length - 1]?.id === 'user' && tableWidth(columns) > width) columns = columns.slice(0, -1);
    } else columns = columns.filter((c) => !group.includes(c.id));
  }
  // The name gives back what it took, rather than lose CPU.
  const name = columns.findIndex((c) => c.id === 'name');
  const over = tableWidth(columns) - width;
  const nameCol = columns[name];
  if (over > 0 && nameCol) columns[name] = { ...nameCol, width: Math.max(nameMin, nameCol.width - over) };
  let spare = Math.max(0, width - tableWidth(columns));
  const grow = (id: ColumnId, upTo: number): void => {
    const i = columns.findIndex((c) => c.id === id);
    const col = columns[i];
    if (!col || spare <= 0) return;
    const add = Math.min(spare, Math.max(0, upTo - col.width));
    columns[i] = { ...col, width: col.width + add };
    spare -= add;
  };
  grow('name', nameWanted ?? NAME_COMFORT);
  grow('ready', READY_MAX);
  grow('roles', ROLES_MAX);
  grow('spark', SPARK_MAX);
  if (nameWanted === undefined) grow('name', NAME_MAX);
  // The two bars share what is left alike.
  const barRoom = Math.floor(spare / 2);
  const cpuWidth = columns.find((c) => c.id === 'cpu')?.width ?? 0;
  const memWidth = columns.find((c) => c.id === 'mem')?.width ?? 0;
  grow('cpu', Math.min(BAR_CELL_MAX, cpuWidth + barRoom));
  grow('mem', Math.min(BAR_CELL_MAX, memWidth + barRoom));
  grow('cpu', BAR_CELL_MAX);
  return columns;
}
