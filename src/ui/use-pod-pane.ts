/** The pods pane of the selected node: its pods in order, the selected one, and the scroll. */
import { useMemo } from 'react';
import type { PodFigures } from '../metrics/kube-figures.js';
import type { ViewNode } from './model/frame-data.js';
import { useScrollOffset } from './hooks.js';
import { podListRoom, type PodPane } from './render/pod-lines.js';
import { sortPods } from './model/pod-model.js';
import { selectedIndex } from './model/table-model.js';
import type { UiState } from './input/ui-state.js';

/** One empty list for every Kubernetes node without pod figures, so the sort is not redone each frame. */
const NO_PODS: readonly PodFigures[] = [];

export interface PodPaneState {
  readonly pane: PodPane;
  /** Pod rows on screen: the list's page. */
  readonly room: number;
}

/** Undefined when the node is not a Kubernetes node: it has no pods pane. */
export function usePodPane(node: ViewNode | undefined, ui: UiState, width: number, height: number, nowMs: number): PodPaneState | undefined {
  const pods = node && (node.kube || node.pods) ? (node.pods ?? NO_PODS) : undefined;
  const rows = useMemo(() => (pods ? sortPods(pods, ui.podSort) : undefined), [pods, ui.podSort]);
  const room = node && rows ? podListRoom(node, width, height, nowMs) : 0;
  const index = rows ? selectedIndex(rows, ui.podSelection) : -1;
  const offset = useScrollOffset(index, room, rows?.length ?? 0);
  return rows ? { pane: { rows, sort: ui.podSort, index, offset, containers: ui.containers }, room } : undefined;
}
