import type { ClusterStore } from '../store/cluster-store.js';
import type { UserColumn } from '../expr/column.js';

/**
 * Whatever fills the store: the scrape pipeline, this machine's /proc, a Prometheus server, a
 * recording. The command line and the UI see only this, so each source is one module of its own.
 */
export interface Source {
  readonly store: ClusterStore;
  /** The refresh interval now in force. */
  readonly interval: number;
  /** A line for the UI header (e.g. "replay 2026-11-21 05:00, 10x"), or undefined; it may change while running. */
  readonly notice?: string;
  /** Something to say on stderr when the run ends (a recording cut short, refreshes not recorded). */
  readonly warning?: string;
  /**
   * Why the figures now in the store may be incomplete, in the words of the server they came from
   * (a Prometheus-compatible server's partial answer or warning); undefined when they are whole.
   * The snapshot's `partial`; the notice says it too.
   */
  readonly partial?: string;
  /** The moment the store shows, when it is not now (a replay's clock): the UI's clock and ages use it. */
  clockMs?(): number;
  /** The display was paused or resumed: a replay's clock stops with it. */
  setPaused?(paused: boolean): void;
  /** Moves a replay's clock by `deltaMs`, back when negative. */
  seek?(deltaMs: number): void;
  /** Keeps the store current until stop(). */
  start(): void;
  /** Fills the store once so that rates exist (two refreshes one interval apart), for `--once`. */
  collectOnce(): Promise<void>;
  setIntervalMs(ms: number): void;
  stop(): Promise<void>;
}

/** What every source is built with beside its own flags. */
export interface SourceContext {
  /** How much history to keep: the rows of the store's rings follow from it and the interval. */
  readonly historyMs: number;
  /** `--column`s, for the sources that scrape (the others have no samples to evaluate them on). */
  readonly columns: readonly UserColumn[];
  /** One line for stderr (and the view's warnings): fields ignored, targets given twice. */
  readonly warn: (line: string) => void;
}

/** Rows of history for this much time at this interval; at least two, so that rates exist. */
export function historyPoints(historyMs: number, intervalMs: number): number {
  return Math.max(2, Math.ceil(historyMs / intervalMs));
}
