/** What the keys do, as a pure function from one UI state to the next (plus what to tell the outside). */
import type { Key } from 'ink';
import { defaultSort, moveSelection, nextSortKey, parseFilter, type Move, type Selection, type SortState } from './table-model.js';

export interface UiState {
  readonly view: 'table' | 'detail';
  readonly help: boolean;
  readonly selection: Selection;
  readonly sort: SortState;
  /** The applied filter; '' shows every node. */
  readonly filterText: string;
  /** The filter being typed, null when the prompt is closed. */
  readonly prompt: string | null;
}

export const INITIAL_UI: UiState = {
  view: 'table',
  help: false,
  selection: { id: null, index: 0 },
  sort: defaultSort('name'),
  filterText: '',
  prompt: null,
};

/** longer/shorter: the scrape interval's next step up or down. */
export type KeyEffect = 'quit' | 'pause' | 'longer' | 'shorter';

export interface KeyContext {
  /** The rows as last drawn, in order: selection moves over these. */
  readonly rows: readonly { readonly id: string }[];
  readonly pageSize: number;
}

export interface KeyResult {
  readonly state: UiState;
  readonly effect?: KeyEffect;
}

export const INTERVAL_STEPS = [500, 1000, 2000, 5000, 10_000, 30_000, 60_000] as const;

/** The next step above (+1) or below (-1) `ms`, or null at the end of the steps. */
export function stepInterval(ms: number, direction: 1 | -1): number | null {
  if (direction > 0) return INTERVAL_STEPS.find((s) => s > ms) ?? null;
  return [...INTERVAL_STEPS].reverse().find((s) => s < ms) ?? null;
}

/**
 * Characters typed faster than they are read, or pasted, arrive as one input ("j\r"); each is
 * one key press here, so nothing is lost and a pasted filter is typed as if by hand.
 */
export function splitKeys(input: string, key: Key): [string, Key][] {
  const chars = [...input];
  if (chars.length <= 1) return [[input, key]];
  const plain: Key = { ...key, return: false, delete: false, backspace: false, ctrl: false, shift: false };
  return chars.map((ch): [string, Key] => {
    if (ch === '\r' || ch === '\n') return ['', { ...plain, return: true }];
    if (ch === '\u007f') return ['', { ...plain, delete: true }];
    if (ch === '\b') return ['', { ...plain, backspace: true }];
    if (ch === '\t') return ['', { ...plain, tab: true }];
    if (ch < ' ') return [String.fromCharCode(ch.charCodeAt(0) + 96), { ...plain, ctrl: true }];
    return [ch, { ...plain, shift: /[A-Z]/.test(ch) }];
  });
}

function promptKey(state: UiState, draft: string, input: string, key: Key): KeyResult {
  if (key.return) {
    return parseFilter(draft).ok ? { state: { ...state, filterText: draft.trim(), prompt: null } } : { state };
  }
  if (key.escape) return { state: { ...state, filterText: '', prompt: null } };
  // ink reports the usual Backspace byte (0x7f) as delete.
  if (key.backspace || key.delete) return { state: { ...state, prompt: draft.slice(0, -1) } };
  if (key.ctrl || key.meta || key.tab) return { state };
  const printable = input.replace(/[\u0000-\u001f\u007f]/g, '');
  return printable ? { state: { ...state, prompt: draft + printable } } : { state };
}

function move(state: UiState, ctx: KeyContext, m: Move): KeyResult {
  return { state: { ...state, selection: moveSelection(ctx.rows, state.selection, m) } };
}

export function reduceKey(current: UiState, input: string, key: Key, ctx: KeyContext): KeyResult {
  if (key.ctrl && input === 'c') return { state: current, effect: 'quit' };
  // Until the first key the selection is just "the top row"; from then on it follows its node
  // through sorting, filtering and new data.
  const state = ctx.rows.length > 0 ? { ...current, selection: moveSelection(ctx.rows, current.selection, { by: 0 }) } : current;
  if (state.help) return { state: { ...state, help: false } };
  if (state.prompt !== null) return promptKey(state, state.prompt, input, key);
  const page = Math.max(1, ctx.pageSize);
  if (key.upArrow || input === 'k') return move(state, ctx, { by: -1 });
  if (key.downArrow || input === 'j') return move(state, ctx, { by: 1 });
  if (key.pageUp) return move(state, ctx, { by: -page });
  if (key.pageDown) return move(state, ctx, { by: page });
  if (key.home || input === 'g') return move(state, ctx, { to: 'first' });
  if (key.end || input === 'G') return move(state, ctx, { to: 'last' });
  if (key.return || key.rightArrow) {
    return ctx.rows.length === 0 ? { state } : { state: { ...state, view: 'detail' } };
  }
  if (key.escape || key.leftArrow || key.backspace || key.delete) {
    if (state.view === 'detail') return { state: { ...state, view: 'table' } };
    return key.escape && state.filterText ? { state: { ...state, filterText: '' } } : { state };
  }
  switch (input) {
    case 'q':
      return { state, effect: 'quit' };
    case '?':
      return { state: { ...state, help: true } };
    case 's':
      return { state: { ...state, sort: defaultSort(nextSortKey(state.sort.key)) } };
    case 'S':
      return { state: { ...state, sort: { ...state.sort, descending: !state.sort.descending } } };
    case '/':
      return { state: { ...state, prompt: state.filterText } };
    case 'p':
      return { state, effect: 'pause' };
    case '+':
    case '=':
      return { state, effect: 'longer' };
    case '-':
    case '_':
      return { state, effect: 'shorter' };
    default:
      return { state };
  }
}
