/** What the keys do, as a pure function from one UI state to the next (plus what to tell the outside). */
import type { Key } from 'ink';
import { GROUP_BYS, nextGroupBy, type GroupBy } from '../model/groups.js';
import { conditionOf, elsewhere, findBinding, type Action, type Condition, type Scope } from './keys.js';
import { defaultContainerSort, nextContainerSortKey, type ContainerSortState } from '../model/container-sort.js';
import { defaultPodSort, nextPodSortKey, type PodSortState } from '../model/pod-model.js';
import type { PodFigures } from '../../metrics/kube-figures.js';
import { defaultProcessSort, nextProcessSortKey, type ProcessSortState } from '../model/process-model.js';
import { defaultSort, moveSelection, nextSortKey, parseFilter, selectedIndex, type Move, type Selection, type SortState } from '../model/table-model.js';

export interface UiState {
  /** top: the cluster's heaviest processes. */
  readonly view: 'table' | 'detail' | 'top';
  readonly help: boolean;
  readonly selection: Selection;
  readonly sort: SortState;
  /** The applied filter; '' shows every node. While the prompt is open, the prompt's text as long as it parses. */
  readonly filterText: string;
  /** The filter being typed, null when the prompt is closed. */
  readonly prompt: string | null;
  /** The prompt's text is selected (as `/` opens it on the last filter): typing replaces it. */
  readonly promptSelected: boolean;
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
  /** In the table view: the heaviest containers of every node instead of the nodes (`c`). */
  readonly containerTop: boolean;
  readonly containerTopSelection: Selection;
  /** The heaviest containers grouped by compose project (`b` there). */
  readonly containerTopGroup: boolean;
  /** The order of the containers box in a node's detail and of the heaviest containers (`s` in either); kept from node to node. */
  readonly containerSort: ContainerSortState;
  /** The alert panel is shown (when some alert is listed); `a` toggles it. */
  readonly alertPanel: boolean;
  /** The start-up warnings were dismissed (`x`). */
  readonly warningsDismissed: boolean;
  /** First line shown of an app target's metric list. */
  readonly detailScroll: number;
  /** First line shown of the help, when it is longer than the screen. */
  readonly helpScroll: number;
  /** The detail shows the node's processes (`t`); kept from node to node, as the pods pane is. */
  readonly processPane: boolean;
  readonly processSelection: Selection;
  /** The processes pane's and the cluster top's sort. */
  readonly processSort: ProcessSortState;
  readonly processTree: boolean;
  /** Totals by command name instead of single processes. */
  readonly processGroups: boolean;
  /** The processes' filter (a substring), apart from the nodes'. */
  readonly processFilter: string;
  /** What the open prompt filters. */
  readonly promptFor: 'nodes' | 'processes';
  readonly topSelection: Selection;
}

export const INITIAL_UI: UiState = {
  view: 'table',
  help: false,
  selection: { id: null, index: 0 },
  sort: defaultSort('name'),
  filterText: '',
  prompt: null,
  promptSelected: false,
  group: 'none',
  pane: 'charts',
  podSelection: { id: null, index: 0 },
  podSort: defaultPodSort('cpu'),
  containers: false,
  containerTop: false,
  containerTopSelection: { id: null, index: 0 },
  containerTopGroup: false,
  containerSort: defaultContainerSort('cpu'),
  alertPanel: true,
  warningsDismissed: false,
  detailScroll: 0,
  helpScroll: 0,
  processPane: false,
  processSelection: { id: null, index: 0 },
  processSort: defaultProcessSort('cpu'),
  processTree: false,
  processGroups: false,
  processFilter: '',
  promptFor: 'nodes',
  topSelection: { id: null, index: 0 },
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
  /** Some node has GPUs: the GPU sort is offered. */
  readonly gpu?: boolean;
  /** The `--column` names: `s` sorts by them too, after the built-in keys. */
  readonly columns?: readonly string[];
  /** What `b` cycles through (see groupChoices); by default role and zone with `kube`, else nothing. */
  readonly groups?: readonly GroupBy[];
  /** The selected node's pods as last drawn, when it is a Kubernetes node: the pods pane moves over these. */
  readonly pods?: readonly { readonly id: string; readonly pod?: Pick<PodFigures, 'gpus' | 'restarts'> }[];
  /** The heaviest containers as last drawn (their node with each), while `ctop` is shown; undefined when no node has containers. */
  readonly containerTopRows?: readonly { readonly id: string; readonly nodeId: string }[];
  /** The node in the detail has a containers box: `s` sorts it. */
  readonly containerBox?: boolean;
  /** In the detail of an app target: how far its metric list scrolls; the movement keys scroll it. */
  readonly detailScrollMax?: number;
  /** How far the help scrolls at this size; 0 when it fits. */
  readonly helpScrollMax?: number;
  /** A recording is played: `[` and `]` move its clock. */
  readonly replay?: boolean;
  /** How many alerts are listed: `a` shows or hides them. */
  readonly alerts?: number;
  /** How many start-up warnings are shown: `x` dismisses them. */
  readonly warnings?: number;
  /** The scrape interval: `+` and `-` say so at its ends. */
  readonly intervalMs?: number;
  /** The selected node's process rows as last drawn, when it has process figures. */
  readonly processes?: readonly { readonly id: string }[];
  /** Some node shown has process figures: `t` opens the cluster top. */
  readonly anyProcesses?: boolean;
  /** The cluster top's rows as last drawn, each with its node. */
  readonly top?: readonly { readonly id: string; readonly nodeId: string }[];
}

export interface KeyResult {
  readonly state: UiState;
  readonly effect?: KeyEffect;
  /** Why the key did nothing, for the status line a moment. */
  readonly note?: string;
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

/** Where the keys go now: the help, the prompt, or the view shown. */
export function scopeOf(state: UiState, ctx: KeyContext): Scope {
  if (state.help) return 'help';
  if (state.prompt !== null) return 'prompt';
  if (state.view === 'table') return state.containerTop ? 'ctop' : 'table';
  if (state.view === 'top') return 'top';
  if (state.processPane && ctx.processes) return 'processes';
  if (ctx.pods && state.pane === 'pods') return state.containers ? 'containers' : 'pods';
  return ctx.detailScrollMax !== undefined ? 'app' : 'charts';
}

/** Whether a binding's condition holds (see keys.ts). */
export function holds(condition: Condition, state: UiState, ctx: KeyContext): boolean {
  switch (condition) {
    case 'kube':
      return ctx.pods !== undefined;
    case 'groups':
      return (ctx.groups ?? (ctx.kube ? GROUP_BYS : [])).length > 1;
    case 'replay':
      return ctx.replay === true;
    case 'alerts':
      return (ctx.alerts ?? 0) > 0;
    case 'warnings':
      return (ctx.warnings ?? 0) > 0 && !state.warningsDismissed;
    case 'scrolls':
      return (ctx.helpScrollMax ?? 0) > 0;
    case 'containers':
      return ctx.containerTopRows !== undefined;
    case 'containerBox':
      return ctx.containerBox === true;
    case 'filtered':
      return state.filterText !== '';
    case 'processes':
      return state.view === 'table' ? ctx.anyProcesses === true : state.view === 'top' || ctx.processes !== undefined;
  }
}

function moveOf(action: Action, page: number): Move | null {
  switch (action) {
    case 'up':
      return { by: -1 };
    case 'down':
      return { by: 1 };
    case 'page-up':
      return { by: -page };
    case 'page-down':
      return { by: page };
    case 'first':
      return { to: 'first' };
    case 'last':
      return { to: 'last' };
    default:
      return null;
  }
}

function scrolled(from: number, m: Move, max: number): number {
  const to = 'to' in m ? (m.to === 'first' ? 0 : max) : from + m.by;
  return Math.min(Math.max(to, 0), max);
}

function moved(state: UiState, scope: Scope, m: Move, ctx: KeyContext): UiState {
  switch (scope) {
    case 'ctop':
      return { ...state, containerTopSelection: moveSelection(ctx.containerTopRows ?? [], state.containerTopSelection, m) };
    case 'pods':
    case 'containers':
      return { ...state, podSelection: moveSelection(ctx.pods ?? [], state.podSelection, m) };
    case 'processes':
      return { ...state, processSelection: moveSelection(ctx.processes ?? [], state.processSelection, m) };
    case 'top':
      return { ...state, topSelection: moveSelection(ctx.top ?? [], state.topSelection, m) };
    case 'app':
      return { ...state, detailScroll: scrolled(state.detailScroll, m, ctx.detailScrollMax ?? 0) };
    case 'help':
      return { ...state, helpScroll: scrolled(state.helpScroll, m, ctx.helpScrollMax ?? 0) };
    default:
      return { ...state, selection: moveSelection(ctx.rows, state.selection, m) };
  }
}

/**
 * The prompt's text changed: the table follows it as it is typed, as long as it parses; while it
 * does not (a regex half typed), the last filter that did stays.
 */
function drafted(state: UiState, draft: string): UiState {
  if (state.promptFor === 'processes') return { ...state, prompt: draft, promptSelected: false, processFilter: draft.trim() };
  const live = parseFilter(draft).ok ? draft.trim() : state.filterText;
  return { ...state, prompt: draft, promptSelected: false, filterText: live };
}

const SHOWN_MS = (ms: number): string => (ms < 1000 ? `${ms}ms` : `${ms / 1000}s`);

function intervalStep(state: UiState, ctx: KeyContext, effect: 'longer' | 'shorter'): KeyResult {
  if (ctx.intervalMs !== undefined && stepInterval(ctx.intervalMs, effect === 'longer' ? 1 : -1) === null) {
    const note = effect === 'longer' ? `+: ${SHOWN_MS(ctx.intervalMs)} is the longest interval` : `-: ${SHOWN_MS(ctx.intervalMs)} is the shortest interval`;
    return { state, note };
  }
  return { state, effect };
}

/** Enter on a container: its node's detail, that node selected in the table. */
function openContainerNode(state: UiState, ctx: KeyContext): KeyResult {
  const rows = ctx.containerTopRows ?? [];
  const row = rows[selectedIndex(rows, state.containerTopSelection)];
  if (!row) return { state };
  const index = ctx.rows.findIndex((r) => r.id === row.nodeId);
  // A node the filter hides: the table's filter goes, so that the detail's node is one of its rows.
  const filterText = index < 0 ? '' : state.filterText;
  return { state: { ...state, containerTop: false, view: 'detail', detailScroll: 0, filterText, selection: { id: row.nodeId, index: Math.max(0, index) } } };
}

function perform(action: Action, scope: Scope, state: UiState, input: string, ctx: KeyContext): KeyResult {
  const m = moveOf(action, Math.max(1, ctx.pageSize));
  if (m) return { state: moved(state, scope, m, ctx) };
  const pods = scope === 'pods' || scope === 'containers';
  const procs = scope === 'processes' || scope === 'top';
  switch (action) {
    case 'processes':
      if (scope === 'table') return { state: { ...state, view: 'top' } };
      if (scope === 'top') return { state: { ...state, view: 'table' } };
      return { state: { ...state, processPane: scope !== 'processes' } };
    case 'tree':
      return { state: { ...state, processTree: !state.processTree } };
    case 'open':
      if (scope === 'top') return { state: openTop(state, ctx) };
      if (scope === 'ctop') return openContainerNode(state, ctx);
      if (pods) return { state: { ...state, containers: (ctx.pods ?? []).length > 0 } };
      return ctx.rows.length === 0 ? { state } : { state: { ...state, view: 'detail', detailScroll: 0 } };
    case 'back':
      if (scope === 'processes') return { state: { ...state, processPane: false } };
      if (scope === 'ctop') return { state: { ...state, containerTop: false } };
      return { state: scope === 'containers' ? { ...state, containers: false } : { ...state, view: 'table' } };
    case 'unfilter':
      return { state: { ...state, filterText: '' } };
    case 'sort':
      if (scope === 'charts' || scope === 'ctop') return { state: { ...state, containerSort: defaultContainerSort(nextContainerSortKey(state.containerSort.key)) } };
      if (procs) return { state: { ...state, processSort: defaultProcessSort(nextProcessSortKey(state.processSort.key)) } };
      if (pods) return { state: { ...state, podSort: defaultPodSort(nextPodSortKey(state.podSort.key, ctx.pods?.flatMap((r) => (r.pod ? [r.pod] : [])))) } };
      return { state: { ...state, sort: defaultSort(nextSortKey(state.sort.key, ctx.kube, ctx.columns, ctx.gpu)) } };
    case 'reverse':
      if (scope === 'charts' || scope === 'ctop') return { state: { ...state, containerSort: { ...state.containerSort, descending: !state.containerSort.descending } } };
      if (procs) return { state: { ...state, processSort: { ...state.processSort, descending: !state.processSort.descending } } };
      if (pods) return { state: { ...state, podSort: { ...state.podSort, descending: !state.podSort.descending } } };
      return { state: { ...state, sort: { ...state.sort, descending: !state.sort.descending } } };
    case 'filter':
      if (procs) return { state: { ...state, promptFor: 'processes', prompt: state.processFilter, promptSelected: state.processFilter !== '' } };
      return { state: { ...state, promptFor: 'nodes', prompt: state.filterText, promptSelected: state.filterText !== '' } };
    case 'group':
      if (procs) return { state: { ...state, processGroups: !state.processGroups } };
      if (scope === 'ctop') return { state: { ...state, containerTopGroup: !state.containerTopGroup } };
      return { state: { ...state, group: nextGroupBy(state.group, ctx.groups ?? GROUP_BYS) } };
    case 'containerTop':
      return { state: { ...state, containerTop: !state.containerTop } };
    case 'pane':
      return { state: { ...state, pane: state.pane === 'pods' ? 'charts' : 'pods', containers: false } };
    case 'alerts':
      return { state: { ...state, alertPanel: !state.alertPanel } };
    case 'dismiss':
      return { state: { ...state, warningsDismissed: true } };
    case 'pause':
    case 'quit':
    case 'suspend':
      return { state, effect: action };
    case 'seek-back':
      return { state, effect: 'back' };
    case 'seek-forward':
      return { state, effect: 'forward' };
    case 'longer':
    case 'shorter':
      return intervalStep(state, ctx, action);
    case 'help':
      return { state: { ...state, help: true, helpScroll: 0 } };
    case 'type': {
      const draft = state.prompt ?? '';
      return { state: drafted(state, (state.promptSelected ? '' : draft) + input.replace(/[\u0000-\u001f\u007f]/g, '')) };
    }
    case 'erase': {
      const draft = state.prompt ?? '';
      return { state: drafted(state, state.promptSelected ? '' : draft.slice(0, -1)) };
    }
    case 'erase-all':
      return { state: drafted(state, '') };
    case 'unselect':
      return { state: { ...state, promptSelected: false } };
    case 'keep': {
      const draft = state.prompt ?? '';
      if (state.promptFor === 'processes') return { state: { ...state, processFilter: draft.trim(), prompt: null, promptSelected: false } };
      // An invalid regex keeps the prompt open, with its error, until it is mended or cleared.
      return parseFilter(draft).ok ? { state: { ...state, filterText: draft.trim(), prompt: null, promptSelected: false } } : { state };
    }
    case 'clear':
      if (state.promptFor === 'processes') return { state: { ...state, processFilter: '', prompt: null, promptSelected: false } };
      return { state: { ...state, filterText: '', prompt: null, promptSelected: false } };
    case 'close':
      return { state: { ...state, help: false } };
    default:
      return { state };
  }
}

/** Enter in the cluster top: the process's node, in its detail, at its processes, the process selected. */
function openTop(state: UiState, ctx: KeyContext): UiState {
  const top = ctx.top ?? [];
  const line = top[Math.min(Math.max(0, topIndex(top, state.topSelection)), top.length - 1)];
  if (!line) return state;
  const index = ctx.rows.findIndex((r) => r.id === line.nodeId);
  const processId = line.id.slice(line.nodeId.length + 1);
  return {
    ...state,
    view: 'detail',
    processPane: true,
    detailScroll: 0,
    selection: { id: line.nodeId, index: Math.max(0, index) },
    processSelection: { id: processId, index: 0 },
  };
}

function topIndex(rows: readonly { readonly id: string }[], selection: Selection): number {
  const i = selection.id === null ? -1 : rows.findIndex((r) => r.id === selection.id);
  return i >= 0 ? i : selection.index;
}

/** A key press: what the binding table (keys.ts) says it does where it is pressed, and nothing for a key it does not name. */
export function reduceKey(current: UiState, input: string, key: Key, ctx: KeyContext): KeyResult {
  // Until the first key the selection is just "the top row"; from then on it follows its node
  // through sorting, filtering and new data.
  const state = ctx.rows.length > 0 ? { ...current, selection: moveSelection(ctx.rows, current.selection, { by: 0 }) } : current;
  const scope = scopeOf(state, ctx);
  const found = findBinding(scope, input, key);
  if (!found) {
    // A key of another view says where it works; in the prompt and the help, keys are text or close it.
    const note = scope === 'prompt' || scope === 'help' ? undefined : elsewhere(input, key);
    return note ? { state, note } : { state };
  }
  const { binding, press } = found;
  // Quit and suspend change nothing: no new state, so no frame is drawn as the terminal is given back.
  if (press.does === 'quit' || press.does === 'suspend') return { state: current, effect: press.does };
  const condition = conditionOf(binding, scope);
  if (condition && !holds(condition, state, ctx)) return binding.unless ? { state, note: binding.unless } : { state };
  return perform(press.does, scope, state, input, ctx);
}
