import { describe, expect, it } from 'vitest';
import { formatAge, formatBytesShort, formatClock } from '../../src/util/format.js';

describe('formatBytesShort', () => {
  it('uses one-letter units and at most five characters', () => {
    expect(formatBytesShort(0)).toBe('0B');
    expect(formatBytesShort(999)).toBe('999B');
    // From 1000 on, the next (binary) unit: no four-digit figure beside a smaller unit's.
    expect(formatBytesShort(1023)).toBe('1.0K');
    expect(formatBytesShort(1017 * 1024 ** 2)).toBe('1.0G');
    expect(formatBytesShort(1019 * 1024)).toBe('1.0M');
    expect(formatBytesShort(1536)).toBe('1.5K');
    expect(formatBytesShort(5 * 1024 ** 2)).toBe('5.0M');
    expect(formatBytesShort(null)).toBe('-');
    for (let b = 1; b < 1e16; b *= 1.37) expect(formatBytesShort(b).length).toBeLessThanOrEqual(5);
  });

  it('does not round 99.96 up to a six-character "100.0K"', () => {
    expect(formatBytesShort(99.96 * 1024)).toBe('100K');
  });
});

describe('formatAge', () => {
  it('uses the largest whole unit', () => {
    expect(formatAge(12.7)).toBe('12s');
    expect(formatAge(125)).toBe('2m');
    expect(formatAge(3 * 3600 + 5)).toBe('3h');
    expect(formatAge(2 * 86400)).toBe('2d');
    expect(formatAge(-1)).toBe('0s');
    expect(formatAge(null)).toBe('-');
  });
});

describe('formatClock', () => {
  it('is HH:MM:SS in local time', () => {
    const at = new Date(2024, 0, 15, 9, 5, 7).getTime();
    expect(formatClock(at)).toBe('09:05:07');
  });
});
