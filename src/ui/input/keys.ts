/**
 * Every key binding, in one table (as k9s keeps one key-action table behind its hints and its
 * help): reduceKey answers to these presses and to nothing else, and the help screen, the footer
 * hints and the key table of docs/reference.md are all drawn from it.
 */
import type { Key } from 'ink';

/** Where the keyboard is: one of the views, the filter prompt, or the help screen. */
export type Scope = 'table' | 'charts' | 'app' | 'pods' | 'containers' | 'processes' | 'top' | 'ctop' | 'prompt' | 'help';
/**
 * The views: the table, a node's detail (its charts, an app target's metrics, a Kubernetes node's
 * pods or a pod's containers, its processes), the cluster's heaviest processes (top) and its
 * heaviest containers (ctop).
 */
export const VIEWS: readonly Scope[] = ['table', 'charts', 'app', 'pods', 'containers', 'processes', 'top', 'ctop'];
/** A node's detail, where `t` opens its processes. */
const DETAILS: readonly Scope[] = ['charts', 'app', 'pods', 'containers'];
export const SCOPES: readonly Scope[] = [...VIEWS, 'prompt', 'help'];

/**
 * What must hold for a binding to do anything where it applies; its footer hint is shown only
 * then. kube: the node in the detail is a Kubernetes node; groups: `b` has something to group
 * by; replay: a recording is played; alerts: some alert is listed; scrolls: the help is longer
 * than the screen; filtered: a filter is applied; warnings: start-up warnings are shown;
 * processes: the node in the detail (in the table: some node shown) has process figures;
 * containers: some node has containers; containerBox: the node in the detail has a containers box.
 */
export type Condition = 'kube' | 'groups' | 'replay' | 'alerts' | 'scrolls' | 'filtered' | 'warnings' | 'processes' | 'containers' | 'containerBox';

/** What a key press does; what it means for the state depends on the scope (ui-state.ts). */
export type Action =
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'first'
  | 'last'
  | 'open'
  | 'back'
  | 'containerTop'
  | 'unfilter'
  | 'sort'
  | 'reverse'
  | 'filter'
  | 'group'
  | 'pane'
  | 'processes'
  | 'tree'
  | 'alerts'
  | 'dismiss'
  | 'pause'
  | 'seek-back'
  | 'seek-forward'
  | 'longer'
  | 'shorter'
  | 'help'
  | 'quit'
  | 'suspend'
  | 'type'
  | 'erase'
  | 'erase-all'
  | 'keep'
  | 'clear'
  | 'unselect'
  | 'close';

/** ink's names for the keys that type no character. */
export type KeyName = 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'tab' | 'backspace' | 'delete';

export interface Press {
  /** A character typed (with `ctrl`: the letter held with Ctrl). */
  readonly input?: string;
  readonly key?: KeyName;
  readonly ctrl?: boolean;
  /** Any printable text (the prompt) or any key at all (the help); tried after every other press. */
  readonly any?: 'text' | 'key';
  /** The same key without Shift (`=` for `+`): answered to, not named in the help. */
  readonly quiet?: boolean;
  readonly does: Action;
}

export interface Hint {
  /** The keys as the footer writes them; the binding's first keys by default. */
  readonly keys?: string;
  readonly label: string;
  /** Another label in some scopes (Tab shows "pods" in the charts, "charts" in the pods). */
  readonly labelIn?: Partial<Record<Scope, string>>;
  /** Higher stays longer in a narrow footer, and comes first. */
  readonly priority: number;
}

export interface Binding {
  /** The keys as the help writes them, one entry per key or pair ("↑/↓"). */
  readonly keys: readonly string[];
  /** What they do, as the help writes it. */
  readonly text: string;
  /** A longer text for the key table of docs/reference.md; `text` by default. */
  readonly readme?: string;
  /** The help's heading above the binding. */
  readonly section: string;
  /** Where the keys do this. */
  readonly in: readonly Scope[];
  readonly when?: Condition;
  /** A condition in some scopes only (the arrows scroll the help when it is longer than the screen). */
  readonly whenIn?: Partial<Record<Scope, Condition>>;
  /** Said in the status line for a moment when a key is pressed where it applies but `when` does not hold. */
  readonly unless?: string;
  readonly hint?: Hint;
  /** What reduceKey answers to; none for the mouse. */
  readonly presses: readonly Press[];
}

const ch = (input: string, does: Action, quiet = false): Press => (quiet ? { input, does, quiet } : { input, does });
const named = (key: KeyName, does: Action): Press => ({ key, does });
const ctrl = (input: string, does: Action): Press => ({ input, ctrl: true, does });

const MOVES: readonly Press[] = [
  named('upArrow', 'up'),
  ch('k', 'up'),
  named('downArrow', 'down'),
  ch('j', 'down'),
  named('pageUp', 'page-up'),
  named('pageDown', 'page-down'),
  named('home', 'first'),
  ch('g', 'first'),
  named('end', 'last'),
  ch('G', 'last'),
];
const OPEN: readonly Press[] = [named('return', 'open'), named('rightArrow', 'open')];
const SORTS: readonly Press[] = [ch('s', 'sort'), ch('S', 'reverse')];

const MOVING = 'Moving';
const MOVING_IN: readonly Scope[] = [...VIEWS, 'help'];
const TABLE = 'Table';
const DETAIL = 'Node detail';
const PODS = 'Pods (Kubernetes)';
const PROCESSES = 'Processes (t)';
const TOP = 'Cluster top (t in the table)';
const CTOP = 'Heaviest containers (c)';
/** Said where `t` finds no process figures. */
const NO_PROCESSES = 't: no process figures here (this machine, cluster-top agent, process-exporter)';
const EVERY_VIEW = 'Every view';
const PROMPT = 'Filter prompt (/)';
const HELP = 'Help (?)';
const MOUSE = 'Mouse';

export const BINDINGS: readonly Binding[] = [
  {
    keys: ['↑/↓', 'j/k'],
    text: "move the selected node (in its detail too), pod, process or container; scroll an app target's metrics or this help",
    section: MOVING,
    in: MOVING_IN,
    whenIn: { help: 'scrolls' },
    hint: { keys: '↑↓', label: 'move', labelIn: { charts: 'node', pods: 'pod', containers: 'pod', processes: 'process', top: 'process', ctop: 'container', app: 'scroll', help: 'scroll' }, priority: 35 },
    presses: MOVES.slice(0, 4),
  },
  { keys: ['PgUp/PgDn'], text: 'a page', section: MOVING, in: MOVING_IN, whenIn: { help: 'scrolls' }, presses: MOVES.slice(4, 6) },
  { keys: ['Home/End', 'g/G'], text: 'the first / the last', section: MOVING, in: MOVING_IN, whenIn: { help: 'scrolls' }, presses: MOVES.slice(6) },
  {
    keys: ['Enter', '→'],
    text: "the selected node's detail",
    section: TABLE,
    in: ['table'],
    hint: { keys: 'Enter', label: 'detail', priority: 80 },
    presses: OPEN,
  },
  {
    keys: ['s', 'S'],
    text: 'next sort column / reverse the sort',
    readme: 'next sort column: name, cpu, memory, network, disk, load (and GPU utilisation when some node has GPUs, and pods with Kubernetes), then each `--column`; S reverses the sort',
    section: TABLE,
    in: ['table'],
    hint: { keys: 's/S', label: 'sort', priority: 60 },
    presses: SORTS,
  },
  {
    keys: ['/'],
    text: 'filter as you type: text, /regex/, labels role=worker,a!=b',
    readme:
      'filter the nodes as you type: a substring of the name, a regular expression when it looks like one (`/^web-\\d+/`, `db|cache`), or labels (`role=worker`, `a=b,c!=d`, all must hold, as with `kubectl -l`); the last filter comes back selected, so typing replaces it',
    section: TABLE,
    in: ['table'],
    hint: { label: 'filter', priority: 75 },
    presses: [ch('/', 'filter')],
  },
  {
    keys: ['Esc'],
    text: 'clear the filter',
    section: TABLE,
    in: ['table'],
    when: 'filtered',
    hint: { label: 'unfilter', priority: 65 },
    presses: [named('escape', 'unfilter')],
  },
  {
    keys: ['b'],
    text: 'group by job or another label; Kubernetes: role, zone',
    readme: 'group the table: by job and the other target labels; by role and zone (Kubernetes); none',
    section: TABLE,
    in: ['table'],
    when: 'groups',
    unless: 'b: no labels to group by',
    hint: { label: 'group', priority: 55 },
    presses: [ch('b', 'group')],
  },
  {
    keys: ['c'],
    text: 'the heaviest containers of every node / back to the nodes',
    readme:
      "the heaviest containers of every node in one table, by CPU (or as `s` sorts them), with their node (from cAdvisor targets, `--cadvisor-port`, or `cluster-top agent` on Linux with cgroup v2); `c` again goes back to the nodes",
    section: TABLE,
    in: ['table', 'ctop'],
    when: 'containers',
    unless: 'c: no node has containers (add cAdvisor targets, --cadvisor-port 8080, or run cluster-top agent)',
    hint: { label: 'containers', labelIn: { ctop: 'nodes' }, priority: 51 },
    presses: [ch('c', 'containerTop')],
  },
  {
    keys: ['Enter', '→'],
    text: "the selected container's node, in its detail",
    section: CTOP,
    in: ['ctop'],
    hint: { keys: 'Enter', label: 'node', priority: 80 },
    presses: OPEN,
  },
  {
    keys: ['b'],
    text: 'group by compose project / ungroup',
    readme: 'group the containers by their `com.docker.compose.project` label, the busiest project first, each under its totals; again: ungroup',
    section: CTOP,
    in: ['ctop'],
    hint: { label: 'group', priority: 55 },
    presses: [ch('b', 'group')],
  },
  {
    keys: ['s', 'S'],
    text: 'sort by cpu, memory, name, net, I/O, age, restarts / reverse',
    readme: "sort the heaviest containers as a node's containers box sorts (the same order for both): CPU, memory, name, network, block I/O, age (the youngest first), restarts; S reverses",
    section: CTOP,
    in: ['ctop'],
    hint: { keys: 's/S', label: 'sort', priority: 60 },
    presses: SORTS,
  },
  {
    keys: ['Esc', '←'],
    text: 'back to the nodes',
    section: CTOP,
    in: ['ctop'],
    hint: { keys: 'Esc', label: 'back', priority: 90 },
    presses: [named('escape', 'back'), named('leftArrow', 'back')],
  },
  {
    keys: ['Esc', '←', 'Backspace'],
    text: 'back: containers → pods → table; processes → detail; cluster top → table',
    section: DETAIL,
    in: ['charts', 'app', 'pods', 'containers', 'processes', 'top'],
    hint: { keys: 'Esc', label: 'back', labelIn: { containers: 'pods', processes: 'detail', top: 'table' }, priority: 90 },
    presses: [named('escape', 'back'), named('leftArrow', 'back'), named('backspace', 'back'), named('delete', 'back')],
  },
  {
    keys: ['s', 'S'],
    text: "sort the node's containers by cpu, memory, name, net, I/O, age, restarts / reverse",
    readme:
      "sort the containers box of the node's detail: by CPU (the default), memory, name, network (received and sent), block I/O (read and written), age (the youngest first) and restarts (the most first); S reverses",
    section: DETAIL,
    in: ['charts'],
    when: 'containerBox',
    unless: 's: this node has no containers box (cAdvisor, --cadvisor-port, cluster-top agent)',
    hint: { keys: 's/S', label: 'sort containers', priority: 60 },
    presses: SORTS,
  },
  {
    keys: ['Tab'],
    text: 'charts / pods of a Kubernetes node',
    section: DETAIL,
    in: ['charts', 'pods', 'containers'],
    when: 'kube',
    unless: 'Tab: pods are shown for Kubernetes nodes only',
    hint: { label: 'pods', labelIn: { pods: 'charts', containers: 'charts' }, priority: 85 },
    presses: [named('tab', 'pane')],
  },
  {
    keys: ['Enter', '→'],
    text: "the selected pod's containers",
    section: PODS,
    in: ['pods'],
    hint: { keys: 'Enter', label: 'containers', priority: 80 },
    presses: OPEN,
  },
  {
    keys: ['s', 'S'],
    text: 'sort the pods by cpu, memory, GPUs, restarts, name / reverse',
    section: PODS,
    in: ['pods'],
    hint: { keys: 's/S', label: 'sort', priority: 60 },
    presses: SORTS,
  },
  {
    keys: ['t'],
    text: "the node's processes / the cluster's heaviest processes",
    readme:
      "in a node's detail: its processes (from this machine's /proc, `cluster-top agent` or prometheus-process-exporter) instead of the charts; in the table: the heaviest processes of every node shown, in one list; again: back",
    section: DETAIL,
    in: [...DETAILS, 'processes', 'table', 'top'],
    when: 'processes',
    unless: NO_PROCESSES,
    hint: { label: 'processes', labelIn: { processes: 'charts', table: 'top', top: 'table' }, priority: 52 },
    presses: [ch('t', 'processes')],
  },
  {
    keys: ['s', 'S'],
    text: 'sort the processes by cpu, memory, pid, name / reverse',
    section: PROCESSES,
    in: ['processes', 'top'],
    hint: { keys: 's/S', label: 'sort', priority: 60 },
    presses: SORTS,
  },
  {
    keys: ['/'],
    text: 'filter the processes: command, arguments, user or pid',
    section: PROCESSES,
    in: ['processes', 'top'],
    hint: { label: 'filter', priority: 75 },
    presses: [ch('/', 'filter')],
  },
  {
    keys: ['e'],
    text: 'tree: children under their parent',
    section: PROCESSES,
    in: ['processes'],
    hint: { label: 'tree', priority: 55 },
    presses: [ch('e', 'tree')],
  },
  {
    keys: ['b'],
    text: 'single processes / totals by command name',
    section: PROCESSES,
    in: ['processes'],
    hint: { label: 'by name', priority: 50 },
    presses: [ch('b', 'group')],
  },
  {
    keys: ['Enter', '→'],
    text: "the selected process's node, at its processes",
    section: TOP,
    in: ['top'],
    hint: { keys: 'Enter', label: 'node', priority: 80 },
    presses: OPEN,
  },
  {
    keys: ['a'],
    text: 'show / hide the alert panel',
    section: EVERY_VIEW,
    in: VIEWS,
    when: 'alerts',
    unless: 'a: no alerts to show',
    hint: { label: 'alerts', priority: 50 },
    presses: [ch('a', 'alerts')],
  },
  {
    keys: ['x'],
    text: 'dismiss the start-up warnings',
    readme: 'dismiss the start-up warnings (flags or config fields ignored, targets merged) shown above the table',
    section: EVERY_VIEW,
    in: VIEWS,
    when: 'warnings',
    unless: 'x: no warnings to dismiss',
    hint: { label: 'dismiss warnings', priority: 10 },
    presses: [ch('x', 'dismiss')],
  },
  {
    keys: ['p'],
    text: 'pause / resume the display',
    readme: "pause / resume the display (scraping goes on, no history is lost; a replay's clock stops)",
    section: EVERY_VIEW,
    in: VIEWS,
    hint: { label: 'pause', priority: 40 },
    presses: [ch('p', 'pause')],
  },
  {
    keys: ['[', ']'],
    text: 'replay: back / forward a minute',
    section: EVERY_VIEW,
    in: VIEWS,
    when: 'replay',
    unless: '[ ]: only in a replay (--replay FILE)',
    hint: { keys: '[]', label: 'seek', priority: 45 },
    presses: [ch('[', 'seek-back'), ch(']', 'seek-forward')],
  },
  {
    keys: ['+', '-'],
    text: 'longer / shorter scrape interval',
    readme: 'longer / shorter scrape interval (500ms, 1s, 2s, 5s, 10s, 30s, 60s)',
    section: EVERY_VIEW,
    in: VIEWS,
    hint: { keys: '+-', label: 'interval', priority: 30 },
    presses: [ch('+', 'longer'), ch('=', 'longer', true), ch('-', 'shorter'), ch('_', 'shorter', true)],
  },
  { keys: ['?'], text: 'this help', section: EVERY_VIEW, in: VIEWS, hint: { label: 'help', priority: 95 }, presses: [ch('?', 'help')] },
  { keys: ['q'], text: 'quit', section: EVERY_VIEW, in: VIEWS, hint: { label: 'quit', priority: 100 }, presses: [ch('q', 'quit')] },
  { keys: ['Ctrl-C'], text: 'quit, from the prompt and the help too', section: EVERY_VIEW, in: SCOPES, presses: [ctrl('c', 'quit')] },
  {
    keys: ['Ctrl-Z'],
    text: 'suspend to the shell; its fg resumes',
    section: EVERY_VIEW,
    in: SCOPES,
    presses: [ctrl('z', 'suspend')],
  },
  {
    keys: ['text'],
    text: 'filters the table as you type; replaces the selected text',
    readme: 'filters the table as you type (an invalid regex is shown and the last valid filter kept); replaces the text while it is selected',
    section: PROMPT,
    in: ['prompt'],
    presses: [{ any: 'text', does: 'type' }],
  },
  {
    keys: ['Backspace'],
    text: 'erase a character, or the selected text',
    section: PROMPT,
    in: ['prompt'],
    presses: [named('backspace', 'erase'), named('delete', 'erase')],
  },
  {
    keys: ['Ctrl-U'],
    text: 'erase all the text',
    section: PROMPT,
    in: ['prompt'],
    hint: { label: 'erase', priority: 70 },
    presses: [ctrl('u', 'erase-all')],
  },
  {
    keys: ['→', 'End'],
    text: 'unselect the text, to add to it',
    section: PROMPT,
    in: ['prompt'],
    presses: [named('rightArrow', 'unselect'), named('end', 'unselect')],
  },
  { keys: ['Enter'], text: 'keep the filter', section: PROMPT, in: ['prompt'], hint: { label: 'keep', priority: 80 }, presses: [named('return', 'keep')] },
  {
    keys: ['Esc'],
    text: 'clear the filter and close',
    section: PROMPT,
    in: ['prompt'],
    hint: { label: 'clear', priority: 90 },
    presses: [named('escape', 'clear')],
  },
  {
    keys: ['other keys'],
    text: 'close this help',
    section: HELP,
    in: ['help'],
    hint: { keys: 'other keys', label: 'close', priority: 30 },
    presses: [{ any: 'key', does: 'close' }],
  },
  {
    keys: ['wheel'],
    text: 'move three rows; scroll a detail or the help',
    readme: 'move the selection three rows a notch (in a detail: scroll it, or move in the pods pane; in the help: scroll it)',
    section: MOUSE,
    in: [...VIEWS, 'help'],
    presses: [],
  },
  {
    keys: ['click'],
    text: 'select a row; a second click opens its detail',
    section: MOUSE,
    in: ['table'],
    presses: [],
  },
];

/** The name of a key as the help writes it (Backspace is also the 0x7f byte, which ink calls delete). */
const KEY_NAMES: Readonly<Record<KeyName, string>> = {
  upArrow: '↑',
  downArrow: '↓',
  leftArrow: '←',
  rightArrow: '→',
  pageUp: 'PgUp',
  pageDown: 'PgDn',
  home: 'Home',
  end: 'End',
  return: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Backspace',
};

/** How the help names a press: "↑", "k", "Ctrl-U"; a catch-all's name is its binding's. */
export function pressName(p: Press): string {
  if (p.key) return KEY_NAMES[p.key];
  if (p.ctrl) return `Ctrl-${(p.input ?? '').toUpperCase()}`;
  return p.input ?? '';
}

const printable = (input: string): string => input.replace(/[\u0000-\u001f\u007f]/g, '');

function matches(p: Press, input: string, key: Key): boolean {
  if (p.any === 'key') return true;
  if (p.any === 'text') return !key.ctrl && !key.meta && !key.tab && printable(input) !== '';
  if (p.key) return key[p.key];
  if (p.ctrl) return key.ctrl && input === p.input;
  return !key.ctrl && input === p.input;
}

export interface Found {
  readonly binding: Binding;
  readonly press: Press;
}

/** What must hold for `b` to do something in `scope`. */
export function conditionOf(b: Binding, scope: Scope): Condition | undefined {
  return b.whenIn?.[scope] ?? b.when;
}

/** The binding a key press stands for in `scope`: catch-alls only when no other press matches. */
export function findBinding(scope: Scope, input: string, key: Key): Found | undefined {
  let fallback: Found | undefined;
  for (const binding of BINDINGS) {
    if (!binding.in.includes(scope)) continue;
    for (const press of binding.presses) {
      if (!matches(press, input, key)) continue;
      if (press.any) fallback ??= { binding, press };
      else return { binding, press };
    }
  }
  return fallback;
}

const PLACES: Readonly<Record<Scope, string>> = {
  table: 'the table',
  charts: 'a detail',
  app: 'a detail',
  pods: 'the pods',
  containers: 'the containers',
  processes: 'the processes',
  top: 'the cluster top',
  ctop: 'the heaviest containers',
  prompt: 'the filter prompt',
  help: 'the help',
};

/** "s: only in the table and the pods" for a key bound elsewhere, or undefined for a key bound nowhere. */
export function elsewhere(input: string, key: Key): string | undefined {
  const places = new Set<string>();
  let name = '';
  for (const binding of BINDINGS) {
    for (const press of binding.presses) {
      if (press.any || !matches(press, input, key)) continue;
      name ||= pressName(press);
      for (const scope of binding.in) places.add(PLACES[scope]);
    }
  }
  if (places.size === 0) return undefined;
  const list = [...places];
  const last = list.pop();
  return `${name}: only in ${list.length > 0 ? `${list.join(', ')} and ${last}` : last}`;
}
