import { describe, expect, it } from 'vitest';
import { apiError, decodeMatrix, decodeVector, oneLine, parseValue } from '../../../src/sources/prometheus/decode.js';
import { LabelCache } from '../../../src/sources/prometheus/fast-vector.js';

const vector = (result: unknown[], extra: object = {}) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result }, ...extra });

describe('decoding API answers', () => {
  it('scans the plain vector shape as JSON.parse reads it, and any other shape the ordinary way', () => {
    const reference = (text: string) => {
      const body = JSON.parse(text) as { data: { result: { metric?: Record<string, unknown>; value?: [number, string] }[] }; warnings?: string[] };
      return body.data.result.filter((r) => Array.isArray(r.value)).map((r) => ({ labels: r.metric ?? {}, value: parseValue(r.value![1]) }));
    };
    const items = [
      { metric: { __name__: 'up', job: 'node', instance: 'a:9100' }, value: [1700000000.123, '1'] },
      { metric: {}, value: [1700000000, '-Inf'] },
      { value: [1.7e9, 'NaN'], metric: { q: 'say "hi"\n', u: '\u00e9\ud83d\ude00', e: '' } },
      { metric: { 'odd key': 'x,y}]"' }, value: [1700000000.5, '1.5e+09'] },
    ];
    const bodies = [
      vector(items),
      JSON.stringify({ status: 'success', data: { resultType: 'vector', result: items } }, null, 2),
      vector(items, { warnings: ['w "1"'], infos: ['i'] }),
      JSON.stringify({ status: 'success', stats: { result: [{ metric: {}, value: [1, '9'] }] }, data: { resultType: 'vector', result: items } }),
      vector([...items, { metric: { a: 'b' }, histogram: [1, { count: '1' }] }]),
      vector([{ metric: { a: 'b' }, value: [1, '2'], extra: true }]),
      vector([{ metric: { n: 1 }, value: [1, '2'] }]),
      vector([]),
    ];
    for (const body of bodies) {
      const decoded = decodeVector(body);
      expect(decoded.result, body).toEqual(reference(body).map((r) => ({ ...r, labels: Object.fromEntries(Object.entries(r.labels).filter(([, v]) => typeof v === 'string')) })));
    }
    // The same through one label cache, answer after answer (each the last one's successor), twice over.
    const cache = new LabelCache();
    for (const body of [...bodies, ...bodies]) expect(decodeVector(body, cache).result, body).toEqual(decodeVector(body).result);
    expect(decodeVector(bodies[2]!).warnings).toEqual(['w "1"']);
    expect(() => decodeVector(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }))).toThrow('expected a vector result, got matrix');
    expect(() => decodeVector('{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"2"]}')).toThrow('not JSON');
  });

  it('gives back the last answer\'s label sets where the same text stands, and reads the rest', () => {
    const sample = (instance: string, value: string) => ({ metric: { __name__: 'up', job: 'node', instance }, value: [1700000000, value] });
    const cache = new LabelCache();
    const first = decodeVector(vector([sample('a:9100', '1'), sample('b:9100', '1'), sample('c:9100', '0')]), cache).result;
    expect(cache.misses).toBe(3);
    const second = decodeVector(vector([sample('a:9100', '0'), sample('bb:9100', '1'), sample('c:9100', '1')]), cache).result;
    expect(cache.misses).toBe(1);
    expect(second[0]!.labels).toBe(first[0]!.labels);
    expect(second[1]!.labels).toEqual({ __name__: 'up', job: 'node', instance: 'bb:9100' });
    expect(second[2]!.labels).toBe(first[2]!.labels);
    expect(second.map((s) => s.value)).toEqual([0, 1, 1]);
    // Fewer samples: the cache shrinks with the answer; none: it empties.
    decodeVector(vector([sample('a:9100', '1')]), cache);
    expect(cache.texts).toHaveLength(1);
    decodeVector(vector([]), cache);
    expect(cache.labels).toHaveLength(0);
  });

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
