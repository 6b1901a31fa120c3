import { useMemo, useState } from 'react';
import type { ClusterStore } from '../store/cluster-store.js';
import type { AlertList } from '../alerts/monitor.js';
import { frozenFrame, type FrameData } from './model/frame-data.js';
import { tooSmall, tooSmallLines } from './model/layout.js';
import { parseFilter } from './model/table-model.js';
import { holds, INITIAL_UI, scopeOf, type UiState } from './input/ui-state.js';
import { hintLine } from './render/help.js';
import { Screen } from './render/line.js';
import type { LineSpec, Segment } from './render/segments.js';
import { noteLine, promptLine, statusLine } from './render/status-line.js';
import { nodeDetailLines, nodeTableLines } from './render/views.js';
import { headerLines } from './render/header.js';
import { alertPanelLines } from './render/alert-panel.js';
import { helpLines } from './render/help.js';
import { clusterCharts } from './render/detail-charts.js';
import { heavyContainerLines } from './render/container-lines.js';
import { topPaneLines } from './render/process-lines.js';
import type { LineWriter } from './terminal/line-writer.js';
import { useFrameClock, useTerminalSize } from './hooks.js';
import { useKeyDispatch, type KeyEffects, type Note } from './use-key-dispatch.js';
import { useViewModel, type ViewModel } from './use-view-model.js';

export interface AppProps {
  readonly store: ClusterStore;
  readonly intervalMs: number;
  readonly onIntervalChange?: (ms: number) => void;
  readonly onQuit: () => void;
  /** false: not one escape sequence in the output. */
  readonly color?: boolean;
  /** The moment shown: wall time, or a replay's clock. */
  readonly now?: () => number;
  /** A line the source wants seen in the header (e.g. "metrics API fallback"); read on every frame. */
  readonly notice?: () => string | undefined;
  /** The display was paused or resumed (a replay's clock follows it). */
  readonly onPause?: (paused: boolean) => void;
  /** `[` / `]`: a replay moves its clock by a minute back / forward. */
  readonly onSeek?: (deltaMs: number) => void;
  /** Alerts to show in the panel, the header and on the rows. */
  readonly alerts?: AlertList;
  /** How often a frame is drawn (new data, the clock); default framePeriodMs(intervalMs). */
  readonly frameMs?: number;
  /** Ctrl-Z: give the terminal back and stop, as a shell's job control expects. */
  readonly onSuspend?: () => void;
  /** What the command line said before the view took the screen (fields ignored, targets merged); `x` dismisses. */
  readonly warnings?: readonly string[];
  /** How long a key's note (why it did nothing) stays in the status line. */
  readonly noteMs?: number;
  /**
   * Draws the frames on the terminal, only the rows that changed, every row of it; without one
   * ink draws them and the last row stays free (see frameLayout).
   */
  readonly writer?: LineWriter;
}

const NO_WARNINGS: readonly string[] = [];
const NOTE_MS = 3000;

/**
 * A frame per interval, as btop draws: figures are per interval, and a calm screen reads best.
 * Never slower than a second (the clock) nor faster than four a second, however short the interval.
 */
export function framePeriodMs(intervalMs: number): number {
  return Math.min(1000, Math.max(250, intervalMs));
}

/**
 * The view: the view model (useViewModel) says what the frame shows, the key dispatch
 * (useKeyDispatch) turns keys into UI state and effects, and this draws the one with the other.
 */
export function App({ store, intervalMs, onIntervalChange, onQuit, color = true, now = Date.now, notice, onPause, onSeek, alerts, frameMs, onSuspend, noteMs = NOTE_MS, warnings = NO_WARNINGS, writer }: AppProps) {
  const { columns: width, rows: height } = useTerminalSize();
  const [ui, setUi] = useState<UiState>(INITIAL_UI);
  const [frozen, setFrozen] = useState<FrameData | null>(null);
  const paused = frozen !== null;
  // Draws a frame per period while live (a paused frame only changes by keys).
  useFrameClock(store, frameMs ?? framePeriodMs(intervalMs), !paused);
  const fullHeight = writer !== undefined;
  const view = useViewModel({ store, ui, frozen, width, height, fullHeight, intervalMs, now, notice, alerts, warnings, replay: onSeek !== undefined });
  const effects: KeyEffects = {
    quit: onQuit,
    ...(onSuspend === undefined ? {} : { suspend: onSuspend }),
    pause: (pause) => {
      onPause?.(pause);
      setFrozen(pause ? frozenFrame(store, now()) : null);
    },
    ...(onSeek === undefined
      ? {}
      : {
          seek: (deltaMs: number, pausedNow: boolean) => {
            onSeek(deltaMs);
            if (pausedNow) setFrozen(frozenFrame(store, now()));
          },
        }),
    ...(onIntervalChange === undefined ? {} : { interval: onIntervalChange }),
  };
  const note = useKeyDispatch({ ui, setUi, keys: view.keys, table: view.table, paused, effects, noteMs });

  // The cluster's charts change with its history (a point per scrape round), not with every frame
  // (the clock, a key). The ring is filled in place: its newest time says when it changed, and
  // drawing up to it is drawing it all.
  const { cluster, clusterUntilMs } = view.frame;
  const clusterLatest = cluster.latestTime() ?? undefined;
  const clusterShown = view.clusterPanel > 0 && view.tableShown;
  const clusterLines = useMemo(
    () => (clusterShown ? clusterCharts(cluster, clusterUntilMs ?? clusterLatest, width, view.clusterPanel) : []),
    [clusterShown, cluster, clusterUntilMs, clusterLatest, width, view.clusterPanel],
  );

  const screen = (lines: readonly LineSpec[]) => <Screen lines={lines} color={color} writer={writer} columns={width} rows={height} />;
  if (tooSmall(width, height)) return screen(tooSmallLines(width, height, fullHeight));
  const { frame, layout, panel, warned } = view;
  return screen([
    ...headerLines({ frame, totals: view.totals, scrapes: view.scrapes, intervalMs, paused, notice: view.notice, alertsFiring: view.alerts.firing, gpus: view.gpuTotals }, width).slice(0, layout.headerLines),
    ...(panel > 0 ? alertPanelLines(view.alerts.list, width, panel, frame.atMs) : []),
    ...warned,
    ...clusterLines,
    ...bodyLines(view, ui, width),
    ...(layout.statusLine ? [statusSegments(view, ui, note, width, color)] : []),
    ...(layout.hintLine ? [hintLine(width, scopeOf(ui, view.keys), (c) => holds(c, ui, view.keys))] : []),
  ]);
}

/** What the body shows: the help, a node's detail, or the table. */
function bodyLines(view: ViewModel, ui: UiState, width: number): LineSpec[] {
  const { selected, bodyHeight, frame, pods } = view;
  const sized = { width, height: bodyHeight };
  if (ui.help) return helpLines(width, bodyHeight, ui.helpScroll);
  if (view.containerTopShown) {
    const top = view.containerTop;
    return heavyContainerLines(top?.lines ?? [], top?.total ?? 0, top?.selectedId, top?.offset ?? 0, width, bodyHeight, ui.containerTopGroup, view.frame.atMs, ui.containerSort);
  }
  if (view.topShown && view.top) return topPaneLines(view.top.pane, width, bodyHeight);
  if (ui.view === 'detail' && selected) {
    return nodeDetailLines({
      ...sized,
      node: selected,
      nowMs: frame.atMs,
      pods: view.podsShown ? pods?.pane : undefined,
      processes: view.processesShown ? view.processes?.pane : undefined,
      containerSort: ui.containerSort,
      scroll: ui.detailScroll,
    });
  }
  return nodeTableLines({
    ...sized,
    height: bodyHeight - view.clusterPanel,
    rows: view.shownRows,
    columns: view.columns,
    selectedId: selected?.id,
    alerting: view.alerts.alerting,
    names: view.names,
    sort: ui.sort,
    nowMs: frame.atMs,
  });
}

/** The status line: the filter prompt while typing, a key's note for a moment, else the selection and the sort. */
function statusSegments(view: ViewModel, ui: UiState, note: Note | null, width: number, color: boolean): readonly Segment[] {
  const shown = view.rows.length;
  const total = view.frame.nodes.length;
  if (ui.prompt !== null && ui.promptFor === 'processes') {
    // The processes' filter: any text is a substring to look for; the counts are the list's.
    const lines = (view.topShown ? view.top?.pane.lines : view.processes?.pane.lines) ?? [];
    const table = view.selected?.processes;
    const all = !view.topShown && table ? (view.processes?.pane.groups ? table.groups : table.processes).length : lines.length;
    return promptLine({ draft: ui.prompt, check: { ok: true, test: () => true }, selected: ui.promptSelected, shown: lines.length, total: all }, width, color);
  }
  if (ui.prompt !== null) return promptLine({ draft: ui.prompt, check: parseFilter(ui.prompt), selected: ui.promptSelected, shown, total }, width, color);
  if (note) return noteLine(note.text, width);
  const procs = view.processesShown || view.topShown;
  const sort = procs ? ui.processSort : view.podsShown ? ui.podSort : ui.sort;
  return statusLine({ selected: view.selected, sort, filterText: procs ? ui.processFilter : ui.filterText, shown, total, nowMs: view.frame.atMs, group: view.group }, width);
}
