/** The screen's parts as components taking their size as props, so each can be tested at any size. */
import { Box } from 'ink';
import type { Alert } from '../../alerts/evaluator.js';
import { alertPanelLines } from './alert-panel.js';
import { appDetailLines } from './app-detail.js';
import type { Column } from '../model/columns.js';
import { detailLines } from './detail-lines.js';
import { gpuLines } from './gpu-lines.js';
import type { ViewNode } from '../model/frame-data.js';
import { isGroupRow, type GroupRow } from '../model/groups.js';
import { headerLines, type HeaderInput } from './header.js';
import { helpLines } from './help.js';
import { Lines } from './line.js';
import { podPaneLines, type PodPane } from './pod-lines.js';
import { processPaneLines, topPaneLines, type ProcessPane, type TopPane } from './process-lines.js';
import { groupSegments, rowSegments, titleSegments } from './table-rows.js';
import type { SortState } from '../model/table-model.js';
import type { NameFit } from '../../util/name-fit.js';

interface Sized {
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
}

export function Header({ input, width, height, color }: Sized & { readonly input: HeaderInput }) {
  return <Lines lines={headerLines(input, width).slice(0, height)} color={color} />;
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

export function NodeTable({ rows, columns, selectedId, sort, nowMs, alerting, names, width, height, color }: NodeTableProps) {
  if (height <= 0) return null;
  const visible = rows.slice(0, height - 1);
  const lines = [
    titleSegments(columns, sort, width, names?.shared),
    ...visible.map((r) => (isGroupRow(r) ? groupSegments(r, columns, width) : rowSegments(r, columns, width, nowMs, r.id === selectedId, alerting?.has(r.id), names))),
  ];
  return (
    <Box flexDirection="column">
      <Lines lines={lines} color={color} />
    </Box>
  );
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
}

export function NodeDetail({ node, nowMs, pods, processes, scroll = 0, width, height, color }: NodeDetailProps) {
  let lines;
  if (processes) lines = processPaneLines(node, processes, width, height, nowMs);
  else if (pods) lines = podPaneLines(node, pods, width, height, nowMs);
  // A cAdvisor alone on its host is an app target whose containers say more than its families.
  else if (node.app && !node.containers) {
    // A GPU exporter alone on its host: its GPUs above its metric families.
    const gpus = gpuLines(node.gpus, width, Math.floor(height / 2), node.historyUntilMs);
    lines = [...gpus, ...appDetailLines(node, node.app, width, height - gpus.length, nowMs, scroll)];
  }
  else lines = detailLines(node, width, height, nowMs);
  return (
    <Box flexDirection="column">
      <Lines lines={lines} color={color} />
    </Box>
  );
}

/** The cluster's heaviest processes, each with its node. */
export function TopView({ pane, width, height, color }: Sized & { readonly pane: TopPane }) {
  return (
    <Box flexDirection="column">
      <Lines lines={topPaneLines(pane, width, height)} color={color} />
    </Box>
  );
}

export function AlertPanel({ alerts, nowMs, width, height, color }: Sized & { readonly alerts: readonly Alert[]; readonly nowMs: number }) {
  return <Lines lines={alertPanelLines(alerts, width, height, nowMs)} color={color} />;
}

export function HelpScreen({ width, height, color, scroll = 0 }: Sized & { readonly scroll?: number }) {
  return (
    <Box flexDirection="column">
      <Lines lines={helpLines(width, height, scroll)} color={color} />
    </Box>
  );
}
