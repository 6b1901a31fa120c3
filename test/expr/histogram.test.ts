import { describe, expect, it } from 'vitest';
import { bucketQuantile, parseBound } from '../../src/expr/histogram.js';

const b = (pairs: readonly (readonly [number, number])[]) => pairs.map(([upperBound, count]) => ({ upperBound, count }));

describe('bucketQuantile, hand-checked against Prometheus\'s bucketQuantile', () => {
  const latency = b([
    [0.1, 10],
    [0.5, 18],
    [1, 20],
    [Infinity, 20],
  ]);

  it('interpolates linearly inside the bucket the rank falls in, from 0 in the first', () => {
    // rank 10 reaches the 0.1 bucket exactly: 0 + 0.1 * 10/10
    expect(bucketQuantile(0.5, latency)).toBeCloseTo(0.1, 12);
    // rank 18: 0.1 + (0.5 - 0.1) * (18 - 10) / (18 - 10)
    expect(bucketQuantile(0.9, latency)).toBeCloseTo(0.5, 12);
    // rank 19.8: 0.5 + (1 - 0.5) * (19.8 - 18) / (20 - 18)
    expect(bucketQuantile(0.99, latency)).toBeCloseTo(0.95, 12);
    // rank 5: 0.1 * 5/10
    expect(bucketQuantile(0.25, latency)).toBeCloseTo(0.05, 12);
  });

  it('gives the second-highest bound when the rank falls in the +Inf bucket', () => {
    expect(bucketQuantile(0.95, b([[1, 5], [2, 8], [Infinity, 10]]))).toBe(2);
  });

  it('gives the first bound itself when it is not positive', () => {
    expect(bucketQuantile(0.2, b([[-1, 5], [0, 8], [Infinity, 10]]))).toBe(-1);
  });

  it('sorts the buckets and adds up buckets of one bound (several series)', () => {
    const merged = b([[Infinity, 4], [1, 2], [1, 4], [Infinity, 4]]);
    // 1: 6, +Inf: 8; rank 4 in the first bucket: 1 * 4/6
    expect(bucketQuantile(0.5, merged)).toBeCloseTo(4 / 6, 12);
  });

  it('flattens counts that go down, as ensureMonotonic does', () => {
    const dip = b([[1, 5], [2, 3], [4, 8], [Infinity, 8]]);
    expect(bucketQuantile(0.5, dip)).toBeCloseTo(0.8, 12);
    // counts 5, 5, 8, 8; rank 5.6: 2 + (4 - 2) * (5.6 - 5) / (8 - 5)
    expect(bucketQuantile(0.7, dip)).toBeCloseTo(2.4, 12);
  });

  it('treats float noise between bounds as no change', () => {
    const noisy = b([[1, 3], [2, 3 - 1e-15], [Infinity, 6]]);
    // 2's count is 1's within 1e-12: the rank (3) is reached at bound 1 and nothing is interpolated past it.
    expect(bucketQuantile(0.5, noisy)).toBe(1);
  });

  it('gives NaN, -Inf and +Inf where Prometheus does', () => {
    expect(bucketQuantile(0.5, b([[1, 5], [2, 8]]))).toBeNaN(); // no +Inf bucket
    expect(bucketQuantile(0.5, b([[Infinity, 5]]))).toBeNaN(); // fewer than two buckets
    expect(bucketQuantile(0.5, b([[1, 0], [Infinity, 0]]))).toBeNaN(); // nothing observed
    expect(bucketQuantile(0.5, [])).toBeNaN();
    expect(bucketQuantile(NaN, latency)).toBeNaN();
    expect(bucketQuantile(-0.1, latency)).toBe(-Infinity);
    expect(bucketQuantile(1.1, latency)).toBe(Infinity);
  });
});

describe('parseBound', () => {
  it.each([
    ['+Inf', Infinity],
    ['Inf', Infinity],
    ['-Inf', -Infinity],
    ['0.005', 0.005],
    ['1e3', 1000],
    ['', null],
    ['fast', null],
    [undefined, null],
  ])('%j is %s', (text, value) => {
    expect(parseBound(text)).toBe(value);
  });
});
