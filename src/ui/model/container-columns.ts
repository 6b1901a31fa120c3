/**
 * The containers box's columns and which of them fit a width: as btop's process box drops its
 * columns from the right as the terminal narrows, the less telling go first (block I/O, the age,
 * the image, the compose service, network, restarts); name, CPU and memory always stay.
 */
import type { ContainerStats } from '../../metrics/container-stats.js';
import { formatAge, formatBytesShort, formatPercent } from '../../util/format.js';

export type ContainerColumnKey = 'node' | 'name' | 'service' | 'image' | 'cpu' | 'memory' | 'limit' | 'rx' | 'tx' | 'read' | 'write' | 'age' | 'restarts';

export interface ContainerColumn {
  readonly key: ContainerColumnKey;
  readonly title: string;
  /** Cells; for the text columns, the least they get. */
  readonly width: number;
  readonly align: 'left' | 'right';
  /** Text columns share what is left over; figure columns are exactly `width`. */
  readonly grows: boolean;
}

const col = (key: ContainerColumnKey, title: string, width: number, align: 'left' | 'right' = 'right', grows = false): ContainerColumn => ({ key, title, width, align, grows });

export const CONTAINER_COLUMNS: Readonly<Record<ContainerColumnKey, ContainerColumn>> = {
  node: col('node', 'NODE', 10, 'left', true),
  name: col('name', 'CONTAINER', 12, 'left', true),
  service: col('service', 'SERVICE', 8, 'left', true),
  image: col('image', 'IMAGE', 10, 'left', true),
  cpu: col('cpu', 'CPU%', 6),
  memory: col('memory', 'MEM', 6),
  limit: col('limit', 'LIM%', 5),
  rx: col('rx', 'NET↓', 6),
  tx: col('tx', 'NET↑', 6),
  read: col('read', 'READ', 6),
  write: col('write', 'WRITE', 6),
  // Since the container started (cAdvisor's container_start_time_seconds, the runtime's state): a fresh one is a restart.
  age: col('age', 'AGE', 4),
  // The runtime's restart count (the agent), or `+n`: the restarts seen during this run (cAdvisor has no count).
  restarts: col('restarts', 'RST', 4),
};

/** Dropped in this order as the width shrinks. */
const DROP_ORDER: readonly ContainerColumnKey[] = ['read', 'write', 'age', 'image', 'service', 'rx', 'tx', 'restarts', 'limit', 'node'];

export interface PlacedColumn extends ContainerColumn {
  /** Cells this column gets at this width. */
  readonly cells: number;
}

/**
 * The columns that fit `width` (gutter and gaps included), in display order, text columns widened
 * to share what is left. `withNode`: the cluster-wide table, whose rows name their node.
 */
export function placeContainerColumns(width: number, gap: number, gutter: number, withNode = false): PlacedColumn[] {
  const order: ContainerColumnKey[] = [...(withNode ? (['node'] as const) : []), 'name', 'service', 'image', 'cpu', 'memory', 'limit', 'rx', 'tx', 'read', 'write', 'age', 'restarts'];
  let keys = order;
  const need = (ks: readonly ContainerColumnKey[]) => gutter + ks.reduce((n, k) => n + CONTAINER_COLUMNS[k].width, 0) + gap * (ks.length - 1);
  for (const drop of DROP_ORDER) {
    if (need(keys) <= width) break;
    keys = keys.filter((k) => k !== drop);
  }
  const spare = Math.max(0, width - need(keys));
  // Spare room goes to the text columns, twice as much to the names (the node's and the container's).
  const weight = (k: ContainerColumnKey): number => (!CONTAINER_COLUMNS[k].grows ? 0 : k === 'name' || k === 'node' ? 2 : 1);
  const weights = keys.reduce((n, k) => n + weight(k), 0);
  const shares = keys.map((k) => (weights === 0 ? 0 : Math.floor((spare * weight(k)) / weights)));
  // What rounding left over goes to the name, so that the line is exactly the width.
  const nameAt = keys.indexOf('name');
  shares[nameAt] = (shares[nameAt] ?? 0) + spare - shares.reduce((n, s) => n + s, 0);
  return keys.map((k, i) => ({ ...CONTAINER_COLUMNS[k], cells: CONTAINER_COLUMNS[k].width + (shares[i] ?? 0) }));
}

const rate = (v: number | null): string => (v === null ? '-' : formatBytesShort(v));

/** The text of one cell; `node` is the row's node name in the cluster-wide table; `nowMs` the frame's time, for the age. */
export function containerCell(c: ContainerStats, key: ContainerColumnKey, node: string, nowMs: number): string {
  switch (key) {
    case 'node':
      return node;
    case 'name':
      return c.name;
    case 'service':
      return c.composeService ?? '';
    case 'image':
      return c.image ?? '';
    case 'cpu':
      return formatPercent(c.cpuPercent, c.cpuPercent !== null && c.cpuPercent >= 100 ? 0 : 1);
    case 'memory':
      return formatBytesShort(c.memoryBytes);
    case 'limit':
      return limitPercent(c) === null ? '-' : formatPercent(limitPercent(c), 0);
    case 'rx':
      return rate(c.receiveBytesPerSecond);
    case 'tx':
      return rate(c.transmitBytesPerSecond);
    case 'read':
      return rate(c.readBytesPerSecond);
    case 'write':
      return rate(c.writtenBytesPerSecond);
    case 'age':
      return c.startedAtMs === null ? '-' : formatAge((nowMs - c.startedAtMs) / 1000);
    case 'restarts':
      return restartsCell(c);
  }
}

/** The runtime's count as a number; the restarts seen during this run as `+n`; `-` when neither is known. */
export function restartsCell(c: ContainerStats): string {
  if (c.restarts === null) return '-';
  return c.restartsCounted === 'seen' ? `+${c.restarts}` : String(c.restarts);
}

/** Working set against the limit, in percent; null without a limit. */
export function limitPercent(c: ContainerStats): number | null {
  return c.memoryLimitBytes === null || c.memoryBytes === null ? null : (100 * c.memoryBytes) / c.memoryLimitBytes;
}
