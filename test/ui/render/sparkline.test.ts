import { describe, expect, it } from 'vitest';
import { bar, barParts, sparkline } from '../../../src/ui/render/sparkline.js';

describe('sparkline', () => {
  it('draws one cell per value scaled to the max', () => {
    expect(sparkline([0, 50, 100], 3, 100)).toBe('▁▅█');
  });

  it('scales to the largest value when no max is given', () => {
    expect(sparkline([1, 2, 4], 3)).toBe('▃▅█');
  });

  it('left-pads with blanks when there are fewer values than cells', () => {
    expect(sparkline([100], 4, 100)).toBe('   █');
  });

  it('keeps only the newest values when there are more than cells', () => {
    expect(sparkline([0, 0, 100, 100], 2, 100)).toBe('██');
  });

  it('draws NaN as a gap', () => {
    expect(sparkline([100, NaN, 100], 3, 100)).toBe('█ █');
  });

  it('clamps values outside 0..max and draws all-zero as the lowest level', () => {
    expect(sparkline([-5, 500], 2, 100)).toBe('▁█');
    expect(sparkline([0, 0], 2)).toBe('▁▁');
  });

  it('is empty for no width', () => {
    expect(sparkline([1, 2], 0)).toBe('');
  });
});

describe('bar', () => {
  it('is always exactly the width', () => {
    for (const p of [0, 1, 33.3, 50, 99.9, 100, 250, -3, NaN]) {
      for (const w of [1, 5, 10]) expect(bar(p, w)).toHaveLength(w);
    }
  });

  it('fills proportionally with eighth blocks', () => {
    expect(bar(100, 4)).toBe('████');
    expect(bar(50, 4)).toBe('██··');
    expect(bar(12.5, 4)).toBe('▌···');
    expect(bar(0, 3)).toBe('···');
  });

  it('shows an unknown value as an empty bar', () => {
    expect(bar(null, 3)).toBe('···');
    expect(barParts(undefined, 2)).toEqual({ filled: '', empty: '··' });
  });
});
