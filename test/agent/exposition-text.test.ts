import { describe, expect, it } from 'vitest';
import { renderExposition } from '../../src/agent/exposition-text.js';
import { exposureWarning } from '../../src/agent/run-agent.js';
import { parseExposition } from '../../src/exposition/parser.js';

describe('exposition text', () => {
  it('escapes label values and HELP, writes special values, and reads back as written', () => {
    const text = renderExposition([
      { name: 'x_info', help: 'a \\ help\nwith a newline', type: 'gauge', samples: [{ labels: { path: 'C:\\dir "quoted"\nnext' }, value: 1 }] },
      { name: 'y_total', help: 'counts', type: 'counter', samples: [{ labels: {}, value: NaN }, { labels: { k: 'a' }, value: Infinity }, { labels: { k: 'b' }, value: -Infinity }, { labels: { k: 'c' }, value: 1.795241682e9 }] },
    ]);
    expect(text).toBe(
      [
        '# HELP x_info a \\\\ help\\nwith a newline',
        '# TYPE x_info gauge',
        'x_info{path="C:\\\\dir \\"quoted\\"\\nnext"} 1',
        '# HELP y_total counts',
        '# TYPE y_total counter',
        'y_total NaN',
        'y_total{k="a"} +Inf',
        'y_total{k="b"} -Inf',
        'y_total{k="c"} 1795241682',
        '',
      ].join('\n'),
    );
    const parsed = parseExposition(text);
    expect(parsed.samples[0]!.labels.path).toBe('C:\\dir "quoted"\nnext');
    expect(parsed.samples.map((s) => s.value)).toEqual([1, NaN, Infinity, -Infinity, 1795241682]);
  });
});

describe('a label value with a carriage return', () => {
  it('is written as the visible \\r, so that the payload stays readable', () => {
    const text = renderExposition([{ name: 'p_info', help: 'p', type: 'gauge', samples: [{ labels: { args: 'a\rb\\r' }, value: 1 }] }]);
    expect(text).toContain('p_info{args="a\\\\rb\\\\r"} 1\n');
    expect(parseExposition(text).samples[0]!.labels.args).toBe('a\\rb\\r');
  });
});

describe('agent start-up warnings', () => {
  it('warns beyond loopback only, and says what the token does not protect', () => {
    expect(exposureWarning('127.0.0.1', false)).toBeUndefined();
    expect(exposureWarning('::1', true)).toBeUndefined();
    expect(exposureWarning('0.0.0.0', false)).toMatch(/without --token-file: anyone who can reach the port/);
    expect(exposureWarning('10.0.0.5', true)).toMatch(/^listening on 10\.0\.0\.5 over plain HTTP: the token and the metrics cross the network unencrypted$/);
  });
});
