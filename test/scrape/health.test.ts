import { describe, expect, it } from 'vitest';
import { HealthBook } from '../../src/scrape/health.js';
import { UNKNOWN_HEALTH } from '../../src/scrape/types.js';

const success = { atMs: 1_000, durationMs: 12, bodyBytes: 5_000, wireBytes: 900, samples: 321 };

describe('HealthBook', () => {
  it('knows nothing of a target not scraped yet', () => {
    expect(new HealthBook().get('a')).toEqual(UNKNOWN_HEALTH);
  });

  it('records a success', () => {
    const book = new HealthBook();
    book.recordSuccess('a', success);
    expect(book.get('a')).toEqual({
      up: true,
      lastSuccessMs: 1_000,
      lastScrapeMs: 1_000,
      lastDurationMs: 12,
      lastBodyBytes: 5_000,
      lastWireBytes: 900,
      lastSamples: 321,
      lastError: null,
      consecutiveFailures: 0,
    });
  });

  it('counts failures in a row, keeps the last success, and resets on success', () => {
    const book = new HealthBook();
    book.recordSuccess('a', success);
    book.recordFailure('a', { atMs: 2_000, durationMs: 1_500, error: 'timed out after 1.5 s' });
    book.recordFailure('a', { atMs: 3_000, durationMs: 3, error: 'connection refused' });
    expect(book.get('a')).toMatchObject({
      up: false,
      lastSuccessMs: 1_000,
      lastScrapeMs: 3_000,
      lastDurationMs: 3,
      lastSamples: 321,
      lastError: 'connection refused',
      consecutiveFailures: 2,
    });
    book.recordSuccess('a', { ...success, atMs: 4_000 });
    expect(book.get('a')).toMatchObject({ up: true, lastError: null, consecutiveFailures: 0, lastSuccessMs: 4_000 });
  });

  it('forgets a deleted target and keeps others apart', () => {
    const book = new HealthBook();
    book.recordSuccess('a', success);
    book.recordFailure('b', { atMs: 1, durationMs: 1, error: 'host not found' });
    book.delete('a');
    expect(book.get('a')).toEqual(UNKNOWN_HEALTH);
    expect(book.get('b').consecutiveFailures).toBe(1);
  });
});
