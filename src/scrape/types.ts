import type { Target } from '../targets/target.js';

export type ScrapeResult = ScrapeSuccess | ScrapeFailure;

export interface ScrapeSuccess {
  readonly ok: true;
  readonly target: Target;
  /**
   * The body after gzip as UTF-8 text, once: the result lets go of it, so that it dies young with
   * the parse. The promises and frames that waited for the scrape were made before the text, and
   * many are in V8's old generation by the time it comes; what they still hold when a young GC
   * runs is kept until a full one (about 70 KB a node_exporter scrape, 1,000 a second).
   */
  takeBody(): string;
  /** The response's Content-Type header, '' when absent. */
  readonly contentType: string;
  /** Bytes received on the wire (compressed size when gzip was used). */
  readonly wireBytes: number;
  /** Bytes of the decoded body. */
  readonly bodyBytes: number;
  /** The path and query asked for, when not the target URL's own (ScraperOptions.requestPath). */
  readonly requestPath?: string;
  /** Wall-clock time (ms since epoch) when the request was sent: the sample time of untimestamped samples. */
  readonly startedAtMs: number;
  readonly durationMs: number;
}

export interface ScrapeFailure {
  readonly ok: false;
  readonly target: Target;
  /** One short human sentence: what failed, never a stack, never a secret. */
  readonly error: string;
  /** The HTTP status when the server answered with one other than 200 (403: not allowed). */
  readonly status?: number;
  /** The path and query asked for, when not the target URL's own (ScraperOptions.requestPath). */
  readonly requestPath?: string;
  readonly startedAtMs: number;
  readonly durationMs: number;
}

/** Per-target scrape health, as the UI and the JSON snapshot show it. */
export interface TargetHealth {
  readonly up: boolean;
  /** ms since epoch of the last fully successful scrape (fetched and parsed), null when none yet. */
  readonly lastSuccessMs: number | null;
  readonly lastScrapeMs: number | null;
  readonly lastDurationMs: number | null;
  readonly lastBodyBytes: number | null;
  readonly lastWireBytes: number | null;
  readonly lastSamples: number | null;
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
}

/** A target not scraped yet: down, with nothing known. */
export const UNKNOWN_HEALTH: TargetHealth = Object.freeze({
  up: false,
  lastSuccessMs: null,
  lastScrapeMs: null,
  lastDurationMs: null,
  lastBodyBytes: null,
  lastWireBytes: null,
  lastSamples: null,
  lastError: null,
  consecutiveFailures: 0,
});
