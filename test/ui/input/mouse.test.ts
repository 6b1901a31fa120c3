import { describe, expect, it } from 'vitest';
import { MouseInput, parseMouse, reduceMouse, WHEEL_ROWS, type MouseContext } from '../../../src/ui/input/mouse.js';

const isReport = (input: string): boolean => new MouseInput().take(input).report;
import { INITIAL_UI, type UiState } from '../../../src/ui/input/ui-state.js';

describe('parseMouse (xterm SGR reports, as ink passes them on)', () => {
  it('reads the wheel and left clicks, 0-based', () => {
    expect(parseMouse('[<64;10;5M')).toEqual({ kind: 'wheel', direction: -1 });
    expect(parseMouse('[<65;10;5M')).toEqual({ kind: 'wheel', direction: 1 });
    // With Shift, Meta or Control held.
    expect(parseMouse('[<69;1;1M')).toEqual({ kind: 'wheel', direction: 1 });
    expect(parseMouse('[<0;3;8M')).toEqual({ kind: 'click', column: 2, row: 7 });
    expect(parseMouse('\u001B[<0;3;8M')).toEqual({ kind: 'click', column: 2, row: 7 });
    expect(parseMouse('[<16;3;8M')).toEqual({ kind: 'click', column: 2, row: 7 });
  });

  it('ignores releases, other buttons and motion, yet knows them as reports', () => {
    for (const report of ['[<0;3;8m', '[<1;3;8M', '[<2;3;8M', '[<32;3;8M', '[<35;3;8M', '[<0;0;8M']) {
      expect(parseMouse(report), report).toBeUndefined();
      expect(isReport(report), report).toBe(true);
    }
  });

  it('is nothing for keys and other sequences', () => {
    for (const input of ['q', 'j', '[A', '[<0;3M', '[<a;3;8M', '[0;3;8M', '[<0;3;8Mx']) {
      expect(parseMouse(input), input).toBeUndefined();
      expect(isReport(input), input).toBe(false);
    }
  });
});

describe('MouseInput', () => {
  it('takes SGR reports whole and passes everything else on as keys', () => {
    const mouse = new MouseInput();
    expect(mouse.take('[<65;2;3M')).toEqual({ report: true, event: { kind: 'wheel', direction: 1 }, rest: '' });
    expect(mouse.take('[<0;2;3m')).toEqual({ report: true, rest: '' });
    expect(mouse.take('jq')).toEqual({ report: false, rest: 'jq' });
  });

  it('takes X10 reports, whole or in pieces, so that their bytes are never keys', () => {
    const mouse = new MouseInput();
    const x10 = (code: number, column: number, row: number): string => String.fromCharCode(code + 32, column + 32, row + 32);
    // A click in column 81 has 'q' as its column byte: it must not quit.
    expect(mouse.take('[M')).toEqual({ report: true, rest: '' });
    expect(mouse.take(x10(0, 81, 5))).toEqual({ report: true, event: { kind: 'click', column: 80, row: 4 }, rest: '' });
    expect(x10(0, 81, 5)[1]).toBe('q');
    mouse.take('\u001B[M');
    expect(mouse.take(x10(3, 81, 5).slice(0, 1))).toEqual({ report: true, rest: '' });
    expect(mouse.take(`${x10(3, 81, 5).slice(1)}j`)).toEqual({ report: true, rest: 'j' });
    mouse.take('[M');
    expect(mouse.take(`${x10(65, 1, 1)}`)).toMatchObject({ event: { kind: 'wheel', direction: 1 } });
    expect(mouse.take('q')).toEqual({ report: false, rest: 'q' });
  });
});

const rows = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => ({ id }));
const state = (s: Partial<UiState> = {}): UiState => ({ ...INITIAL_UI, selection: { id: 'a', index: 0 }, ...s });
// The table's rows start on screen row 3: a group header, then b, c, d.
const ctx: MouseContext = { rows, pageSize: 4, table: { top: 3, shown: [{ id: 'group:x' }, ...rows.slice(1, 4)] } };

describe('reduceMouse', () => {
  it('moves the selection by a few rows per wheel notch, as the arrows do', () => {
    const down = reduceMouse(state(), { kind: 'wheel', direction: 1 }, ctx).state;
    expect(down.selection).toEqual({ id: rows[WHEEL_ROWS]!.id, index: WHEEL_ROWS });
    expect(reduceMouse(down, { kind: 'wheel', direction: -1 }, ctx).state.selection).toEqual({ id: 'a', index: 0 });
    expect(reduceMouse(state(), { kind: 'wheel', direction: -1 }, ctx).state.selection).toEqual({ id: 'a', index: 0 });
  });

  it('scrolls a detail that scrolls, and leaves the table selection alone there', () => {
    const detail = state({ view: 'detail', detailScroll: 0 });
    const scrolled = reduceMouse(detail, { kind: 'wheel', direction: 1 }, { ...ctx, detailScrollMax: 10, table: undefined }).state;
    expect(scrolled.detailScroll).toBe(WHEEL_ROWS);
    expect(scrolled.selection).toEqual(detail.selection);
  });

  it('scrolls the help when it is longer than the screen, and never closes it', () => {
    const help = state({ help: true });
    expect(reduceMouse(help, { kind: 'wheel', direction: 1 }, { ...ctx, helpScrollMax: 10 }).state).toMatchObject({ help: true, helpScroll: WHEEL_ROWS });
    expect(reduceMouse(help, { kind: 'wheel', direction: 1 }, ctx).state).toMatchObject({ help: true, helpScroll: 0 });
  });

  it('selects the node clicked, and opens the detail of the selected one', () => {
    const clicked = reduceMouse(state(), { kind: 'click', column: 5, row: 5 }, ctx).state;
    expect(clicked.selection).toEqual({ id: 'c', index: 2 });
    expect(clicked.view).toBe('table');
    expect(reduceMouse(clicked, { kind: 'click', column: 40, row: 5 }, ctx).state.view).toBe('detail');
  });

  it('ignores clicks on a group header, past the rows, above the table, with the prompt or help open', () => {
    for (const row of [3, 7, 0, 2]) expect(reduceMouse(state(), { kind: 'click', column: 1, row }, ctx).state, `row ${row}`).toEqual(state());
    const prompt = state({ prompt: 'we' });
    expect(reduceMouse(prompt, { kind: 'click', column: 1, row: 4 }, ctx).state).toBe(prompt);
    expect(reduceMouse(prompt, { kind: 'wheel', direction: 1 }, ctx).state).toBe(prompt);
    const help = state({ help: true });
    expect(reduceMouse(help, { kind: 'click', column: 1, row: 4 }, ctx).state).toBe(help);
    expect(reduceMouse(state({ view: 'detail' }), { kind: 'click', column: 1, row: 4 }, { ...ctx, table: undefined }).state.view).toBe('detail');
  });
});
