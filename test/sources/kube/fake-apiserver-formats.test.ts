import { describe, expect, it } from 'vitest';
import { binaryQuantity, decimalQuantity, goDuration, goFloat, humanDuration, nanocores } from './fake-apiserver/formats.js';

/** The fake's renderings of Go's and apimachinery's number, time and quantity formats, against their known outputs. */

describe('fake apiserver: Go and apimachinery formats', () => {
  it('writes sample values as strconv.FormatFloat(v, \'g\', -1, 64)', () => {
    const cases: [number, string][] = [
      [0, '0'], [1, '1'], [0.195744, '0.195744'], [106.175016577, '106.175016577'], [123456, '123456'],
      [1234567, '1.234567e+06'], [8577024, '8.577024e+06'], [574291968, '5.74291968e+08'], [1595669376.938, '1.595669376938e+09'],
      [0.0001, '0.0001'], [0.00001, '1e-05'], [1e21, '1e+21'], [-2.5e7, '-2.5e+07'], [NaN, 'NaN'], [Infinity, '+Inf'], [-Infinity, '-Inf'],
    ];
    expect(cases.map(([v]) => goFloat(v))).toEqual(cases.map(([, s]) => s));
  });

  it('writes windows as time.Duration.String()', () => {
    expect([500, 10_000, 10_500, 10_104, 65_000, 3_600_000, 3_725_250].map(goDuration)).toEqual(
      ['500ms', '10s', '10.5s', '10.104s', '1m5s', '1h0m0s', '1h2m5.25s'],
    );
  });

  it('writes ages as duration.HumanDuration', () => {
    const s = 1000;
    const h = 3600 * s;
    const d = 24 * h;
    const cases: [number, string][] = [
      [-3 * s, '<invalid>'], [-1500, '0s'], [90 * s, '90s'], [119 * s, '119s'], [120 * s, '2m'], [125 * s, '2m5s'],
      [10 * 60 * s, '10m'], [3 * h, '3h'], [3 * h + 5 * 60 * s, '3h5m'], [8 * h, '8h'], [47 * h, '47h'], [2 * d + 3 * h, '2d3h'],
      [8 * d, '8d'], [400 * d, '400d'], [(2 * 365 + 10) * d, '2y10d'], [9 * 365 * d, '9y'],
    ];
    expect(cases.map(([ms]) => humanDuration(ms))).toEqual(cases.map(([, t]) => t));
  });

  it('writes quantities in canonical form', () => {
    expect([0.25, 0.0015, 1.5, 2, 1.234567891, 0].map(nanocores)).toEqual(['250m', '1500u', '1500m', '2', '1234567891n', '0']);
    expect(decimalQuantity(8000n)).toBe('8k');
    expect([16 * 2 ** 30, 16323552 * 1024, 1500, 100, 3 * 2 ** 30 + 4096].map(binaryQuantity)).toEqual(
      ['16Gi', '16323552Ki', '1500', '100', '3145732Ki'],
    );
  });
});
