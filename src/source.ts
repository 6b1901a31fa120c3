import type { ClusterStore } from './store/cluster-store.js';

/**
 * Whatever fills the store: the scrape pipeline, this machine's /proc, a Prometheus server, a
 * recording. The command line and the UI see only this, so each source is one module of its own.
 */
export interface Source {
  readonly store: ClusterStore;
  /** The refresh interval now in force. */
  readonly interval: number;
  /** A line for the UI header (e.g. "replay 2026-11-21 05:00, 10x"), or undefined. */
  readonly notice?: string;
  /** Keeps the store current until stop(). */
  start(): void;
  /** Fills the store once so that rates exist (two refreshes one interval apart), for `--once`. */
  collectOnce(): Promise<void>;
  setIntervalMs(ms: number): void;
  stop(): Promise<void>;
}
