/** The processes pane of the selected node and the cluster top: their rows in order, the selected one, and the scroll. */
import { useMemo } from 'react';
import type { ViewNode } from './model/frame-data.js';
import { useScrollOffset } from './hooks.js';
import { clusterTopLines, processLines, showsGroups } from './model/process-model.js';
import { selectedIndex } from './model/table-model.js';
import { processListRoom, topListRoom, type ProcessPane, type TopPane } from './render/process-lines.js';
import type { UiState } from './input/ui-state.js';

export interface PaneState<P> {
  readonly pane: P;
  /** Rows on screen: the page. */
  readonly room: number;
}

/** Undefined when the node has no process figures: `t` has nothing to show. */
export function useProcessPane(node: ViewNode | undefined, ui: UiState, height: number): PaneState<ProcessPane> | undefined {
  // The store puts a new table in place at each refresh: the table itself is the memo's key.
  const table = node?.processes ?? undefined;
  const { processSort: sort, processGroups, processTree: tree, processFilter: filter } = ui;
  const groups = table ? showsGroups(table, { groups: processGroups }) : false;
  const lines = useMemo(() => (table ? processLines(table, { sort, groups: processGroups, tree, filter }) : undefined), [table, sort, processGroups, tree, filter]);
  const room = processListRoom(height);
  const index = lines ? selectedIndex(lines, ui.processSelection) : -1;
  const offset = useScrollOffset(index, room, lines?.length ?? 0);
  if (!lines) return undefined;
  return { pane: { lines, sort: ui.processSort, groups, tree: ui.processTree, filter: ui.processFilter, index, offset }, room };
}

/** The heaviest processes of the nodes shown; computed only while the view is open. */
export function useTopPane(nodes: readonly ViewNode[], ui: UiState, height: number): PaneState<TopPane> | undefined {
  const open = ui.view === 'top';
  // A live frame's rows are a new list whenever the store changed (liveNodes): they are the key.
  const { processSort: sort, processFilter: filter } = ui;
  const lines = useMemo(() => (open ? clusterTopLines(nodes, sort, filter) : undefined), [open, nodes, sort, filter]);
  const room = topListRoom(height);
  const index = lines ? selectedIndex(lines, ui.topSelection) : -1;
  const offset = useScrollOffset(index, room, lines?.length ?? 0);
  if (!lines) return undefined;
  const withFigures = nodes.reduce((n, node) => (node.processes ? n + 1 : n), 0);
  return { pane: { lines, sort: ui.processSort, filter: ui.processFilter, index, offset, nodes: withFigures }, room };
}
