/** React hooks tying the UI to the store, the terminal size and the clock. */
import { useEffect, useRef, useState } from 'react';
import { useStdout } from 'ink';
import type { ClusterStore } from '../store/cluster-store.js';
import { scrollOffset } from './table-model.js';

/**
 * The store's version, updated at most `maxFps` times a second however often the store changes
 * (a scrape round of 5,000 nodes is 5,000 changes), and always once after the last change, so
 * the newest data is drawn. A burst within one tick becomes one frame. Disabled, it stops
 * listening; enabled again, it catches up at once.
 */
export function useStoreVersion(store: ClusterStore, maxFps: number, enabled = true): number {
  const [version, setVersion] = useState(store.version);
  useEffect(() => {
    if (!enabled) return;
    const minGapMs = 1000 / maxFps;
    let lastMs = Number.NEGATIVE_INFINITY;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      timer = undefined;
      lastMs = performance.now();
      setVersion(store.version);
    };
    const unsubscribe = store.subscribe(() => {
      if (timer === undefined) timer = setTimeout(flush, Math.max(0, lastMs + minGapMs - performance.now()));
    });
    setVersion(store.version);
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [store, maxFps, enabled]);
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

/** Re-renders every `ms` while enabled: the header clock moves even when no data arrives. */
export function useTicker(ms: number, enabled: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms, enabled]);
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
