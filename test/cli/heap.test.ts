import { describe, expect, it } from 'vitest';
import { heapFlags } from '../../src/cli/heap.js';

describe('heapFlags', () => {
  it('asks V8 to grow the old generation by half', () => {
    expect(heapFlags([])).toBe('--heap-growing-percent=50');
    expect(heapFlags(['--enable-source-maps'])).toBe('--heap-growing-percent=50');
  });

  it('leaves a heap-growing setting the user gave node alone', () => {
    expect(heapFlags(['--heap-growing-percent=20'])).toBeUndefined();
    expect(heapFlags(['--heap_growing_percent=80'])).toBeUndefined();
  });
});
