import { describe, expect, it } from 'vitest';
import { compareNullsLast, firstPress, nextInCycle } from '../../../src/ui/model/sort-order.js';

describe('the lists\' one sort order', () => {
  it('puts rows without a figure last whichever the direction', () => {
    expect([3, null, 1, 2].sort((a, b) => compareNullsLast(a, b, true))).toEqual([3, 2, 1, null]);
    expect([3, null, 1, 2].sort((a, b) => compareNullsLast(a, b, false))).toEqual([1, 2, 3, null]);
  });

  it('sorts figures busiest first and names A to Z on a first press, and cycles the keys', () => {
    expect(firstPress('cpu')).toEqual({ key: 'cpu', descending: true });
    expect(firstPress('name')).toEqual({ key: 'name', descending: false });
    expect(firstPress('pid', ['pid', 'name'])).toEqual({ key: 'pid', descending: false });
    const keys = ['cpu', 'memory', 'name'] as const;
    expect(nextInCycle(keys, 'cpu')).toBe('memory');
    expect(nextInCycle(keys, 'name')).toBe('cpu');
  });
});
