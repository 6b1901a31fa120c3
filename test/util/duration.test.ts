import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDuration } from '../../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['1m', 60_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['1h', 3_600_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '2', 's', '2x', '-1s', '2s 3s', '1.s'])('rejects %j', (text) => expect(parseDuration(text)).toBeNull());

  it('formats back', () => {
    expect(formatDurationMs(500)).toBe('500ms');
    expect(formatDurationMs(2000)).toBe('2s');
    expect(formatDurationMs(60_000)).toBe('1m');
  });
});
