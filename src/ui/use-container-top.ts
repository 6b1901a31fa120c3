/** The cluster-wide table of the heaviest containers (`c`): its rows, selection and scroll. */
import { useMemo } from 'react';
import type { ViewNode } from './model/frame-data.js';
import { heaviestContainers, type HeavyContainer } from './model/container-top.js';
import { selectedIndex } from './model/table-model.js';
import { useScrollOffset } from './hooks.js';
import type { UiState } from './input/ui-state.js';

export interface ContainerTop {
  /** Empty while the table is not shown: only whether some node has containers is needed then. */
  readonly rows: readonly HeavyContainer[];
  readonly total: number;
  readonly index: number;
  readonly offset: number;
}

/** Rows below the table's title and header. */
const CHROME = 2;

/** undefined when no node has containers: `c` then says where they come from. */
export function useContainerTop(nodes: readonly ViewNode[], version: number, ui: UiState, height: number): ContainerTop | undefined {
  const shown = ui.view === 'table' && ui.top;
  // `version` is a dependency because the nodes change in place.
  const any = useMemo(() => nodes.some((n) => n.containers), [nodes, version]);
  const { rows, total } = useMemo(() => (shown && any ? heaviestContainers(nodes) : { rows: [], total: 0 }), [nodes, version, shown, any]);
  const index = rows.length === 0 ? 0 : selectedIndex(rows, ui.topSelection);
  const offset = useScrollOffset(index, Math.max(1, height - CHROME), rows.length);
  return any ? { rows, total, index, offset } : undefined;
}
