import { describe, expect, it } from 'vitest';
import { apiError, decodeMatrix, decodeVector, oneLine, parseValue } from '../../../src/sources/prometheus/decode.js';

const vector = (result: unknown[], extra: object = {}) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result }, ...extra });

describe('decoding API answers', () => {
  it('reads an instant vector: labels and values, NaN and infinities from their strings', () => {
    const decoded = decodeVector(
      vector([
        { metric: { __name__: 'up', job: 'node', instance: 'a:9100' }, value: [1700000000.123, '1'] },
        { metric: { instance: 'b:9100' }, value: [1700000000.123, 'NaN'] },
        { metric: { instance: 'c:9100' }, value: [1700000000.123, '+Inf'] },
        { metric: { instance: 'd:9100' }, value: [1700000000.123, '-Inf'] },
        { metric: { instance: 'e:9100' }, value: [1700000000.123, '1.5e+09'] },
      ]),
    );
    expect(decoded.warnings).toEqual([]);
    expect(decoded.result.map((s) => s.value)).toEqual([1, NaN, Infinity, -Infinity, 1.5e9]);
    expect(decoded.result[0]?.labels).toEqual({ __name__: 'up', job: 'node', instance: 'a:9100' });
  });

  it('gives an empty result for no series, and skips samples without a float value', () => {
    expect(decodeVector(vector([])).result).toEqual([]);
    const histogram = { metric: { instance: 'a' }, histogram: [1700000000, { count: '1', sum: '2', buckets: [] }] };
    expect(decodeVector(vector([histogram])).result).toEqual([]);
  });

  it('passes warnings on, one line each', () => {
    const decoded = decodeVector(vector([], { warnings: ['partial response:\nstore 3 down', 7] }));
    expect(decoded.warnings).toEqual(['partial response: store 3 down']);
  });

  it('reads a range matrix, oldest point first', () => {
    const body = JSON.stringify({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: { instance: 'a' }, values: [[10, '1'], [12, 'NaN'], [14, '3']] }] },
    });
    const [series] = decodeMatrix(body).result;
    expect(series?.labels).toEqual({ instance: 'a' });
    expect(series?.points).toEqual([[10, 1], [12, NaN], [14, 3]]);
  });

  it("reports the server's error: type and reason", () => {
    const body = JSON.stringify({ status: 'error', errorType: 'bad_data', error: '1:14: parse error: unexpected "}"' });
    expect(() => decodeVector(body)).toThrow('bad_data: 1:14: parse error: unexpected "}"');
    expect(apiError(body)).toBe('bad_data: 1:14: parse error: unexpected "}"');
    expect(apiError('<html>')).toBeUndefined();
    expect(apiError(vector([]))).toBeUndefined();
  });

  it('refuses what is not the API', () => {
    expect(() => decodeVector('<!doctype html><title>Grafana</title>')).toThrow('the answer is not JSON (is this a Prometheus API URL?)');
    expect(() => decodeVector('[1,2]')).toThrow('not a Prometheus API response');
    expect(() => decodeVector('{"status":"success"}')).toThrow('not a Prometheus API response');
    expect(() => decodeVector(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '2'] } }))).toThrow('expected a vector result, got scalar');
    expect(() => decodeMatrix(vector([]))).toThrow('expected a matrix result, got vector');
  });

  it('keeps server text to one bounded line', () => {
    expect(oneLine('a\r\nb\u001b[31mc')).toBe('a b [31mc');
    const long = oneLine('x'.repeat(500));
    expect(long.length).toBe(160);
    expect(long.endsWith('…')).toBe(true);
  });

  it('parses values as Go formats them', () => {
    expect(parseValue('0.25')).toBe(0.25);
    expect(parseValue('Inf')).toBe(Infinity);
    expect(parseValue('')).toBeNaN();
    expect(parseValue(3)).toBeNaN();
  });
});
