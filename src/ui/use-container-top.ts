/** The cluster-wide table of the heaviest containers (`c`): its rows, selection and scroll. */
import { useMemo } from 'react';
import type { ViewNode } from './model/frame-data.js';
import { groupByProject, heaviestContainers, type HeavyContainer, type TopLine } from './model/container-top.js';
import { selectedIndex } from './model/table-model.js';
import { useScrollOffset } from './hooks.js';
import type { UiState } from './input/ui-state.js';

export interface ContainerTop {
  /** The containers in the order shown, which the selection moves over; empty while the table is not shown. */
  readonly rows: readonly HeavyContainer[];
  /** What is drawn: the rows, with compose projects' headers when grouped (`b`). */
  readonly lines: readonly TopLine[];
  readonly total: number;
  readonly selectedId: string | undefined;
  readonly offset: number;
}

/** Rows below the table's title and header. */
const CHROME = 2;

/** undefined when no node has containers: `c` then says where they come from. */
export function useContainerTop(nodes: readonly ViewNode[], ui: UiState, height: number): ContainerTop | undefined {
  const shown = ui.view === 'table' && ui.containerTop;
  // A live frame's node list is new whenever the store changed (liveNodes), so it is the key.
  const any = useMemo(() => nodes.some((n) => n.containers), [nodes]);
  const { rows, lines, total } = useMemo(() => {
    if (!shown || !any) return { rows: [], lines: [], total: 0 };
    const heaviest = heaviestContainers(nodes, ui.containerSort);
    if (!ui.containerTopGroup) return { rows: heaviest.rows, lines: heaviest.rows, total: heaviest.total };
    return { ...groupByProject(heaviest.rows), total: heaviest.total };
  }, [nodes, shown, any, ui.containerTopGroup, ui.containerSort]);
  const selected = rows.length === 0 ? undefined : rows[selectedIndex(rows, ui.containerTopSelection)];
  // The header above a project's first row scrolls in with it.
  const at = selected ? lines.indexOf(selected) : 0;
  const offset = useScrollOffset(at, Math.max(1, height - CHROME), lines.length, at > 0 && lines[at - 1] !== undefined && 'header' in (lines[at - 1] as object));
  return any ? { rows, lines, total, selectedId: selected?.id, offset } : undefined;
}
