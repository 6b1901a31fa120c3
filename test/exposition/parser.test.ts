import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { formatFromContentType, parseExposition, type ParseOptions } from '../../src/exposition/parser.js';
import { ExpositionError, type Sample } from '../../src/exposition/types.js';
import { random } from '../random.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');

const om = (text: string, options: ParseOptions = {}) => parseExposition(text, { ...options, format: 'openmetrics' });

/** The samples as plain tuples, which is what most assertions care about. */
const flat = (samples: Sample[]) => samples.map((s) => [s.name, { ...s.labels }, s.value, s.timestampMs]);

function parseError(text: string, options?: ParseOptions): ExpositionError {
  try {
    parseExposition(text, options);
  } catch (e) {
    if (e instanceof ExpositionError) return e;
    throw new Error(`threw ${String(e)} instead of an ExpositionError`);
  }
  throw new Error(`parsed without error: ${JSON.stringify(text.slice(0, 80))}`);
}

function expectError(text: string, line: number, column: number, reason: string, options?: ParseOptions): void {
  const e = parseError(text, options);
  expect({ line: e.line, column: e.column, reason: e.reason }).toEqual({ line, column, reason });
}

describe('formatFromContentType', () => {
  it('reads OpenMetrics only from its media type', () => {
    expect(formatFromContentType('application/openmetrics-text; version=1.0.0; charset=utf-8')).toBe('openmetrics');
    expect(formatFromContentType(' Application/OpenMetrics-Text ')).toBe('openmetrics');
    expect(formatFromContentType('text/plain; version=0.0.4; charset=utf-8')).toBe('prometheus');
    expect(formatFromContentType('')).toBe('prometheus');
    expect(formatFromContentType('application/openmetrics-textual')).toBe('prometheus');
  });
});

describe('parseExposition: Prometheus text format', () => {
  it('reads names, labels, values and timestamps', () => {
    const r = parseExposition(
      [
        '# HELP http_requests_total The total number of HTTP requests.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="post",code="200"} 1027 1395066363000',
        'http_requests_total{method="post",code="400"}    3 1395066363000',
        'metric_without_timestamp_and_labels 12.47',
        'something_weird{problem="division by zero"} +Inf -3982045',
        '',
      ].join('\n'),
    );
    expect(r.format).toBe('prometheus');
    expect(flat(r.samples)).toEqual([
      ['http_requests_total', { method: 'post', code: '200' }, 1027, 1395066363000],
      ['http_requests_total', { method: 'post', code: '400' }, 3, 1395066363000],
      ['metric_without_timestamp_and_labels', {}, 12.47, undefined],
      ['something_weird', { problem: 'division by zero' }, Infinity, -3982045],
    ]);
    expect(r.sampleLines).toBe(4);
    expect([...r.types]).toEqual([['http_requests_total', 'counter']]);
  });

  it('records every TYPE and ignores HELP, UNIT and other comments', () => {
    const r = parseExposition(
      [
        '# a comment',
        '#another',
        '#',
        '# HELP a Help with \\\\ and \\n escapes.',
        '# HELP b',
        '# TYPE a gauge',
        '# TYPE b untyped',
        '# TYPE c histogram',
        '# TYPE d summary',
        '#\tTYPE\te\tcounter\t',
        '# UNIT a seconds',
        '# EOF',
        'a 1',
      ].join('\n'),
    );
    expect(Object.fromEntries(r.types)).toEqual({ a: 'gauge', b: 'untyped', c: 'histogram', d: 'summary', e: 'counter' });
    expect(flat(r.samples)).toEqual([['a', {}, 1, undefined]]);
  });

  it('unescapes \\\\, \\" and \\n in label values', () => {
    const r = parseExposition(
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9\n',
    );
    expect(r.samples[0]?.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(r.samples[0]?.value).toBe(1458255915);
  });

  it('keeps other escapes as written, backslash and all, as Prometheus does', () => {
    // Prometheus's lexers take a backslash before any character; only \\, \" and \n are replaced.
    const expected = [['a', { x: 'ab\\q', y: '\\t\\z"', 'w\\q': '\\', v: '\\\n' }, 1, undefined]];
    const line = 'a{x="ab\\q",y="\\t\\\\z\\"","w\\q"="\\\\",v="\\\\\\n"} 1\n';
    expect(flat(parseExposition(line).samples)).toEqual(expected);
    expect(flat(om(`${line}# EOF\n`).samples)).toEqual(expected);
    expectError('a{x="\\', 1, 5, 'unterminated label value');
    expectError('a{x="\\\nb"} 1\n', 1, 5, 'unterminated label value');
    // A control character after the backslash is kept too, as in any label value.
    expect(parseExposition('a{x="\\\u0001"} 1\n').samples[0]?.labels).toEqual({ x: '\\\u0001' });
  });

  it('keeps label values verbatim otherwise: UTF-8, tabs, braces, commas, equals signs', () => {
    const r = parseExposition('a{v="héllo\t{x=1,y}", w="#", e=""} 1\n');
    expect(r.samples[0]?.labels).toEqual({ v: 'héllo\t{x=1,y}', w: '#', e: '' });
  });

  it('accepts empty label sets, trailing commas and blanks between tokens', () => {
    const r = parseExposition(
      ['a{} 1', 'b{x="1",} 2', 'c { x = "1" , y="2" , } \t 3 \t 4 ', '  d\t5', 'e{\t} 6', ''].join('\n'),
    );
    expect(flat(r.samples)).toEqual([
      ['a', {}, 1, undefined],
      ['b', { x: '1' }, 2, undefined],
      ['c', { x: '1', y: '2' }, 3, 4],
      ['d', {}, 5, undefined],
      ['e', {}, 6, undefined],
    ]);
  });

  it('accepts blank lines, CR LF line ends and a last line without a line end', () => {
    const r = parseExposition('\n\n# TYPE a gauge\r\na{x="1"} 1\r\n\r\n   \n\t\nb 2 3\r\nc 4');
    expect(flat(r.samples)).toEqual([
      ['a', { x: '1' }, 1, undefined],
      ['b', {}, 2, 3],
      ['c', {}, 4, undefined],
    ]);
    expect(parseExposition('c 4\r').samples[0]?.value).toBe(4);
  });

  it('takes colons in metric names and digits after the first character', () => {
    const r = parseExposition('job:rate5m_2{a_1="x"} 1\n_x 2\n:y 3\n');
    expect(r.samples.map((s) => s.name)).toEqual(['job:rate5m_2', '_x', ':y']);
  });

  it('reads quoted UTF-8 metric and label names (Prometheus 3)', () => {
    const r = parseExposition(
      [
        '# HELP "my.metric.name" Help.',
        '# TYPE "my.metric.name" counter',
        '{"my.metric.name", "label.with.dots"="v", le="1"} 1',
        '{"my.metric.name"} 2',
        '{le="2", "my.metric.name"} 3',
        'plain{"quoted.label"="x"} 4',
        '{"with \\"escapes\\" \\\\ and \\n"} 5',
        '{ "spaced" , a="b" } 6',
      ].join('\n'),
    );
    expect([...r.types]).toEqual([['my.metric.name', 'counter']]);
    expect(flat(r.samples)).toEqual([
      ['my.metric.name', { 'label.with.dots': 'v', le: '1' }, 1, undefined],
      ['my.metric.name', {}, 2, undefined],
      ['my.metric.name', { le: '2' }, 3, undefined],
      ['plain', { 'quoted.label': 'x' }, 4, undefined],
      ['with "escapes" \\ and \n', {}, 5, undefined],
      ['spaced', { a: 'b' }, 6, undefined],
    ]);
  });

  it('does not let a quoted TYPE name vouch for a bare sample name', () => {
    expectError('# TYPE "a.b" gauge\na.b 1\n', 2, 2, 'invalid metric name');
  });

  it('keeps label names that collide with Object.prototype as own properties', () => {
    const r = parseExposition('a{__proto__="x",constructor="y",toString="z"} 1\na{__proto__="x2",constructor="y2"} 2\n');
    const [first, second] = r.samples;
    expect(Object.getPrototypeOf(first?.labels)).toBe(Object.prototype);
    expect(Object.entries(first?.labels ?? {})).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['toString', 'z'],
    ]);
    expect(Object.entries(second?.labels ?? {})).toEqual([
      ['__proto__', 'x2'],
      ['constructor', 'y2'],
    ]);
  });

  it('rejects duplicate label names, also when the previous line had the same names', () => {
    expectError('a{x="1",x="2"} 1\n', 1, 9, 'duplicate label name "x"');
    expectError('a{x="1",y="2"} 1\na{x="1",x="2"} 1\n', 2, 9, 'duplicate label name "x"');
    expectError('a{x="1"} 1\na{"x"="1",x="2"} 1\n', 2, 11, 'duplicate label name "x"');
  });

  it('reads label names that differ from the previous line by a prefix or their order', () => {
    const r = parseExposition('a{cpu="0",mode="idle"} 1\na{cpus="1",mode="x"} 2\na{mode="y",cpu="2"} 3\na{cpu="3"} 4\na 5\n');
    expect(r.samples.map((s) => Object.entries(s.labels))).toEqual([
      [['cpu', '0'], ['mode', 'idle']],
      [['cpus', '1'], ['mode', 'x']],
      [['mode', 'y'], ['cpu', '2']],
      [['cpu', '3']],
      [],
    ]);
  });

  it("reads names that extend or shorten the previous line's name", () => {
    const r = parseExposition('foo 1\nfoo_bucket{le="1"} 2\nfoo_bucket 3\nfoo 4\nfo 5\nfoo2 6\n');
    expect(r.samples.map((s) => s.name)).toEqual(['foo', 'foo_bucket', 'foo_bucket', 'foo', 'fo', 'foo2']);
  });

  it('treats # EOF as a comment', () => {
    expect(parseExposition('a 1\n# EOF\nb 2\n').samples).toHaveLength(2);
  });

  it('reads integer millisecond timestamps and rejects others', () => {
    expect(parseExposition('a 1 0\nb 1 -5\nc 1 +7\nd 1 9223372036854775807\n').samples.map((s) => s.timestampMs)).toEqual([
      0, -5, 7, 2 ** 63,
    ]);
    expectError('a 1 1.5\n', 1, 5, 'invalid timestamp "1.5"');
    expectError('a 1 1e3\n', 1, 5, 'invalid timestamp "1e3"');
    expectError('a 1 9223372036854775808\n', 1, 5, 'timestamp out of range: "9223372036854775808"');
    expectError('a 1 2 3\n', 1, 7, 'unexpected text after sample');
    expectError('a 1 # {x="y"} 1\n', 1, 5, 'invalid timestamp "#"');
  });

  it('rejects types that are not Prometheus text types', () => {
    expectError('# TYPE a unknown\n', 1, 10, 'invalid metric type "unknown"');
    expectError('# TYPE a info\n', 1, 10, 'invalid metric type "info"');
    expectError('# TYPE a Counter\n', 1, 10, 'invalid metric type "Counter"');
    expectError('# TYPE a\n', 1, 9, 'unexpected end of line');
    expectError('# TYPE a gauge x\n', 1, 16, 'unexpected text after metric type');
    expectError('# TYPE 1a gauge\n', 1, 8, 'invalid metric name');
    expectError('# HELP 1a help\n', 1, 8, 'invalid metric name');
  });
});

describe('parseExposition: numbers', () => {
  const value = (token: string): number | undefined => parseExposition(`a ${token}\n`).samples[0]?.value;

  it('reads the special values as Go ParseFloat does, in any letter case', () => {
    expect(value('NaN')).toBeNaN();
    expect(value('nan')).toBeNaN();
    expect(value('nAn')).toBeNaN();
    for (const t of ['+Inf', 'Inf', 'inf', 'INF', '+inf', 'Infinity', '+infinity', 'INFINITY']) expect(value(t)).toBe(Infinity);
    for (const t of ['-Inf', '-inf', '-Infinity']) expect(value(t)).toBe(-Infinity);
  });

  it('reads decimal forms exactly', () => {
    expect(value('1e3')).toBe(1000);
    expect(value('-0.5')).toBe(-0.5);
    expect(value('.5')).toBe(0.5);
    expect(value('1.')).toBe(1);
    expect(value('+1.5E-3')).toBe(0.0015);
    expect(value('007')).toBe(7);
    expect(Object.is(value('-0'), -0)).toBe(true);
    expect(Object.is(value('-0.0e5'), -0)).toBe(true);
    expect(value('0.1')).toBe(0.1);
    expect(value('1.7976931348623157e308')).toBe(Number.MAX_VALUE);
    expect(value('5e-324')).toBe(5e-324);
    expect(value('1e-400')).toBe(0);
    expect(value('9007199254740993')).toBe(9007199254740992);
    expect(value('123456789012345678901234567890')).toBe(1.2345678901234568e29);
    expect(value('1e00000000000000000001')).toBe(10);
  });

  it('agrees with Number() on many random decimal strings', () => {
    const next = random(42);
    const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');
    for (let i = 0; i < 20000; i++) {
      const sign = ['', '-', '+'][Math.floor(next() * 3)] ?? '';
      const int = digits(Math.floor(next() * 20));
      const frac = next() < 0.6 ? `.${digits(Math.floor(next() * 20))}` : '';
      const exp = next() < 0.4 ? `e${next() < 0.5 ? '-' : ''}${Math.floor(next() * 40)}` : '';
      const token = `${sign}${int === '' && frac.length < 2 ? '1' : int}${frac}${exp}`;
      const got = value(token);
      if (!Object.is(got, Number(token))) expect.fail(`${token}: got ${got}, Number() gives ${Number(token)}`);
    }
  });

  it('rejects what Prometheus rejects', () => {
    for (const token of ['abc', '1.2.3', '0x1F', '0x1p-2', '1_000', '1e', '1e+', '.', '+', '-', 'e5', '+NaN', '-nan', 'Infin', 'infinit', '1,5', '1f', '١']) {
      expect(parseError(`a ${token}\n`).reason, token).toBe(`expected a number, got "${token}"`);
    }
    expectError('a 1e309\n', 1, 3, 'number out of range: "1e309"');
    expectError('a -1e400\n', 1, 3, 'number out of range: "-1e400"');
  });

  it('cuts a huge bad token short in the message', () => {
    const reason = parseError(`a ${'9'.repeat(100)}x\n`).reason;
    expect(reason).toBe(`expected a number, got "${'9'.repeat(40)}…"`);
  });
});

describe('parseExposition: OpenMetrics', () => {
  it('reads UNIT, the OpenMetrics types, float-second timestamps and # EOF', () => {
    const r = om(
      [
        '# TYPE a_seconds counter',
        '# UNIT a_seconds seconds',
        '# HELP a_seconds Help.',
        'a_seconds_total 1 1.5',
        'a_seconds_created 1700000000.123',
        '# TYPE b info',
        'b_info{v="1"} 1',
        '# TYPE c stateset',
        'c{c="x"} 1',
        '# TYPE d gaugehistogram',
        'd_bucket{le="+Inf"} 2 1700000000.123',
        'd_gsum 3',
        'd_gcount 2',
        '# TYPE e unknown',
        'e 1 -1',
        '# EOF',
        '',
      ].join('\n'),
    );
    expect(r.format).toBe('openmetrics');
    expect(Object.fromEntries(r.types)).toEqual({ a_seconds: 'counter', b: 'info', c: 'stateset', d: 'gaugehistogram', e: 'unknown' });
    expect(flat(r.samples)).toEqual([
      ['a_seconds_total', {}, 1, 1500],
      ['a_seconds_created', {}, 1700000000.123, undefined],
      ['b_info', { v: '1' }, 1, undefined],
      ['c', { c: 'x' }, 1, undefined],
      ['d_bucket', { le: '+Inf' }, 2, 1700000000123],
      ['d_gsum', {}, 3, undefined],
      ['d_gcount', {}, 2, undefined],
      ['e', {}, 1, -1000],
    ]);
  });

  it('checks exemplars and drops them', () => {
    const r = om(
      [
        'a_bucket{le="1"} 2 # {trace_id="x"} 1.0 123',
        'a_bucket{le="2"} 3 1.25 # {trace_id="y",span_id="z"} 0.5',
        'a_bucket{le="3"} 4 # {} 7',
        '{"a.b_total"} 5 # {"q.r"="s"} 1 1.5',
        '# EOF',
      ].join('\n'),
    );
    expect(flat(r.samples)).toEqual([
      ['a_bucket', { le: '1' }, 2, undefined],
      ['a_bucket', { le: '2' }, 3, 1250],
      ['a_bucket', { le: '3' }, 4, undefined],
      ['a.b_total', {}, 5, undefined],
    ]);
    const bad = (line: string) => parseError(`${line}\n# EOF\n`, { format: 'openmetrics' });
    expect(bad('a_total 1 # {x="y"}').reason).toBe('unexpected end of line');
    expect(bad('a_total 1 # {x="y"} abc').reason).toBe('expected a number, got "abc"');
    expect(bad('a_total 1 # {x="y"} 1 NaN').reason).toBe('invalid timestamp "NaN"');
    expect(bad('a_total 1 # {x="y"} 1 2 3').reason).toBe('unexpected text after sample');
    expect(bad('a_total 1 # x="y"} 1').reason).toBe('expected "{" to open an exemplar');
    expect(bad('a_total 1 #{x="y"} 1').reason).toBe('expected a blank after "#"');
    expect(bad('a_total 1 # {x="\\"} 1').reason).toBe('unterminated label value');
    expect(bad('a_total 1 # {"name"} 1').reason).toBe('expected a label name');
  });

  it('takes exemplars only on _total and _bucket samples, as Prometheus 2.42 does', () => {
    // 2.43 and later take them on any sample; OpenMetrics 1.0 allows them on counters and buckets.
    expectError('a 1 # {x="y"} 1\n# EOF\n', 1, 5, 'exemplar on a sample whose name ends in neither _total nor _bucket', { format: 'openmetrics' });
    expectError('a_sum 1 1 # {x="y"} 1\n# EOF\n', 1, 11, 'exemplar on a sample whose name ends in neither _total nor _bucket', { format: 'openmetrics' });
    expect(om('# TYPE a gauge\na_bucket 1 # {x="y"} 1\n# EOF\n').samples).toHaveLength(1);
  });

  it('requires # EOF and nothing after it', () => {
    expectError('a 1\n', 2, 1, 'missing # EOF', { format: 'openmetrics' });
    expectError('a 1', 1, 4, 'missing # EOF', { format: 'openmetrics' });
    expectError('a 1\n# EOF\nb 2\n', 3, 1, 'content after # EOF', { format: 'openmetrics' });
    expectError('# EOF x\n', 1, 6, 'unexpected text after # EOF', { format: 'openmetrics' });
    expectError('a 1\n# EOF\n\n', 3, 1, 'content after # EOF', { format: 'openmetrics' });
    expectError('a 1\n# EOF\n  ', 3, 1, 'content after # EOF', { format: 'openmetrics' });
    expectError('a 1\n# EOF \n', 2, 6, 'unexpected text after # EOF', { format: 'openmetrics' });
    expect(om('a 1\n# EOF').samples).toHaveLength(1);
    expect(om('a 1\r\n# EOF\r\n').samples).toHaveLength(1);
    expect(om('# EOF\n').samples).toHaveLength(0);
  });

  it('reads the layout as strictly as Prometheus 2.42 does, where Prometheus text is lenient', () => {
    // Each line: where OpenMetrics fails, and why. The same line reads as Prometheus text.
    const cases: [string, number, string][] = [
      ['', 1, 'blank line'],
      ['\r', 1, 'blank line'],
      [' a 1', 1, 'blank at start of line'],
      ['a  1', 3, 'more than one blank'],
      ['a\t1', 2, 'tab where OpenMetrics has a space'],
      ['a 1 ', 4, 'blank at end of line'],
      ['a 1\t', 4, 'tab where OpenMetrics has a space'],
      ['a 1  2', 5, 'more than one blank'],
      ['a 1 2 ', 6, 'blank at end of line'],
      ['a {b="c"} 1', 3, 'expected a number, got "{b="c"}"'],
      ['a{ b="c"} 1', 3, 'blank in an OpenMetrics label set'],
      ['a{b ="c"} 1', 4, 'blank in an OpenMetrics label set'],
      ['a{b= "c"} 1', 5, 'blank in an OpenMetrics label set'],
      ['a{b="c" } 1', 8, 'blank in an OpenMetrics label set'],
      ['a{b="c",} 1', 9, 'expected a label name after ","'],
      ['{ "a"} 1', 2, 'blank in an OpenMetrics label set'],
      ['{"a" } 1', 5, 'blank in an OpenMetrics label set'],
      ['{"a",} 1', 6, 'expected a label name after ","'],
      ['# a comment', 3, 'expected HELP, TYPE, UNIT or EOF after "#"'],
      ['#a comment', 2, 'expected a blank after "#"'],
      ['#  HELP a x', 3, 'more than one blank'],
      ['# HELP  a x', 8, 'more than one blank'],
      ['# HELP a', 9, 'unexpected end of line'],
      ['# HELP\ta x', 7, 'tab where OpenMetrics has a space'],
      ['# TYPE a  gauge', 10, 'more than one blank'],
      ['# TYPE a gauge ', 15, 'blank at end of line'],
      ['# TYPE a\tgauge', 9, 'tab where OpenMetrics has a space'],
      ['# UNIT a seconds', 10, 'unit is not the end of the metric name'],
      ['# UNIT a_seconds seconds ', 18, 'unit is not the end of the metric name'],
      ['# UNIT seconds seconds', 16, 'unit is not the end of the metric name'],
    ];
    for (const [text, column, reason] of cases) {
      const e = parseError(`${text}\n# EOF\n`, { format: 'openmetrics' });
      expect({ text, line: e.line, column: e.column, reason: e.reason }).toEqual({ text, line: 1, column, reason });
      expect(() => parseExposition(`${text}\n`), text).not.toThrow();
    }
    // What it takes: one space, an empty HELP or UNIT text, a unit after a `_`, CR LF line ends.
    const ok = om('# HELP a \n# UNIT a \n# UNIT _s s\n# UNIT a_b_s s\r\n# TYPE a_b_s gauge\r\na_b_s{x="y"} 1 2\r\n# EOF\r\n');
    expect(flat(ok.samples)).toEqual([['a_b_s', { x: 'y' }, 1, 2000]]);
  });

  it('rejects Prometheus-only types', () => {
    expectError('# TYPE a untyped\n# EOF\n', 1, 10, 'invalid metric type "untyped"', { format: 'openmetrics' });
  });

  it('rejects non-finite timestamps', () => {
    expectError('a 1 +Inf\n# EOF\n', 1, 5, 'invalid timestamp "+Inf"', { format: 'openmetrics' });
    expectError('a 1 1e999\n# EOF\n', 1, 5, 'timestamp out of range: "1e999"', { format: 'openmetrics' });
  });
});

describe('parseExposition: bad input', () => {
  it('reports truncated lines', () => {
    expectError('foo{a="1"', 1, 10, 'unexpected end of input');
    expectError('foo{a="1', 1, 7, 'unterminated label value');
    expectError('foo{a="1\nfoo 2\n', 1, 7, 'unterminated label value');
    expectError('foo{a=', 1, 7, 'unexpected end of input');
    expectError('foo{a', 1, 6, 'unexpected end of input');
    expectError('foo{', 1, 5, 'unexpected end of input');
    expectError('foo', 1, 4, 'unexpected end of input');
    expectError('foo ', 1, 5, 'unexpected end of input');
    expectError('foo\n', 1, 4, 'unexpected end of line');
    expectError('foo{a="1"}\n', 1, 11, 'unexpected end of line');
    expectError('{', 1, 2, 'unexpected end of input');
    expectError('{}', 1, 1, 'missing metric name');
    expectError('{a="b"} 1\n', 1, 1, 'missing metric name');
    expectError('{"a"', 1, 5, 'unexpected end of input');
    expectError('{"a', 1, 2, 'unterminated metric name');
    expect(flat(parseExposition('foo 1').samples)).toEqual([['foo', {}, 1, undefined]]);
  });

  it('reports malformed label sets', () => {
    expectError('a{x="1"y="2"} 1\n', 1, 8, 'expected "," or "}" in label set');
    expectError('a{x} 1\n', 1, 4, 'expected "=" after label name');
    expectError('a{x=1} 1\n', 1, 5, 'expected a quoted label value');
    expectError('a{,} 1\n', 1, 3, 'invalid label name');
    expectError('a{1x="1"} 1\n', 1, 3, 'invalid label name');
    expectError('a{x.y="1"} 1\n', 1, 4, 'expected "=" after label name');
    expectError('a{""="1"} 1\n', 1, 3, 'empty label name');
    expectError('a{"b"} 1\n', 1, 3, 'metric name already set');
    expectError('{"a", "b"} 1\n', 1, 7, 'metric name already set');
    expectError('a{x="1"}} 1\n', 1, 9, 'unexpected character "}" before value');
  });

  it('reports garbage lines', () => {
    expectError('hello world\n', 1, 7, 'expected a number, got "world"');
    expectError('a 1\n!!!\n', 2, 1, 'invalid metric name');
    expectError('a 1\n1abc 1\n', 2, 1, 'invalid metric name');
    expectError('a.b 1\n', 1, 2, 'invalid metric name');
    expectError('a-b 1\n', 1, 2, 'invalid metric name');
    expectError('a=1\n', 1, 2, 'invalid metric name');
    expectError('}\n', 1, 1, 'invalid metric name');
    expectError('a 1\n\rx', 2, 1, 'binary data');
  });

  it('keeps control characters inside a label value, as Prometheus scrapes them (the store shows them as escapes)', () => {
    expect(parseExposition('a{x="a\u0000b\u001b]0;t\u0007\u007f"} 1\n').samples[0]?.labels).toEqual({ x: 'a\u0000b\u001b]0;t\u0007\u007f' });
    expectError('a{x="a\rb"} 1\n', 1, 5, 'unterminated label value');
  });

  it('reports binary data outside label values', () => {
    expectError('a 1\u0000\n', 1, 4, 'binary data');
    expectError('a\u0001 1\n', 1, 2, 'binary data');
    expectError('\u0000\u0001\u0002', 1, 1, 'binary data');
    expectError('a 1\rb 2\n', 1, 4, 'binary data');
    expectError('# TYPE a gauge\u0000\n', 1, 15, 'binary data');
  });

  it('throws only ExpositionError on random bytes', () => {
    const next = random(7);
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 400) }, () => Math.floor(next() * 256)));
      for (const format of ['prometheus', 'openmetrics'] as const) {
        try {
          parseExposition(bytes.toString('latin1'), { format });
        } catch (e) {
          expect(e).toBeInstanceOf(ExpositionError);
        }
      }
    }
  });

  it('throws only ExpositionError on mutations of a valid payload', () => {
    const base = fixture('node-exporter.prom').slice(0, 4000);
    const next = random(11);
    const pieces = ['{', '}', '"', '\\', ',', '=', ' ', '\n', '#', 'x', '1', '.', 'e', '\u0000', '\r', 'é'];
    for (let i = 0; i < 500; i++) {
      const at = Math.floor(next() * base.length);
      const piece = pieces[Math.floor(next() * pieces.length)] ?? '';
      const text = base.slice(0, at) + piece + base.slice(at + (next() < 0.5 ? 1 : 0));
      try {
        parseExposition(text);
      } catch (e) {
        expect(e).toBeInstanceOf(ExpositionError);
      }
    }
  });

  it('wraps failures that are not about the text', () => {
    const e = parseError(undefined as unknown as string);
    expect([e.line, e.column]).toEqual([1, 1]);
    expect(e.reason).toMatch(/^cannot parse: /);
  });

  it('gives line and column of the fault', () => {
    const text = ['# HELP a x', '# TYPE a gauge', 'a{x="1"} 1', '', 'a{x="2"} 2', 'a{x="3",  y=3} 3', 'a 4'].join('\n');
    expectError(text, 6, 13, 'expected a quoted label value');
    const crlf = text.replaceAll('\n', '\r\n');
    expectError(crlf, 6, 13, 'expected a quoted label value');
  });

  it('parses a 5 MB single line', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const r = parseExposition(`a{v="${big}"} 1\n`);
    expect(r.samples[0]?.labels.v?.length).toBe(big.length);
    const escaped = '\\n'.repeat(2 * 1024 * 1024);
    expect(parseExposition(`a{v="${escaped}"} 1`).samples[0]?.labels.v).toBe('\n'.repeat(2 * 1024 * 1024));
    const name = `a${'b'.repeat(5 * 1024 * 1024)}`;
    expect(parseExposition(`${name} 1`).samples[0]?.name.length).toBe(name.length);
  });

  it('fails a 5 MB line of garbage', () => {
    expectError(`a{v="${'x'.repeat(5 * 1024 * 1024)}`, 1, 5, 'unterminated label value');
    expectError(`a ${'9'.repeat(5 * 1024 * 1024)}x`, 1, 3, `expected a number, got "${'9'.repeat(40)}…"`);
    expectError(`${'{'.repeat(5 * 1024 * 1024)}`, 1, 2, 'invalid label name');
    const labels = Array.from({ length: 300_000 }, (_, i) => `l${i}="1"`).join(',');
    const text = `a{${labels},l7="2"} 1`;
    expectError(text, 1, text.indexOf('l7="2"') + 1, 'duplicate label name "l7"');
  });

  it('caps the samples kept with maxSamples', () => {
    expect(parseExposition('a 1\nb 2\n', { maxSamples: 2 }).samples).toHaveLength(2);
    expectError('a 1\nb 2\nc 3\n', 3, 1, 'more than 2 samples', { maxSamples: 2 });
    expect(parseExposition('a 1\nb 2\nc 3\n', { maxSamples: 1, families: new Set(['b']) }).samples).toHaveLength(1);
  });
});

describe('parseExposition: families filter', () => {
  const text = [
    '# TYPE http_request_duration_seconds histogram',
    'http_request_duration_seconds_bucket{le="0.1"} 1',
    'http_request_duration_seconds_bucket{le="+Inf"} 2',
    'http_request_duration_seconds_sum 0.3',
    'http_request_duration_seconds_count 2',
    'http_request_duration_seconds_created 1',
    'http_request_duration_seconds_other 9',
    '# TYPE foo counter',
    'foo_total 5',
    'foo 6',
    'foo_info 7',
    'foo_gsum 8',
    'foo_gcount 9',
    'foobar 10',
    'fo 11',
    '{"foo"} 12',
    '{x="1","foo_total"} 13',
    '{"bar"} 14',
    'bar{x="garbage" y="without a comma is not read"} 15',
    'baz_total{a="1"} 16',
    '',
  ].join('\n');

  it('keeps a family with its suffixed samples and skips the rest, counting every line', () => {
    const r = parseExposition(text, { families: new Set(['http_request_duration_seconds', 'foo', 'baz_total']) });
    expect(r.samples.map((s) => `${s.name} ${s.value}`)).toEqual([
      'http_request_duration_seconds_bucket 1',
      'http_request_duration_seconds_bucket 2',
      'http_request_duration_seconds_sum 0.3',
      'http_request_duration_seconds_count 2',
      'http_request_duration_seconds_created 1',
      'foo_total 5',
      'foo 6',
      'foo_info 7',
      'foo_gsum 8',
      'foo_gcount 9',
      'foo 12',
      'foo_total 13',
      'baz_total 16',
    ]);
    expect(r.samples[12]?.labels).toEqual({ a: '1' });
    expect(r.sampleLines).toBe(18);
    expect(Object.fromEntries(r.types)).toEqual({ http_request_duration_seconds: 'histogram', foo: 'counter' });
  });

  it('keeps nothing for an empty set but still counts the lines and checks the types', () => {
    const r = parseExposition('# TYPE a gauge\na 1\nb{x="y"} 2\n', { families: new Set() });
    expect(r.samples).toEqual([]);
    expect(r.sampleLines).toBe(2);
    expect([...r.types]).toEqual([]);
    expect(() => parseExposition('# TYPE a gauges\na 1\n', { families: new Set() })).toThrow('line 1, column 10: invalid metric type "gauges"');
  });

  it.each([
    ['this is { not metrics', 'line 2, column 15: expected a number, got "metrics"'],
    ['skipped{a="1"}', 'line 2, column 15: unexpected end of line'],
    ['skipped{a="1"} 12abc', 'line 2, column 16: expected a number, got "12abc"'],
  ])('still fails a skipped line that does not end in a number: %j', (line, message) => {
    const payload = `kept 1\n${line}\nkept 2\n`;
    expect(() => parseExposition(payload, { families: new Set(['kept']) })).toThrow(message);
  });

  it('accepts skipped lines that end in a value or a timestamp', () => {
    const payload = 'kept 1\nskipped{a="x y"} 2\nskipped 3 1700000000000\nskipped -Inf\r\nkept 4';
    const r = parseExposition(payload, { families: new Set(['kept']) });
    expect(r.samples.map((s) => s.value)).toEqual([1, 4]);
    expect(r.sampleLines).toBe(5);
  });

  it('follows a families Set that changed between parses', () => {
    const families = new Set(['a']);
    const payload = 'a 1\nb 2\n';
    expect(parseExposition(payload, { families }).samples.map((s) => s.name)).toEqual(['a']);
    families.delete('a');
    families.add('b');
    expect(parseExposition(payload, { families }).samples.map((s) => s.name)).toEqual(['b']);
  });

  it('still fails a garbage line among skipped ones', () => {
    expectError('a 1\n!!garbage\n', 2, 1, 'invalid metric name', { families: new Set(['b']) });
    expectError('a 1\na.b 1\n', 2, 2, 'invalid metric name', { families: new Set(['b']) });
    expectError('a 1\na\n', 2, 2, 'unexpected end of line', { families: new Set(['b']) });
  });

  it('matches what a full parse keeps for the node families', () => {
    const payload = fixture('node-exporter.prom');
    const families = new Set(['node_cpu_seconds', 'node_load1', 'node_memory_MemTotal_bytes', 'node_uname_info', 'go_gc_duration_seconds']);
    const suffixes = ['', '_total', '_bucket', '_sum', '_count', '_created', '_info', '_gsum', '_gcount'];
    const wanted = (name: string) => suffixes.some((s) => name.endsWith(s) && families.has(name.slice(0, name.length - s.length)));
    const full = parseExposition(payload);
    const filtered = parseExposition(payload, { families });
    expect(filtered.samples).toEqual(full.samples.filter((s) => wanted(s.name)));
    expect(filtered.samples.length).toBeGreaterThan(7);
    expect(filtered.sampleLines).toBe(full.sampleLines);
    expect(filtered.types).toEqual(new Map([...full.types].filter(([name]) => wanted(name))));
    expect(filtered.types.get('node_cpu_seconds_total')).toBe('counter');
    expect(filtered.types.get('go_gc_duration_seconds')).toBe('summary');
  });
});

describe('parseExposition: real node_exporter payloads', () => {
  const prom = fixture('node-exporter.prom');

  it('reads every sample line of the text payload', () => {
    const r = parseExposition(prom);
    const sampleLines = prom.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(r.sampleLines).toBe(sampleLines.length);
    expect(r.samples).toHaveLength(sampleLines.length);
    expect(r.types.size).toBe(prom.split('\n').filter((l) => l.startsWith('# TYPE ')).length);
    expect(r.types.get('node_cpu_seconds_total')).toBe('counter');
    expect(r.samples.find((s) => s.name === 'node_load1')?.labels).toEqual({});
  });

  it('gives the same counters, gauges and untyped samples as parse-prometheus-text-format', () => {
    const peerNumber = (v: string | undefined): number =>
      v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v);
    const peer = parsePrometheusTextFormat(prom);
    const simple = new Set(['COUNTER', 'GAUGE', 'UNTYPED']);
    const expected = peer
      .filter((f) => simple.has(f.type))
      .flatMap((f) => f.metrics.map((m) => [f.name, m.labels ?? {}, peerNumber(m.value)]));
    const r = parseExposition(prom);
    // Every family of the fixture has a TYPE line, so a sample named exactly as one is a simple one.
    const kept = r.samples.filter((s) => ['counter', 'gauge', 'untyped'].includes(r.types.get(s.name) ?? ''));
    expect(kept.map((s) => [s.name, { ...s.labels }, s.value])).toEqual(expected);
    expect(expected.length).toBeGreaterThan(400);

    // Histograms and summaries come grouped from the peer: compare how many samples they hold.
    const grouped = peer.filter((f) => !simple.has(f.type));
    expect(grouped.length).toBeGreaterThan(0);
    for (const f of grouped) {
      const peerCount = f.metrics.reduce(
        (n, m) => n + Object.keys(m.buckets ?? m.quantiles ?? {}).length + (m.count === undefined ? 0 : 1) + (m.sum === undefined ? 0 : 1),
        0,
      );
      const ours = r.samples.filter((s) => [f.name, `${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`].includes(s.name));
      expect(ours.length, f.name).toBe(peerCount);
    }
  });

  it('reads the OpenMetrics encoding of the same payload to the same samples', () => {
    // node_exporter 1.5 does not serve OpenMetrics; this fixture is its text payload re-encoded by
    // the Python prometheus_client's OpenMetrics writer.
    const text = fixture('node-exporter.openmetrics.txt');
    expect(text.endsWith('# EOF\n')).toBe(true);
    const r = om(text);
    expect(flat(r.samples)).toEqual(flat(parseExposition(prom).samples));
    expect(r.types.get('node_cpu_seconds')).toBe('counter');
    expect(() => parseExposition(text.replace('# EOF\n', ''), { format: 'openmetrics' })).toThrow('missing # EOF');
  });
});
