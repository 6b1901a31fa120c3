/**
 * How many scrapes may be in flight when the user did not say (`--concurrency` unset). A fixed 64
 * carried about 100 scrapes a second once each took 0.6 s, against the 1,000 a second that 10,000
 * nodes every 10 s are due (issue #18): turns queued and were missed. By Little's law the scrapes in
 * flight on average are the scrape rate times how long one takes; the limit is that, twice over for
 * bursts (phases are hashed, not evenly spaced), never under the old fixed 64, and bounded by the
 * open files (a connection each) and by a maximum that keeps the memory of bodies in flight sane.
 */
import { BASE_DESCRIPTORS } from '../util/open-files.js';

/** The least limit: small clusters keep the old default. */
export const MIN_CONCURRENCY = 64;
/** The most: 1,024 bodies of about 100 KB in flight are 100 MB. */
export const MAX_CONCURRENCY = 1024;
/** Room over the average in flight, for bursts of turns and slower scrapes. */
export const CONCURRENCY_HEADROOM = 2;
/** Assumed until a scrape has been timed: a node_exporter on a LAN answers well within it. */
export const INITIAL_SCRAPE_MS = 100;

export interface ScrapeLoad {
  /** Scrapes due per second over all targets (targets / interval). */
  readonly scrapesPerSecond: number;
  /** How long a scrape takes, ms (a recent average). */
  readonly scrapeMs: number;
  /** The process's open-files limit; undefined: unknown or unlimited. */
  readonly openFiles?: number;
}

/** The scrapes-in-flight limit for this load (see the file's comment); at least 1. */
export function concurrencyFor(load: ScrapeLoad): number {
  const inFlight = (Math.max(0, load.scrapesPerSecond) * Math.max(0, load.scrapeMs)) / 1000;
  const wanted = Math.max(MIN_CONCURRENCY, Math.ceil(inFlight * CONCURRENCY_HEADROOM));
  const fileRoom = load.openFiles === undefined ? Infinity : load.openFiles - BASE_DESCRIPTORS;
  return Math.max(1, Math.min(wanted, MAX_CONCURRENCY, fileRoom));
}
