import { describe, expect, it } from 'vitest';
import { hasUnsafe, replaceUnsafe, visible, visibleJson, visibleList, visibleRecord } from '../../src/util/visible-text.js';

/** Every character a terminal acts on or that hides or reorders text, by block. */
const UNSAFE_CODES = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
  0x061c,
  ...Array.from({ length: 5 }, (_, i) => 0x200b + i),
  ...Array.from({ length: 7 }, (_, i) => 0x2028 + i),
  ...Array.from({ length: 10 }, (_, i) => 0x2060 + i),
  0xfeff,
];

describe('visible', () => {
  it.each([
    ['evil\nFAKE-ROW', 'evil\\nFAKE-ROW'],
    ['a\tb\rc', 'a\\tb\\rc'],
    ['\u001b]0;title\u0007', '\\x1b]0;title\\x07'],
    ['\u001b]52;c;cHduZWQ=\u0007', '\\x1b]52;c;cHduZWQ=\\x07'],
    ['\u009b31m', '\\u009b31m'],
    ['admin\u202egnp.exe', 'admin\\u202egnp.exe'],
    ['zero\u200bwidth', 'zero\\u200bwidth'],
    ['nul\u0000del\u007f', 'nul\\x00del\\x7f'],
    ['\u2066isolate\u2069', '\\u2066isolate\\u2069'],
    ['bom\ufeff', 'bom\\ufeff'],
  ])('shows %j as %j', (input, shown) => {
    expect(visible(input)).toBe(shown);
    expect(hasUnsafe(visible(input))).toBe(false);
  });

  it('replaces every character of the unsafe blocks, and nothing else of the BMP', () => {
    const unsafe = new Set(UNSAFE_CODES);
    const wrong: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      const shown = visible(ch);
      const right = unsafe.has(code) ? hasUnsafe(ch) && /^\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[ntr])$/.test(shown) : !hasUnsafe(ch) && shown === ch;
      if (!right) wrong.push(`U+${code.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('keeps ordinary text as the same string, and is idempotent', () => {
    const name = 'gke-prod-default-pool-3f2a9c1e-x7kq ünïcode 日本 \\n';
    expect(visible(name)).toBe(name);
    const once = visible('a\u001b[2Jb');
    expect(visible(once)).toBe(once);
  });

  it('returns the same record and list when nothing needs it, and visible copies otherwise', () => {
    const labels = { job: 'node', zone: 'eu-west-1a' };
    expect(visibleRecord(labels)).toBe(labels);
    expect(visibleRecord({ 'a\nb': 'c\u001bd' })).toEqual({ 'a\\nb': 'c\\x1bd' });
    const list = ['x', 'y'];
    expect(visibleList(list)).toBe(list);
    expect(visibleList(['x', '\u0085'])).toEqual(['x', '\\u0085']);
  });

  it('writes JSON whose strings, keys included, hold no unsafe character once decoded', () => {
    const text = visibleJson({ name: 'a\u001b]0;t\u0007', nested: [{ 'k\u202e': 'v\n' }], n: 1, nil: null });
    const decoded: unknown = JSON.parse(text);
    expect(decoded).toEqual({ name: 'a\\x1b]0;t\\x07', nested: [{ 'k\\u202e': 'v\\n' }], n: 1, nil: null });
  });

  it('replaceUnsafe keeps the width: one U+FFFD for one character', () => {
    expect(replaceUnsafe('a\u001bb\u009bc')).toBe('a\ufffdb\ufffdc');
    expect(replaceUnsafe('plain')).toBe('plain');
  });
});
