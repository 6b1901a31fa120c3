import { describe, expect, it } from 'vitest';
import { ExprError, sampleNames, type Expr } from '../../src/expr/ast.js';
import { parseExpression } from '../../src/expr/parse.js';
import { parseColumn } from '../../src/expr/column.js';

/** The error's 1-based character, or the parse result when there is none. */
function errorAt(text: string): { reason: string; at: number } | Expr {
  try {
    return parseExpression(text);
  } catch (error) {
    if (!(error instanceof ExprError)) throw error;
    return { reason: error.reason, at: error.position + 1 };
  }
}

describe('parseExpression', () => {
  it('reads selectors with every matcher kind, anchoring regexes', () => {
    const expr = parseExpression(`http_requests_total{code=~"5..", method!="HEAD", path!~'/health.*', job="api",}`);
    expect(expr.kind).toBe('selector');
    if (expr.kind !== 'selector') return;
    expect(expr.selector.name).toBe('http_requests_total');
    expect(expr.selector.matchers.map((m) => [m.label, m.op, m.value])).toEqual([
      ['code', '=~', '5..'],
      ['method', '!=', 'HEAD'],
      ['path', '!~', '/health.*'],
      ['job', '=', 'api'],
    ]);
    const code = expr.selector.matchers[0]?.regex;
    expect(code?.test('500')).toBe(true);
    expect(code?.test('1500')).toBe(false); // anchored at both ends, as in Prometheus
  });

  it('reads rate, histogram_quantile (with or without _bucket), aggregations and arithmetic', () => {
    expect(parseExpression('rate(x_total)')).toEqual({ kind: 'rate', selector: { name: 'x_total', matchers: [] } });
    expect(parseExpression('histogram_quantile(0.99, lat_seconds_bucket)')).toEqual({ kind: 'quantile', q: 0.99, selector: { name: 'lat_seconds', matchers: [] } });
    const sumBy = parseExpression('sum by (code) (rate(x_total))');
    const sumByAfter = parseExpression('sum(rate(x_total)) by (code)');
    expect(sumBy).toEqual(sumByAfter);
    expect(sumBy).toMatchObject({ kind: 'aggregate', op: 'sum', by: ['code'] });
    // * binds tighter than +, and a leading minus is -1 times.
    expect(parseExpression('1 + 2 * 3')).toEqual({
      kind: 'binary',
      op: '+',
      left: { kind: 'number', value: 1 },
      right: { kind: 'binary', op: '*', left: { kind: 'number', value: 2 }, right: { kind: 'number', value: 3 } },
    });
    expect(parseExpression('-x')).toMatchObject({ kind: 'binary', op: '*', left: { kind: 'number', value: -1 } });
    expect(parseExpression('(a + b) / 2e3')).toMatchObject({ kind: 'binary', op: '/', right: { kind: 'number', value: 2000 } });
  });

  it('takes a function name alone as a metric name', () => {
    expect(parseExpression('sum')).toEqual({ kind: 'selector', selector: { name: 'sum', matchers: [] } });
  });

  it('reads escapes and raw strings', () => {
    const expr = parseExpression('x{a="q\\"uote", b=`5\\d\\d`}');
    if (expr.kind !== 'selector') throw new Error('not a selector');
    expect(expr.selector.matchers.map((m) => m.value)).toEqual(['q"uote', '5\\d\\d']);
  });

  it('names the sample names to keep when parsing', () => {
    const names = sampleNames(parseExpression('sum(rate(a_total)) / b + histogram_quantile(0.5, h_seconds)'));
    expect([...names].sort()).toEqual(['a_total', 'b', 'h_seconds_bucket']);
  });

  it.each([
    ['', 'expected an expression', 1],
    ['rate(', 'expected a metric name', 6],
    ['rate(x', 'expected ")"', 7],
    ['rate(x[5m])', 'no range selectors: rate() is over the last scrape interval', 7],
    ['histogram_quantile(0.99 x)', 'expected ","', 25],
    ['histogram_quantile(1.5, x)', 'the quantile must be from 0 to 1', 20],
    ['histogram_quantile(q, x)', 'expected a quantile from 0 to 1', 20],
    ['x{code=5}', 'expected a quoted string', 8],
    ['x{code~"5"}', 'unexpected character "~"', 7],
    ['x{code="5" method="GET"}', 'expected ","', 12],
    ['x{9="a"}', 'expected a label name', 3],
    ['x{a=~"("}', 'invalid regex: Unterminated group', 6],
    ['x{a="b}', 'unterminated string', 5],
    ['x{a="\\q"}', 'unknown escape in string', 6],
    ['irate(x)', 'unknown function "irate"', 1],
    ['sum(5)', 'sum() needs series, not a number', 5],
    ['sum by (a) (x) by (b)', '"by" given twice', 16],
    ['sum by (a, ) (x)', 'expected a label name', 12],
    ['a b', 'unexpected "b"', 3],
    ['a + ', 'expected an expression', 5],
    ['a $ b', 'unexpected character "$"', 3],
    ['.', 'unexpected character "."', 1],
  ])('%j fails: %s at character %i', (text, reason, at) => {
    expect(errorAt(text)).toEqual({ reason, at });
  });
});

describe('parseColumn', () => {
  it('splits the name from the expression, which may contain "="', () => {
    const column = parseColumn('errors = rate(x{code="500"})');
    expect(column.name).toBe('errors');
    expect(column.expr).toMatchObject({ kind: 'rate', selector: { matchers: [{ label: 'code', op: '=', value: '500' }] } });
  });

  it.each([
    ['p99=histogram_quantile(0.99 http_x)', 'expected "," at character 29'],
    ['rps', 'expected "=" after the column name at character 4'],
    ['9x=a', 'a column name is letters, digits and _, not starting with a digit or __ at character 1'],
    ['__x=a', 'a column name is letters, digits and _, not starting with a digit or __ at character 1'],
    ['constructor=a', '"constructor" cannot be a column name at character 1'],
    ['rps=rate(x', 'expected ")" at character 11'],
  ])('%j: %s, counted in the whole spec', (spec, message) => {
    expect(() => parseColumn(spec)).toThrow(message);
  });
});
