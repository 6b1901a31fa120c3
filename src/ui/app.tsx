import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, useInput, type Key } from 'ink';
import { clusterTotals, type ClusterStore } from '../store/cluster-store.js';
import { chooseColumns } from './model/columns.js';
import { layoutNames, withDistinctNames } from '../util/name-fit.js';
import { frozenFrame, liveFrame, summarizeScrapes, type FrameData, type ViewNode } from './model/frame-data.js';
import { groupChoices, groupNodes, isGroupRow } from './model/groups.js';
import { helpScrollMax, hintLine } from './render/help.js';
import { useFrameClock, useScrollOffset, useTerminalSize } from './hooks.js';
import { hasKube } from './model/kube-model.js';
import { anyGpus } from './model/gpu-model.js';
import { gpuTotals } from '../store/gpu-entries.js';
import { frameLayout, tooSmall, tooSmallLines } from './model/layout.js';
import { Line, Lines } from './render/line.js';
import { noteLine, promptLine, statusLine } from './render/status-line.js';
import { filterNodes, parseFilter, selectedIndex, sortNodes } from './model/table-model.js';
import { holds, INITIAL_UI, reduceKey, scopeOf, splitKeys, stepInterval, type KeyContext, type UiState } from './input/ui-state.js';
import { MouseInput, reduceMouse } from './input/mouse.js';
import { usePodPane } from './use-pod-pane.js';
import { AlertPanel, Header, HelpScreen, NodeDetail, NodeTable } from './render/views.js';
import type { AlertList } from '../alerts/monitor.js';
import { alertPanelHeight } from './render/alert-panel.js';
import { warningLines } from './render/warning-lines.js';
import { appScrollMax } from './render/app-detail.js';
import { clusterCharts, clusterPanelHeight } from './render/detail-charts.js';
import { useAlerts } from './use-alerts.js';
import { visibleOrNull } from '../util/visible-text.js';

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
}

const SEEK_MS = 60_000;
const NO_WARNINGS: readonly string[] = [];
const NOTE_MS = 3000;
/** The status column beside the name, which a group header's label spans too. */
const GROUP_LABEL_BESIDE_NAME = 10;

/**
 * A frame per interval, as btop draws: figures are per interval, and a calm screen reads best.
 * Never slower than a second (the clock) nor faster than four a second, however short the interval.
 */
export function framePeriodMs(intervalMs: number): number {
  return Math.min(1000, Math.max(250, intervalMs));
}

export function App({ store, intervalMs, onIntervalChange, onQuit, color = true, now = Date.now, notice: noticeOf, onPause, onSeek, alerts: alertSource, frameMs, onSuspend, noteMs = NOTE_MS, warnings = NO_WARNINGS }: AppProps) {
  // A source's notice may quote a server's answer (a Prometheus error): shown, never obeyed.
  const notice = visibleOrNull(noticeOf?.());
  const { columns: width, rows: height } = useTerminalSize();
  const [ui, setUi] = useState<UiState>(INITIAL_UI);
  const [frozen, setFrozen] = useState<FrameData | null>(null);
  const paused = frozen !== null;
  const clockVersion = useFrameClock(store, frameMs ?? framePeriodMs(intervalMs), !paused);
  // Live, every render takes the store as it is now: a render between two clock ticks (a key, a
  // replay's seek) would otherwise show the header's totals from before beside the rows from after.
  const version = paused ? clockVersion : store.version;

  const live = frozen ?? liveFrame(store, now());
  // Several exporters on one host share its name: the view tells them apart by port or job.
  const named = useMemo(() => withDistinctNames(live.nodes), [live.nodes, version]);
  const frame: FrameData = named === live.nodes ? live : { ...live, nodes: named };
  const layout = frameLayout(height);
  const alerts = useAlerts(alertSource, paused);
  // The alert panel takes its lines from the body, above the table or the detail.
  const panel = ui.alertPanel && !ui.help ? alertPanelHeight(alerts.list.length, layout.body) : 0;
  const warned = !ui.warningsDismissed && !ui.help ? warningLines(warnings, width, layout.body - panel) : [];
  const bodyHeight = layout.body - panel - warned.length;
  const filter = useMemo(() => parseFilter(ui.filterText), [ui.filterText]);
  // `version` is in the deps because nodes change in place: the array is the same, the figures not.
  const kube = useMemo(() => hasKube(frame.nodes), [frame.nodes, version]);
  const gpu = useMemo(() => anyGpus(frame.nodes), [frame.nodes, version]);
  const groups = useMemo(() => groupChoices(frame.nodes, kube), [frame.nodes, version, kube]);
  const group = groups.includes(ui.group) ? ui.group : 'none';
  const { nodes: rows, display } = useMemo(
    () => groupNodes(sortNodes(ui.filterText ? filterNodes(frame.nodes, filter) : frame.nodes, ui.sort), group),
    [frame.nodes, version, filter, ui.filterText, ui.sort, group],
  );
  // The cluster's own charts above the table when the terminal is large (btop's top box).
  const clusterPanel = ui.view === 'table' && !ui.help ? clusterPanelHeight(width, bodyHeight, display.length + 1) : 0;
  const tableRows = Math.max(0, bodyHeight - clusterPanel - 1);
  const totals = useMemo(() => clusterTotals(frame.nodes), [frame.nodes, version]);
  const gpuTotalsNow = useMemo(() => gpuTotals(frame.nodes), [frame.nodes, version]);
  const scrapes = useMemo(() => summarizeScrapes(frame.nodes), [frame.nodes, version]);

  const index = selectedIndex(rows, ui.selection);
  const selected: ViewNode | undefined = rows[index];
  const shownAt = display === rows || !selected ? index : display.indexOf(selected);
  const above = display[shownAt - 1];
  const offset = useScrollOffset(shownAt, tableRows, display.length, above !== undefined && isGroupRow(above));
  const pods = usePodPane(selected, ui, width, bodyHeight, frame.atMs);
  const detailScrollMax = ui.view === 'detail' && selected?.app ? appScrollMax(selected, selected.app, width, bodyHeight, frame.atMs) : undefined;
  const podsShown = ui.view === 'detail' && ui.pane === 'pods' && pods !== undefined;

  // Keys can arrive faster than frames: the handler works on the latest state and rows, not on
  // the ones captured when it was created.
  const tableShown = !ui.help && !(ui.view === 'detail' && selected);
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
  const keyCtx: KeyContext = {
    rows,
    pageSize: podsShown ? pods.room : tableRows,
    kube,
    gpu,
    columns: store.columnNames,
    groups,
    pods: pods?.pane.rows,
    detailScrollMax,
    helpScrollMax: helpScrollMax(width, layout.body),
    replay: onSeek !== undefined,
    alerts: alerts.list.length,
    warnings: warnings.length,
    intervalMs,
  };
  // Why the last key did nothing, for a moment (a new object each time, so a repeated key shows it anew).
  const [note, setNote] = useState<{ readonly text: string } | null>(null);
  const latest = useRef({ ui, ctx: keyCtx, paused, table, note: note !== null });
  latest.current = { ...latest.current, ui, ctx: keyCtx, table, note: note !== null };
  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(null), noteMs);
    return () => clearTimeout(timer);
  }, [note, noteMs]);
  const mouse = useRef(new MouseInput());
  useInput((input: string, key: Key) => {
    const taken = mouse.current.take(input);
    if (taken.event) {
      const { ui: state, ctx, table: drawn } = latest.current;
      const result = reduceMouse(state, taken.event, { ...ctx, table: drawn });
      latest.current.ui = result.state;
      if (result.state !== state) setUi(result.state);
    }
    if (taken.report && taken.rest === '') return;
    for (const [one, oneKey] of splitKeys(taken.rest, key)) {
      const { ui: state, ctx } = latest.current;
      const result = reduceKey(state, one, oneKey, ctx);
      latest.current.ui = result.state;
      if (result.state !== state) setUi(result.state);
      // A key clears the note of the key before it. No state is set for nothing: a frame drawn
      // after Ctrl-Z has given the terminal back would land on the shell's screen.
      const leaving = result.effect === 'quit' || result.effect === 'suspend';
      if (!leaving && (result.note || latest.current.note)) {
        setNote(result.note ? { text: result.note } : null);
        latest.current.note = result.note !== undefined;
      }
      switch (result.effect) {
        case 'quit':
          onQuit();
          return;
        case 'suspend':
          onSuspend?.();
          break;
        case 'pause': {
          // Two `p` in one chunk of input must toggle twice: the ref knows, the render state not yet.
          const pause = !latest.current.paused;
          latest.current.paused = pause;
          onPause?.(pause);
          setFrozen(pause ? frozenFrame(store, now()) : null);
          break;
        }
        case 'back':
        case 'forward':
          if (!onSeek) break;
          onSeek(result.effect === 'back' ? -SEEK_MS : SEEK_MS);
          if (latest.current.paused) setFrozen(frozenFrame(store, now()));
          break;
        case 'longer':
        case 'shorter': {
          const next = stepInterval(ctx.intervalMs ?? intervalMs, result.effect === 'longer' ? 1 : -1);
          if (next !== null) {
            latest.current.ctx = { ...ctx, intervalMs: next };
            onIntervalChange?.(next);
          }
          break;
        }
      }
    }
  });

  if (tooSmall(width, height)) {
    return (
      <Box flexDirection="column" width={width}>
        <Lines lines={tooSmallLines(width, height)} color={color} />
      </Box>
    );
  }
  const sized = { width, height: bodyHeight, color };
  let body;
  if (ui.help) body = <HelpScreen {...sized} scroll={ui.helpScroll} />;
  else if (ui.view === 'detail' && selected) body = <NodeDetail {...sized} node={selected} nowMs={frame.atMs} pods={podsShown ? pods.pane : undefined} scroll={ui.detailScroll} />;
  else {
    body = (
      <NodeTable
        {...sized}
        height={bodyHeight - clusterPanel}
        rows={shownRows}
        columns={columns}
        selectedId={selected?.id}
        alerting={alerts.alerting}
        names={names}
        sort={ui.sort}
        nowMs={frame.atMs}
      />
    );
  }
  let status;
  if (ui.prompt !== null) {
    status = promptLine({ draft: ui.prompt, check: parseFilter(ui.prompt), selected: ui.promptSelected, shown: rows.length, total: frame.nodes.length }, width, color);
  } else if (note) {
    status = noteLine(note.text, width);
  } else {
    status = statusLine({ selected, sort: podsShown ? ui.podSort : ui.sort, filterText: ui.filterText, shown: rows.length, total: frame.nodes.length, nowMs: frame.atMs, group }, width);
  }
  const hints = hintLine(width, scopeOf(ui, keyCtx), (c) => holds(c, ui, keyCtx));

  return (
    <Box flexDirection="column" width={width}>
      <Header input={{ frame, totals, scrapes, intervalMs, paused, notice, alertsFiring: alerts.firing, gpus: gpuTotalsNow }} width={width} height={layout.headerLines} color={color} />
      {panel > 0 && <AlertPanel alerts={alerts.list} nowMs={frame.atMs} width={width} height={panel} color={color} />}
      {warned.length > 0 && <Lines lines={warned} color={color} />}
      {clusterPanel > 0 && tableShown && <Lines lines={clusterCharts(frame, width, clusterPanel)} color={color} />}
      {body}
      {layout.statusLine && <Line segments={status} color={color} />}
      {layout.hintLine && <Line segments={hints} color={color} />}
    </Box>
  );
}
