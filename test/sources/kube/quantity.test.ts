import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../../src/sources/kube/quantity.js';

describe('Kubernetes quantities', () => {
  it.each([
    ['250m', 0.25],
    ['2', 2],
    ['1500000n', 0.0015],
    ['1500u', 0.0015],
    ['100m', 0.1],
    ['16Gi', 16 * 2 ** 30],
    ['16323552Ki', 16323552 * 1024],
    ['1536Mi', 1536 * 2 ** 20],
    ['1Ti', 2 ** 40],
    ['2Pi', 2 * 2 ** 50],
    ['1Ei', 2 ** 60],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['1.5e+2', 150],
    ['1k', 1000],
    ['1M', 1e6],
    ['2G', 2e9],
    ['3T', 3e12],
    ['4P', 4e15],
    ['1E', 1e18],
    ['94580335255', 94580335255],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['0.1', 0.1],
    ['.5', 0.5],
    ['5.', 5],
    ['+1', 1],
    ['-250m', -0.25],
    ['0', 0],
    ['1234567891n', 1.234567891],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it('rounds once, to the nearest double, as the decimal is written', () => {
    // 0.1 + 0.2 style drift would show here: 3 × 0.1 cores computed as 0.30000000000000004.
    expect(parseQuantity('300m')).toBe(0.3);
    expect(parseQuantity('7n')).toBe(7e-9);
    expect(parseQuantity('0.1Ki')).toBe(102.4);
  });

  it.each(['', ' 1', '1 ', '1Kb', 'Gi', '1.2.3', '1e', '1ki', 'e3', '1Gi1', '0x10', '1_000', 'NaN', 'Infinity', '1e999'])('rejects "%s"', (text) => {
    expect(parseQuantity(text)).toBeNull();
  });
});
