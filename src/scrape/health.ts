/**
 * Scrape health per target id, as the UI and the JSON snapshot show it.
 * Pure bookkeeping: times come from the caller, nothing runs on its own.
 */
import { UNKNOWN_HEALTH, type TargetHealth } from './types.js';

export interface SuccessRecord {
  readonly atMs: number;
  readonly durationMs: number;
  readonly bodyBytes: number;
  readonly wireBytes: number;
  readonly samples: number;
}

export interface FailureRecord {
  readonly atMs: number;
  readonly durationMs: number;
  readonly error: string;
}


export class HealthBook {
  private readonly byId = new Map<string, TargetHealth>();

  recordSuccess(id: string, record: SuccessRecord): void {
    this.byId.set(id, {
      up: true,
      lastSuccessMs: record.atMs,
      lastScrapeMs: record.atMs,
      lastDurationMs: record.durationMs,
      lastBodyBytes: record.bodyBytes,
      lastWireBytes: record.wireBytes,
      lastSamples: record.samples,
      lastError: null,
      consecutiveFailures: 0,
    });
  }

  /** Sizes and sample count stay those of the last success: a failure has none, and the old ones still inform. */
  recordFailure(id: string, record: FailureRecord): void {
    const previous = this.get(id);
    this.byId.set(id, {
      ...previous,
      up: false,
      lastScrapeMs: record.atMs,
      lastDurationMs: record.durationMs,
      lastError: record.error,
      consecutiveFailures: previous.consecutiveFailures + 1,
    });
  }

  get(id: string): TargetHealth {
    return this.byId.get(id) ?? UNKNOWN_HEALTH;
  }

  delete(id: string): void {
    this.byId.delete(id);
  }
}
