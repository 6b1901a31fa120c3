/** The help screen and the footer, both drawn from the binding table. */
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { hintLine, hintsFor, helpLines, helpScrollMax, wrapWords } from '../../src/ui/render/help.js';
import { BINDINGS, SCOPES, type Condition } from '../../src/ui/input/keys.js';
import { lineText } from '../../src/ui/render/segments.js';
import { buildStore, frameLines, NOW, tick } from './fixtures.js';
import { renderSized, type SizedRender } from './terminal.js';

let current: SizedRender | undefined;
afterEach(() => current?.unmount());

const DOWN = '\u001B[B';
const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** A frame's text in reading order: the help's columns (split at " │ ") one after the other. */
function readingText(frame: string): string {
  const lines = frameLines(frame);
  const columns = Math.max(...lines.map((l) => l.split(' │ ').length));
  const text: string[] = [];
  for (let c = 0; c < columns; c++) for (const l of lines) text.push(l.split(' │ ')[c] ?? '');
  return collapse(text.join(' '));
}

describe('the help screen', () => {
  for (const [columns, rows] of [[80, 24], [60, 15], [200, 60]] as const) {
    it(`shows every binding's keys and full text at ${columns}x${rows}, scrolling with ↓ when it does not fit`, async () => {
      current = renderSized(<App store={buildStore(5)} intervalMs={1000} onQuit={() => {}} now={() => NOW} color={false} />, columns, rows);
      await tick();
      current.stdin.write('?');
      await tick();
      const frames = [current.lastFrame() ?? ''];
      // "lines 1-18 of 39" while it scrolls; at most one press a line.
      for (let i = 0; i < 100 && !/lines \d+-(\d+) of \1\b/.test(frames.at(-1) ?? '') && /lines \d+-\d+ of/.test(frames.at(-1) ?? ''); i++) {
        current.stdin.write(DOWN);
        await tick();
        frames.push(current.lastFrame() ?? '');
      }
      if (columns === 200) expect(frames).toHaveLength(1);
      else expect(frames.length).toBeGreaterThan(1);
      for (const frame of frames) {
        expect(frame).toContain('Keys');
        for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(columns);
        const body = frameLines(frame).slice(3, -2);
        for (const line of body) expect(line, 'nothing is cut').not.toContain('…');
      }
      const texts = frames.map(readingText);
      for (const b of BINDINGS) {
        const shown = texts.some((t) => t.includes(collapse(b.text)) && b.keys.every((k) => t.includes(k)));
        expect(shown, `${b.keys.join(' ')}  ${b.text}`).toBe(true);
      }
      // Any other key closes it.
      current.stdin.write('x');
      await tick();
      expect(current.lastFrame()).not.toContain('Keys');
    });
  }

  it('is laid out in columns when they fit, and scrolls otherwise', () => {
    expect(helpScrollMax(200, 55)).toBe(0);
    expect(helpScrollMax(120, 40)).toBe(0);
    expect(lineText(helpLines(120, 40)[2] ?? [])).toContain(' │ ');
    expect(helpScrollMax(80, 19)).toBeGreaterThan(0);
    const last = helpLines(80, 19, 1000).map(lineText);
    expect(last[0]).toMatch(/lines \d+-(\d+) of \1 /);
    expect(last.at(-1)).toContain('click');
    for (const [w, h] of [[80, 19], [60, 10], [40, 10], [200, 55], [120, 40]] as const) {
      const lines = helpLines(w, h);
      expect(lines.length).toBeLessThanOrEqual(h);
      for (const l of lines) expect(lineText(l)).toHaveLength(w);
    }
  });

  it('wraps words, cutting only a word longer than the line', () => {
    expect(wrapWords('filter as you type: text, /regex/', 12)).toEqual(['filter as', 'you type:', 'text,', '/regex/']);
    expect(wrapWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('the footer', () => {
  const all = (): boolean => true;

  it('never cuts a hint: each is whole or left out, the least important first', () => {
    for (const scope of SCOPES) {
      const hints = hintsFor(scope, all).map((h) => `${h.keys} ${h.label}`);
      for (let width = 0; width <= 130; width++) {
        const text = lineText(hintLine(width, scope, all));
        expect(text).toHaveLength(width);
        const shown = text.trim() === '' ? [] : text.trim().split('  ');
        expect(shown, `${scope} at ${width}`).toEqual(hints.slice(0, shown.length));
      }
    }
    expect(lineText(hintLine(80, 'table', all)).trim()).toBe('q quit  ? help  Enter detail  / filter  Esc unfilter  s/S sort  b group  t top');
  });

  it('shows a key only where it does something: a with alerts, b with labels, [ ] in a replay, Tab for a Kubernetes node', () => {
    const only = (...held: Condition[]) => (c: Condition): boolean => held.includes(c);
    const table = lineText(hintLine(200, 'table', only()));
    for (const hint of ['q quit', '? help', 'Enter detail', '/ filter', '↑↓ move', 's/S sort', 'p pause', '+- interval']) expect(table).toContain(hint);
    for (const hint of ['a alerts', 'b group', '[] seek', 'Tab', 'unfilter']) expect(table).not.toContain(hint);
    const rich = lineText(hintLine(200, 'table', only('alerts', 'groups', 'replay', 'filtered')));
    for (const hint of ['a alerts', 'b group', '[] seek', 'Esc unfilter']) expect(rich).toContain(hint);
    expect(lineText(hintLine(200, 'charts', only()))).not.toContain('Tab');
    expect(lineText(hintLine(200, 'charts', only('kube')))).toContain('Tab pods');
    expect(lineText(hintLine(200, 'pods', only('kube')))).toContain('Tab charts');
    expect(lineText(hintLine(200, 'containers', only('kube')))).toContain('Esc pods');
    expect(lineText(hintLine(200, 'app', only()))).toContain('↑↓ scroll');
    expect(lineText(hintLine(200, 'prompt', only())).trim()).toBe('Esc clear  Enter keep  Ctrl-U erase');
    expect(lineText(hintLine(200, 'help', only())).trim()).toBe('other keys close');
    expect(lineText(hintLine(200, 'help', only('scrolls'))).trim()).toBe('↑↓ scroll  other keys close');
  });
});
