/** The screen's larger parts as lines, each taking its size, so each can be tested at any size. */
import type { ContainerSortState } from '../model/container-sort.js';
import { appDetailLines } from './app-detail.js';
import type { Column } from '../model/columns.js';
import { detailLines } from './detail-lines.js';
import { gpuLines } from './gpu-lines.js';
import type { ViewNode } from '../model/frame-data.js';
import { isGroupRow, type GroupRow } from '../model/groups.js';
import { podPaneLines, type PodPane } from './pod-lines.js';
import { processPaneLines, type ProcessPane } from './process-lines.js';
import type { LineSpec } from './segments.js';
import { groupSegments, rowSegments, titleSegments } from './table-rows.js';
import type { SortState } from '../model/table-model.js';
import type { NameFit } from '../../util/name-fit.js';

interface Sized {
  readonly width: number;
  readonly height: number;
}

export interface NodeTableProps extends Sized {
  /** The rows on screen, at most `height - 1`: the caller slices, so a 5,000-node array never travels. */
  readonly rows: readonly (ViewNode | GroupRow)[];
  readonly columns: readonly Column[];
  readonly selectedId: string | undefined;
  readonly sort: SortState;
  readonly nowMs: number;
  /** Ids of the nodes with a firing alert: their rows are marked. */
  readonly alerting?: ReadonlySet<string>;
  /** How the names on screen fit the name column (name-fit.ts); as they are when absent. */
  readonly names?: NameFit;
}

export function nodeTableLines({ rows, columns, selectedId, sort, nowMs, alerting, names, width, height }: NodeTableProps): LineSpec[] {
  if (height <= 0) return [];
  const visible = rows.slice(0, height - 1);
  return [
    titleSegments(columns, sort, width, names?.shared),
    ...visible.map((r) => (isGroupRow(r) ? groupSegments(r, columns, width) : rowSegments(r, columns, width, nowMs, r.id === selectedId, alerting?.has(r.id), names))),
  ];
}

export interface NodeDetailProps extends Sized {
  readonly node: ViewNode;
  readonly nowMs: number;
  /** The pods pane, shown instead of the charts; only for a Kubernetes node. */
  readonly pods?: PodPane;
  /** How far an app target's metric list is scrolled. */
  readonly scroll?: number;
  /** The processes pane, shown instead of the charts (`t`). */
  readonly processes?: ProcessPane;
  /** The containers box's order (`s` in the detail). */
  readonly containerSort?: ContainerSortState;
}

export function nodeDetailLines({ node, nowMs, pods, processes, containerSort, scroll = 0, width, height }: NodeDetailProps): LineSpec[] {
  if (processes) return processPaneLines(node, processes, width, height, nowMs);
  if (pods) return podPaneLines(node, pods, width, height, nowMs);
  // A cAdvisor alone on its host is an app target whose containers say more than its families.
  if (node.app && !node.containers) {
    // A GPU exporter alone on its host: its GPUs above its metric families.
    const gpus = gpuLines(node.gpus, width, Math.floor(height / 2), node.historyUntilMs);
    return [...gpus, ...appDetailLines(node, node.app, width, height - gpus.length, nowMs, scroll)];
  }
  return detailLines(node, width, height, nowMs, containerSort);
}
