/** React hooks tying the UI to the store, the terminal size and the clock. */
import { useEffect, useRef, useState } from 'react';
import { useStdout } from 'ink';
import type { ClusterStore } from '../store/cluster-store.js';
import { scrollOffset } from './table-model.js';

/**
 * The store's version as of the latest frame. A frame comes every `periodMs` while enabled, and
 * at once when enabled again: one clock for the data and the header's time. A scrape round of
 * 1,000 nodes is 1,000 store changes spread over the interval; drawing each second, as btop
 * does, keeps the screen calm and costs a fifth of following the changes at 4 frames a second
 * plus a separate clock tick. Keys redraw at once, outside this clock.
 */
export function useFrameClock(store: ClusterStore, periodMs: number, enabled = true): number {
  const [version, setVersion] = useState(store.version);
  const [, setFrame] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const draw = (): void => {
      setVersion(store.version);
      // The version may be unchanged (no node answered): the header's clock still moves.
      setFrame((n) => n + 1);
    };
    draw();
    const timer = setInterval(draw, periodMs);
    return () => clearInterval(timer);
  }, [store, periodMs, enabled]);
  return version;
}

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** Without a terminal (a pipe, a test double) the classic 80x24. */
const FALLBACK: TerminalSize = { columns: 80, rows: 24 };

/** The terminal's size, following resizes. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => readSize(stdout));
  useEffect(() => {
    const onResize = (): void => {
      const next = readSize(stdout);
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

function readSize(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || FALLBACK.columns, rows: stdout.rows || FALLBACK.rows };
}

/**
 * The first row on screen for a list of `total` rows, `visible` at a time: it moves only as far as
 * needed to keep row `index` in view. `headerAbove` says the row just above the selection is a
 * header the user wants to see with it (a group's first node), so that row is kept in view too.
 */
export function useScrollOffset(index: number, visible: number, total: number, headerAbove = false): number {
  const previous = useRef(0);
  let offset = scrollOffset(index, previous.current, visible, total);
  if (headerAbove && offset === index && index > 0 && visible > 1) offset--;
  useEffect(() => {
    previous.current = offset;
  }, [offset]);
  return offset;
}
