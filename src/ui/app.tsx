import { useMemo, useRef, useState, useEffect } from 'react';
import { Box, useInput, type Key } from 'ink';
import { clusterTotals, type ClusterStore } from '../store/cluster-store.js';
import { chooseColumns } from './columns.js';
import { frozenFrame, liveFrame, summarizeScrapes, type FrameData, type ViewNode } from './frame-data.js';
import { hintLine } from './help.js';
import { useStoreVersion, useTerminalSize, useTicker } from './hooks.js';
import { frameLayout } from './layout.js';
import { Line } from './line.js';
import { promptLine, statusLine } from './status-line.js';
import { filterNodes, parseFilter, scrollOffset, selectedIndex, sortNodes } from './table-model.js';
import { INITIAL_UI, reduceKey, splitKeys, stepInterval, type UiState } from './ui-state.js';
import { Header, HelpScreen, NodeDetail, NodeTable } from './views.js';

export interface AppProps {
  readonly store: ClusterStore;
  readonly intervalMs: number;
  readonly onIntervalChange?: (ms: number) => void;
  readonly onQuit: () => void;
  /** false: not one escape sequence in the output. */
  readonly color?: boolean;
  readonly now?: () => number;
  /** A line the pipeline wants seen, shown in the header (e.g. "metrics API fallback"). */
  readonly notice?: string;
}

/** Four redraws a second at most: enough for a monitor, and 5,000 nodes never redraw per node. */
const MAX_FPS = 4;

export function App({ store, intervalMs, onIntervalChange, onQuit, color = true, now = Date.now, notice }: AppProps) {
  const { columns: width, rows: height } = useTerminalSize();
  const [ui, setUi] = useState<UiState>(INITIAL_UI);
  const [frozen, setFrozen] = useState<FrameData | null>(null);
  const paused = frozen !== null;
  const version = useStoreVersion(store, MAX_FPS, !paused);
  useTicker(1000, !paused);

  const frame = frozen ?? liveFrame(store, now());
  const layout = frameLayout(height);
  const tableRows = Math.max(0, layout.body - 1);
  const filter = useMemo(() => parseFilter(ui.filterText), [ui.filterText]);
  // `version` is in the deps because nodes change in place: the array is the same, the figures not.
  const rows = useMemo(
    () => sortNodes(ui.filterText ? filterNodes(frame.nodes, filter) : frame.nodes, ui.sort),
    [frame.nodes, version, filter, ui.filterText, ui.sort],
  );
  const totals = useMemo(() => clusterTotals(frame.nodes), [frame.nodes, version]);
  const scrapes = useMemo(() => summarizeScrapes(frame.nodes), [frame.nodes, version]);
  const columns = useMemo(() => chooseColumns(width), [width]);

  const index = selectedIndex(rows, ui.selection);
  const selected: ViewNode | undefined = rows[index];
  const offsetRef = useRef(0);
  const offset = scrollOffset(index, offsetRef.current, tableRows, rows.length);
  useEffect(() => {
    offsetRef.current = offset;
  }, [offset]);

  // Keys can arrive faster than frames: the handler works on the latest state and rows, not on
  // the ones captured when it was created.
  const latest = useRef({ ui, rows, tableRows, intervalMs });
  latest.current = { ...latest.current, rows, tableRows, intervalMs, ui };
  useInput((input: string, key: Key) => {
    for (const [one, oneKey] of splitKeys(input, key)) {
      const { ui: state, rows: current, tableRows: pageSize, intervalMs: interval } = latest.current;
      const result = reduceKey(state, one, oneKey, { rows: current, pageSize });
      latest.current.ui = result.state;
      if (result.state !== state) setUi(result.state);
      switch (result.effect) {
        case 'quit':
          onQuit();
          return;
        case 'pause':
          setFrozen((f) => (f ? null : frozenFrame(store, now())));
          break;
        case 'longer':
        case 'shorter': {
          const next = stepInterval(interval, result.effect === 'longer' ? 1 : -1);
          if (next !== null) {
            latest.current.intervalMs = next;
            onIntervalChange?.(next);
          }
          break;
        }
      }
    }
  });

  const sized = { width, height: layout.body, color };
  let body;
  if (ui.help) body = <HelpScreen {...sized} />;
  else if (ui.view === 'detail' && selected) body = <NodeDetail {...sized} node={selected} nowMs={frame.atMs} />;
  else {
    body = (
      <NodeTable
        {...sized}
        rows={rows.slice(offset, offset + tableRows)}
        columns={columns}
        selectedId={selected?.id}
        sort={ui.sort}
        nowMs={frame.atMs}
      />
    );
  }
  const status =
    ui.prompt !== null
      ? promptLine(ui.prompt, parseFilter(ui.prompt), width, color)
      : statusLine({ selected, sort: ui.sort, filterText: ui.filterText, shown: rows.length, total: frame.nodes.length, nowMs: frame.atMs }, width);

  return (
    <Box flexDirection="column" width={width}>
      <Header input={{ frame, totals, scrapes, intervalMs, paused, notice }} width={width} height={layout.headerLines} color={color} />
      {body}
      {layout.statusLine && <Line segments={status} color={color} />}
      {layout.hintLine && <Line segments={hintLine(width)} color={color} />}
    </Box>
  );
}
