/** React hooks tying the UI to the store, the terminal size and the clock. */
import { useEffect, useRef, useState } from 'react';
import { useStdout } from 'ink';
import type { ClusterStore } from '../store/cluster-store.js';
import { scrollOffset } from './model/table-model.js';

/**
 * For this long after the view appears, a change in the store draws a frame within
 * START_UP_FRAME_MS instead of at the clock's next tick: the first figures, and the first rates
 * that a quick second reading gives (see the scrape scheduler's firstRateMs), show as they come.
 */
export const START_UP_FOLLOW_MS = 3000;
/** Frames while following the store at start-up: four a second at most, as the clock's fastest. */
const START_UP_FRAME_MS = 250;

/**
 * The store's version as of the latest frame. A frame comes every `periodMs` while enabled, and
 * at once when enabled again: one clock for the data and the header's time. A scrape round of
 * 1,000 nodes is 1,000 store changes spread over the interval; drawing each second, as btop
 * does, keeps the screen calm and costs a fifth of following the changes at 4 frames a second
 * plus a separate clock tick. Keys redraw at once, outside this clock. For the first `followMs`
 * after mounting, the frames follow the store too (see START_UP_FOLLOW_MS).
 */
export function useFrameClock(store: ClusterStore, periodMs: number, enabled = true, followMs = START_UP_FOLLOW_MS): number {
  const [version, setVersion] = useState(store.version);
  const [, setFrame] = useState(0);
  const [mountedAt] = useState(Date.now);
  useEffect(() => {
    if (!enabled) return;
    let lastDrawAt = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const draw = (): void => {
      clearTimeout(pending);
      pending = undefined;
      lastDrawAt = Date.now();
      setVersion(store.version);
      // The version may be unchanged (no node answered): the header's clock still moves.
      setFrame((n) => n + 1);
    };
    draw();
    const timer = setInterval(draw, periodMs);
    const followFor = mountedAt + followMs - Date.now();
    let unsubscribe = (): void => {};
    let followEnd: ReturnType<typeof setTimeout> | undefined;
    if (followFor > 0 && periodMs > START_UP_FRAME_MS) {
      // Called on every change (a thousand a round on a large cluster): a frame is asked for once.
      unsubscribe = store.subscribe(() => {
        pending ??= setTimeout(draw, Math.max(0, lastDrawAt + START_UP_FRAME_MS - Date.now()));
      });
      followEnd = setTimeout(() => unsubscribe(), followFor);
    }
    return () => {
      clearInterval(timer);
      clearTimeout(pending);
      clearTimeout(followEnd);
      unsubscribe();
    };
  }, [store, periodMs, enabled, mountedAt, followMs]);
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
