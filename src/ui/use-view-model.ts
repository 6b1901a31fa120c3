/**
 * What one frame shows, from the store, the terminal's size and the UI state: the view model of
 * App. Keys work on what it returns (the rows as drawn, the page sizes: `keys`); App only draws it.
 */
import { useMemo } from 'react';
import { clusterTotals, type ClusterStore, type ClusterTotals } from '../store/cluster-store.js';
import type { AlertList } from '../alerts/monitor.js';
import { layoutNames, withDistinctNames, type NameFit } from '../util/name-fit.js';
import { visibleOrNull } from '../util/visible-text.js';
import { chooseColumns, type Column } from './model/columns.js';
import { liveFrame, summarizeScrapes, type FrameData, type ScrapeSummary, type ViewNode } from './model/frame-data.js';
import { groupChoices, groupNodes, isGroupRow, type GroupBy, type GroupRow } from './model/groups.js';
import { hasKube } from './model/kube-model.js';
import { anyGpus } from './model/gpu-model.js';
import { gpuTotals, type GpuTotals } from '../store/gpu-entries.js';
import { frameLayout, type FrameLayout } from './model/layout.js';
import { filterNodes, parseFilter, selectedIndex, sortNodes } from './model/table-model.js';
import type { KeyContext, UiState } from './input/ui-state.js';
import { alertPanelHeight } from './render/alert-panel.js';
import type { Segment } from './render/segments.js';
import { appScrollMax } from './render/app-detail.js';
import { clusterPanelHeight } from './render/detail-charts.js';
import { helpScrollMax } from './render/help.js';
import { warningLines } from './render/warning-lines.js';
import { useAlerts, type ShownAlerts } from './use-alerts.js';
import { usePodPane, type PodPaneState } from './use-pod-pane.js';
import { useContainerTop, type ContainerTop } from './use-container-top.js';
import { useProcessPane, useTopPane, type PaneState } from './use-process-pane.js';
import { anyProcesses } from './model/process-model.js';
import type { ProcessPane, TopPane } from './render/process-lines.js';
import { useScrollOffset } from './hooks.js';

/** The status column beside the name, which a group header's label spans too. */
const GROUP_LABEL_BESIDE_NAME = 10;

export interface ViewModelInput {
  readonly store: ClusterStore;
  readonly ui: UiState;
  /** The frame taken when the display was paused; null while live. */
  readonly frozen: FrameData | null;
  readonly width: number;
  readonly height: number;
  /** The frame takes every row (the line writer draws it), not rows - 1 (ink). */
  readonly fullHeight: boolean;
  readonly intervalMs: number;
  /** The moment shown: wall time, or a replay's clock. */
  readonly now: () => number;
  readonly notice: (() => string | undefined) | undefined;
  readonly alerts: AlertList | undefined;
  readonly warnings: readonly string[];
  /** A replay is shown: `[` and `]` move its clock. */
  readonly replay: boolean;
}

export interface ViewModel {
  readonly frame: FrameData;
  readonly layout: FrameLayout;
  /** The source's line for the header, made visible. */
  readonly notice: string | undefined;
  readonly alerts: ShownAlerts;
  /** Lines of the alert panel, 0 when hidden. */
  readonly panel: number;
  /** The start-up warnings' lines, [] once dismissed. */
  readonly warned: readonly Segment[][];
  /** Lines below the header, panel and warnings: the table's, the detail's or the help's. */
  readonly bodyHeight: number;
  /** Lines of the cluster's own charts above the table, 0 when none. */
  readonly clusterPanel: number;
  readonly totals: ClusterTotals;
  /** The cluster's GPUs for the header (how many sit idle). */
  readonly gpuTotals: GpuTotals;
  readonly scrapes: ScrapeSummary;
  readonly group: GroupBy;
  /** The nodes filtered and sorted: what selection moves over. */
  readonly rows: readonly ViewNode[];
  readonly selected: ViewNode | undefined;
  /** The table's rows on screen, group headers included; [] when the table is not shown. */
  readonly shownRows: readonly (ViewNode | GroupRow)[];
  readonly tableShown: boolean;
  readonly columns: readonly Column[];
  readonly names: NameFit;
  readonly pods: PodPaneState | undefined;
  /** The pods pane is what the detail shows. */
  readonly podsShown: boolean;
  /** The cluster's heaviest containers (`c`); undefined when no node has containers. */
  readonly containerTop: ContainerTop | undefined;
  /** The containers table is what the body shows. */
  readonly containerTopShown: boolean;
  /** The selected node's processes pane (`t` in its detail); undefined when it has no process figures. */
  readonly processes: PaneState<ProcessPane> | undefined;
  /** The processes pane is what the detail shows. */
  readonly processesShown: boolean;
  /** The cluster's heaviest processes (`t` in the table), while that view is open. */
  readonly top: PaneState<TopPane> | undefined;
  readonly topShown: boolean;
  /** What keys work on: the rows and pages as drawn now. */
  readonly keys: KeyContext;
  /** The table as drawn, for mouse clicks: its first row's screen line and its rows. */
  readonly table: { readonly top: number; readonly shown: readonly (ViewNode | GroupRow)[] } | undefined;
}

export function useViewModel({ store, ui, frozen, width, height, fullHeight, intervalMs, now, notice, alerts: alertSource, warnings, replay }: ViewModelInput): ViewModel {
  const paused = frozen !== null;
  // Live, every render takes the store as it is now (liveFrame: a new node list whenever the store
  // changed, as nodes change in place), so a key between two clock ticks shows totals and rows alike.
  const live = frozen ?? liveFrame(store, now());
  // Several exporters on one host share its name: the view tells them apart by port or job.
  const named = useMemo(() => withDistinctNames(live.nodes), [live.nodes]);
  const frame: FrameData = named === live.nodes ? live : { ...live, nodes: named };
  const nodes = frame.nodes;
  const layout = frameLayout(height, fullHeight);
  const alerts = useAlerts(alertSource, paused);
  // The alert panel takes its lines from the body, above the table or the detail.
  const panel = ui.alertPanel && !ui.help ? alertPanelHeight(alerts.list.length, layout.body) : 0;
  const warned = !ui.warningsDismissed && !ui.help ? warningLines(warnings, width, layout.body - panel) : [];
  const bodyHeight = layout.body - panel - warned.length;
  const filter = useMemo(() => parseFilter(ui.filterText), [ui.filterText]);
  const kube = useMemo(() => hasKube(nodes), [nodes]);
  const gpu = useMemo(() => anyGpus(nodes), [nodes]);
  const gpusNow = useMemo(() => gpuTotals(nodes), [nodes]);
  const groups = useMemo(() => groupChoices(nodes, kube), [nodes, kube]);
  const group = groups.includes(ui.group) ? ui.group : 'none';
  const { nodes: rows, display } = useMemo(
    () => groupNodes(sortNodes(ui.filterText ? filterNodes(nodes, filter) : nodes, ui.sort), group),
    [nodes, filter, ui.filterText, ui.sort, group],
  );
  // The cluster's own charts above the table when the terminal is large (btop's top box).
  const clusterPanel = ui.view === 'table' && !ui.help && !ui.containerTop ? clusterPanelHeight(width, bodyHeight, display.length + 1) : 0;
  const tableRows = Math.max(0, bodyHeight - clusterPanel - 1);
  const totals = useMemo(() => clusterTotals(nodes), [nodes]);
  const scrapes = useMemo(() => summarizeScrapes(nodes), [nodes]);

  const index = selectedIndex(rows, ui.selection);
  const selected: ViewNode | undefined = rows[index];
  const shownAt = display === rows || !selected ? index : display.indexOf(selected);
  const above = display[shownAt - 1];
  const offset = useScrollOffset(shownAt, tableRows, display.length, above !== undefined && isGroupRow(above));
  const pods = usePodPane(selected, ui, width, bodyHeight, frame.atMs);
  const detailScrollMax = ui.view === 'detail' && selected?.app && !selected.containers ? appScrollMax(selected, selected.app, width, bodyHeight, frame.atMs) : undefined;
  const processes = useProcessPane(ui.view === 'detail' ? selected : undefined, ui, bodyHeight);
  const top = useTopPane(rows, ui, bodyHeight);
  const someProcesses = useMemo(() => anyProcesses(rows), [rows]);
  const processesShown = ui.view === 'detail' && ui.processPane && processes !== undefined;
  const topShown = ui.view === 'top' && top !== undefined;
  const podsShown = !processesShown && ui.view === 'detail' && ui.pane === 'pods' && pods !== undefined;
  const containerTop = useContainerTop(nodes, ui, bodyHeight);
  const containerTopShown = ui.view === 'table' && ui.containerTop && !ui.help;

  const tableShown = !ui.help && ui.view !== 'top' && !(ui.view === 'detail' && selected) && !containerTopShown;
  const shownRows = tableShown ? display.slice(offset, offset + tableRows) : [];
  // The name column is sized from the names on screen, and cut so that they stay distinct.
  const shownNames = shownRows.flatMap((r) => (isGroupRow(r) ? [] : [r.name]));
  // A group's header spans the name and the status: its label wants room too.
  const labelWanted = shownRows.reduce((n, r) => (isGroupRow(r) ? Math.max(n, r.label.length + 12 - GROUP_LABEL_BESIDE_NAME) : n), 0);
  const { columns, names } = layoutNames(
    shownNames,
    (wanted) => {
      const cols = chooseColumns(width, kube, store.columnNames, wanted, gpu);
      return { columns: cols, nameWidth: cols.find((c) => c.id === 'name')?.width ?? 0 };
    },
    labelWanted,
  );
  // Below the header and the alert panel, the table's title line, then its rows.
  const table = tableShown ? { top: layout.headerLines + panel + warned.length + clusterPanel + 1, shown: shownRows } : undefined;
  const keys: KeyContext = {
    rows,
    pageSize: processesShown ? processes.room : topShown ? top.room : podsShown ? pods.room : containerTopShown ? Math.max(1, bodyHeight - 2) : tableRows,
    kube,
    gpu,
    columns: store.columnNames,
    groups,
    pods: pods?.pane.rows,
    containerTopRows: containerTop?.rows.map((r) => ({ id: r.id, nodeId: r.nodeId })),
    processes: processes?.pane.lines,
    anyProcesses: someProcesses,
    top: top?.pane.lines,
    containerBox: ui.view === 'detail' && selected?.containers != null,
    detailScrollMax,
    helpScrollMax: helpScrollMax(width, layout.body),
    replay,
    alerts: alerts.list.length,
    warnings: warnings.length,
    intervalMs,
  };
  // A source's notice may quote a server's answer (a Prometheus error): shown, never obeyed.
  const shownNotice = visibleOrNull(notice?.());
  return { frame, layout, notice: shownNotice, alerts, panel, warned, bodyHeight, clusterPanel, totals, gpuTotals: gpusNow, scrapes, group, rows, selected, shownRows, tableShown, columns, names, pods, podsShown, containerTop, containerTopShown, processes, processesShown, top, topShown, keys, table };
}
