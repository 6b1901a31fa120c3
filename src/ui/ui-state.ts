/** What the keys do, as a pure function from one UI state to the next (plus what to tell the outside). */
import type { Key } from 'ink';
import { GROUP_BYS, nextGroupBy, type GroupBy } from './groups.js';
import { defaultPodSort, nextPodSortKey, type PodSortState } from './pod-model.js';
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
  /** Header rows in the table; offered when some node has Kubernetes info or target labels. */
  readonly group: GroupBy;
  /**
   * Below a Kubernetes node's facts: its charts or its pods. Kept when going back to the table,
   * so the pods of one node after another are Enter, Esc, j, Enter.
   */
  readonly pane: 'charts' | 'pods';
  readonly podSelection: Selection;
  readonly podSort: PodSortState;
  /** The selected pod's containers instead of the pod list. */
  readonly containers: boolean;
  /** The alert panel is shown (when some alert is listed); `a` toggles it. */
  readonly alertPanel: boolean;
  /** First line shown of an app target's metric list. */
  readonly detailScroll: number;
}

export const INITIAL_UI: UiState = {
  view: 'table',
  help: false,
  selection: { id: null, index: 0 },
  sort: defaultSort('name'),
  filterText: '',
  prompt: null,
  group: 'none',
  pane: 'charts',
  podSelection: { id: null, index: 0 },
  podSort: defaultPodSort('cpu'),
  containers: false,
  alertPanel: true,
  detailScroll: 0,
};

/** longer/shorter: the scrape interval's next step up or down. */
export type KeyEffect = 'quit' | 'suspend' | 'pause' | 'longer' | 'shorter' | 'back' | 'forward';

export interface KeyContext {
  /** The rows as last drawn, in order: selection moves over these. */
  readonly rows: readonly { readonly id: string }[];
  /** Rows a page moves: the table's, or the pod list's while it is shown. */
  readonly pageSize: number;
  /** Some node has Kubernetes info: the pods sort is offered. */
  readonly kube?: boolean;
  /** The `--column` names: `s` sorts by them too, after the built-in keys. */
  readonly columns?: readonly string[];
  /** What `b` cycles through (see groupChoices); by default role and zone with `kube`, else nothing. */
  readonly groups?: readonly GroupBy[];
  /** The selected node's pods as last drawn, when it is a Kubernetes node: the pods pane moves over these. */
  readonly pods?: readonly { readonly id: string }[];
  /** In the detail of an app target: how far its metric list scrolls; the movement keys scroll it. */
  readonly detailScrollMax?: number;
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

/** A movement key as a move of `page` rows, or null when the key moves nothing. */
function movement(input: string, key: Key, page: number): Move | null {
  if (key.upArrow || input === 'k') return { by: -1 };
  if (key.downArrow || input === 'j') return { by: 1 };
  if (key.pageUp) return { by: -page };
  if (key.pageDown) return { by: page };
  if (key.home || input === 'g') return { to: 'first' };
  if (key.end || input === 'G') return { to: 'last' };
  return null;
}

/** Keys of a Kubernetes node's detail; null for the keys it shares with the table. */
function kubeDetailKey(state: UiState, input: string, key: Key, pods: readonly { readonly id: string }[], page: number): KeyResult | null {
  if (key.tab) return { state: { ...state, pane: state.pane === 'pods' ? 'charts' : 'pods', containers: false } };
  if (state.pane !== 'pods') return null;
  const m = movement(input, key, page);
  if (m) return { state: { ...state, podSelection: moveSelection(pods, state.podSelection, m) } };
  if (key.return || key.rightArrow) return { state: { ...state, containers: pods.length > 0 } };
  if (key.escape || key.leftArrow || key.backspace || key.delete) {
    return { state: state.containers ? { ...state, containers: false } : { ...state, view: 'table' } };
  }
  if (input === 's') return { state: { ...state, podSort: defaultPodSort(nextPodSortKey(state.podSort.key)) } };
  if (input === 'S') return { state: { ...state, podSort: { ...state.podSort, descending: !state.podSort.descending } } };
  return null;
}

function scrolled(from: number, m: Move, max: number): number {
  const to = 'to' in m ? (m.to === 'first' ? 0 : max) : from + m.by;
  return Math.min(Math.max(to, 0), max);
}

export function reduceKey(current: UiState, input: string, key: Key, ctx: KeyContext): KeyResult {
  if (key.ctrl && input === 'c') return { state: current, effect: 'quit' };
  if (key.ctrl && input === 'z') return { state: current, effect: 'suspend' };
  // Until the first key the selection is just "the top row"; from then on it follows its node
  // through sorting, filtering and new data.
  const state = ctx.rows.length > 0 ? { ...current, selection: moveSelection(ctx.rows, current.selection, { by: 0 }) } : current;
  if (state.help) return { state: { ...state, help: false } };
  if (state.prompt !== null) return promptKey(state, state.prompt, input, key);
  const page = Math.max(1, ctx.pageSize);
  if (state.view === 'detail' && ctx.pods) {
    const result = kubeDetailKey(state, input, key, ctx.pods, page);
    if (result) return result;
  }
  const m = movement(input, key, page);
  if (m && state.view === 'detail' && ctx.detailScrollMax !== undefined) return { state: { ...state, detailScroll: scrolled(state.detailScroll, m, ctx.detailScrollMax) } };
  if (m) return move(state, ctx, m);
  if (key.return || key.rightArrow) {
    return ctx.rows.length === 0 ? { state } : { state: { ...state, view: 'detail', detailScroll: 0 } };
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
    case 'a':
      return { state: { ...state, alertPanel: !state.alertPanel } };
    case 's':
      return { state: { ...state, sort: defaultSort(nextSortKey(state.sort.key, ctx.kube, ctx.columns)) } };
    case 'b': {
      const groups = ctx.groups ?? (ctx.kube ? GROUP_BYS : []);
      return groups.length > 1 ? { state: { ...state, group: nextGroupBy(state.group, groups) } } : { state };
    }
    case 'S':
      return { state: { ...state, sort: { ...state.sort, descending: !state.sort.descending } } };
    case '/':
      return { state: { ...state, prompt: state.filterText } };
    case 'p':
      return { state, effect: 'pause' };
    case '[':
      return { state, effect: 'back' };
    case ']':
      return { state, effect: 'forward' };
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
