import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { INITIAL_UI, INTERVAL_STEPS, reduceKey, splitKeys, stepInterval, type KeyContext, type UiState } from '../../../src/ui/input/ui-state.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};
const key = (k: Partial<Key>): Key => ({ ...NO_KEY, ...k });
const ctx: KeyContext = { rows: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id })), pageSize: 2 };
const press = (state: UiState, input: string, k: Partial<Key> = {}) => reduceKey(state, input, key(k), ctx);

describe('reduceKey', () => {
  it("sorts a node's containers box with s / S in its detail, kept from node to node", () => {
    const withBox: KeyContext = { ...ctx, containerBox: true };
    const detail = reduceKey(INITIAL_UI, '', key({ return: true }), withBox).state;
    expect(detail.containerSort).toEqual({ key: 'cpu', descending: true });
    const byMemory = reduceKey(detail, 's', key({}), withBox).state;
    expect(byMemory.containerSort).toEqual({ key: 'memory', descending: true });
    const byName = reduceKey(byMemory, 's', key({}), withBox).state;
    expect(byName.containerSort).toEqual({ key: 'name', descending: false });
    expect(reduceKey(byName, 'S', key({ shift: true }), withBox).state.containerSort).toEqual({ key: 'name', descending: true });
    // The table's own sort is untouched, and the box's order stays when another node is opened.
    expect(byName.sort).toEqual(INITIAL_UI.sort);
    const next = reduceKey(reduceKey(reduceKey(byName, '', key({ escape: true }), withBox).state, 'j', key({}), withBox).state, '', key({ return: true }), withBox).state;
    expect(next.containerSort).toEqual({ key: 'name', descending: false });
    // The heaviest containers (c) sort by the same order, and change it for the box too.
    const ctopCtx: KeyContext = { ...ctx, containerTopRows: [{ id: 'k1', nodeId: 'a' }] };
    const ctop = reduceKey({ ...INITIAL_UI, containerSort: next.containerSort }, 'c', key({}), ctopCtx).state;
    expect(ctop.containerTop).toBe(true);
    expect(reduceKey(ctop, 's', key({}), ctopCtx).state.containerSort).toEqual({ key: 'net', descending: true });
    expect(reduceKey(ctop, 'S', key({ shift: true }), ctopCtx).state.containerSort).toEqual({ key: 'name', descending: true });
  });

  it('moves with j/k, arrows, pages and ends', () => {
    let s = press(INITIAL_UI, 'j').state;
    expect(s.selection.id).toBe('b');
    s = press(s, '', { downArrow: true }).state;
    expect(s.selection.id).toBe('c');
    s = press(s, 'k').state;
    expect(s.selection.id).toBe('b');
    s = press(s, '', { pageDown: true }).state;
    expect(s.selection.id).toBe('d');
    s = press(s, 'g').state;
    expect(s.selection.id).toBe('a');
    s = press(s, 'G').state;
    expect(s.selection.id).toBe('e');
    s = press(s, '', { home: true }).state;
    expect(s.selection.id).toBe('a');
  });

  it('opens the detail on Enter or Right and goes back on Esc, Left or Backspace', () => {
    for (const open of [{ return: true }, { rightArrow: true }]) {
      for (const back of [{ escape: true }, { leftArrow: true }, { backspace: true }, { delete: true }]) {
        const detail = press(INITIAL_UI, '', open).state;
        expect(detail.view).toBe('detail');
        expect(press(detail, '', back).state.view).toBe('table');
      }
    }
  });

  it('does not open a detail with no rows', () => {
    expect(reduceKey(INITIAL_UI, '', key({ return: true }), { rows: [], pageSize: 5 }).state.view).toBe('table');
  });

  it('cycles and reverses the sort', () => {
    const s = press(INITIAL_UI, 's').state;
    expect(s.sort).toEqual({ key: 'cpu', descending: true });
    expect(press(s, 'S', { shift: true }).state.sort).toEqual({ key: 'cpu', descending: false });
  });

  it('edits the filter in the prompt: typing, backspace, Enter applies, Esc clears', () => {
    let s = press(INITIAL_UI, '/').state;
    expect(s.prompt).toBe('');
    for (const ch of 'webx') s = press(s, ch).state;
    s = press(s, '', { delete: true }).state;
    expect(s.prompt).toBe('web');
    s = press(s, 'q').state;
    expect(s.prompt).toBe('webq');
    s = press(s, '', { backspace: true }).state;
    s = press(s, '', { return: true }).state;
    expect(s).toMatchObject({ prompt: null, filterText: 'web' });
    s = press(s, '/').state;
    expect(s.prompt).toBe('web');
    s = press(s, '', { escape: true, meta: true }).state;
    expect(s).toMatchObject({ prompt: null, filterText: '' });
  });

  it('keeps the prompt open on Enter while the regex is invalid', () => {
    let s = press(INITIAL_UI, '/').state;
    s = press(s, '[ab').state;
    s = press(s, '', { return: true }).state;
    expect(s).toMatchObject({ prompt: '[ab', filterText: '' });
  });

  it('opens the prompt on the last filter, selected: typing replaces it, Backspace erases it, → keeps it to add to', () => {
    let s = press(INITIAL_UI, '/').state;
    for (const ch of 'web') s = press(s, ch).state;
    s = press(s, '', { return: true }).state;
    s = press(s, '/').state;
    expect(s).toMatchObject({ prompt: 'web', promptSelected: true });
    expect(press(s, 'd').state).toMatchObject({ prompt: 'd', promptSelected: false, filterText: 'd' });
    expect(press(s, '', { backspace: true }).state).toMatchObject({ prompt: '', promptSelected: false, filterText: '' });
    const kept = press(s, '', { rightArrow: true }).state;
    expect(kept).toMatchObject({ prompt: 'web', promptSelected: false });
    expect(press(kept, '-').state).toMatchObject({ prompt: 'web-', filterText: 'web-' });
    // Nothing was typed over an empty filter: no selection.
    expect(press(INITIAL_UI, '/').state.promptSelected).toBe(false);
  });

  it('filters as the text is typed, keeping the last valid filter while a regex is invalid', () => {
    let s = press(INITIAL_UI, '/').state;
    s = press(s, 'a').state;
    expect(s).toMatchObject({ prompt: 'a', filterText: 'a' });
    s = press(s, '[').state;
    expect(s).toMatchObject({ prompt: 'a[', filterText: 'a' });
    s = press(s, ']').state;
    expect(s).toMatchObject({ prompt: 'a[]', filterText: 'a[]' });
    s = press(s, '', { backspace: true }).state;
    expect(s).toMatchObject({ prompt: 'a[', filterText: 'a[]' });
    s = press(s, 'u', { ctrl: true }).state;
    expect(s).toMatchObject({ prompt: '', filterText: '' });
    s = press(s, 'b').state;
    expect(press(s, '', { return: true }).state).toMatchObject({ prompt: null, filterText: 'b' });
    expect(press(s, '', { escape: true, meta: true }).state).toMatchObject({ prompt: null, filterText: '' });
  });

  it('scrolls the help on the moving keys, within its length; any other key closes it', () => {
    const helpCtx: KeyContext = { ...ctx, helpScrollMax: 4 };
    const hpress = (state: UiState, input: string, k: Partial<Key> = {}) => reduceKey(state, input, key(k), helpCtx);
    let s = hpress(INITIAL_UI, '?').state;
    s = hpress(s, '', { downArrow: true }).state;
    s = hpress(s, 'j').state;
    expect(s).toMatchObject({ help: true, helpScroll: 2 });
    expect(hpress(s, '', { pageDown: true }).state.helpScroll).toBe(4);
    expect(hpress(s, 'G').state.helpScroll).toBe(4);
    expect(hpress(s, 'k').state.helpScroll).toBe(1);
    expect(hpress(s, '', { escape: true }).state.help).toBe(false);
    expect(hpress(s, '?').state.help).toBe(false);
    // A help that fits: the arrows leave it open and still.
    const fits = press(INITIAL_UI, '?').state;
    expect(press(fits, '', { downArrow: true }).state).toMatchObject({ help: true, helpScroll: 0 });
    expect(hpress(hpress(s, '', { escape: true }).state, '?').state.helpScroll).toBe(0);
  });

  it('says why a key does nothing: the interval at its ends, a key of another view', () => {
    const longest = reduceKey(INITIAL_UI, '+', key({}), { ...ctx, intervalMs: 60_000 });
    expect([longest.note, longest.effect]).toEqual(['+: 60s is the longest interval', undefined]);
    const shortest = reduceKey(INITIAL_UI, '-', key({}), { ...ctx, intervalMs: 500 });
    expect([shortest.note, shortest.effect]).toEqual(['-: 500ms is the shortest interval', undefined]);
    const shorter = reduceKey(INITIAL_UI, '-', key({}), { ...ctx, intervalMs: 1000 });
    expect([shorter.note, shorter.effect]).toEqual([undefined, 'shorter']);
    const detail = press(INITIAL_UI, '', { return: true }).state;
    expect(press(detail, 's').note).toBe('s: this node has no containers box (cAdvisor, --cadvisor-port, cluster-top agent)');
    expect(press(detail, 'e').note).toBe('e: only in the processes');
    expect(press(detail, '/').note).toBe('/: only in the table, the processes and the cluster top');
    expect(press(INITIAL_UI, '', { tab: true }).note).toBe('Tab: only in a detail, the pods and the containers');
    expect(press(INITIAL_UI, 'z').note).toBeUndefined();
  });

  it('closes help on any key, without acting on it', () => {
    const help = press(INITIAL_UI, '?').state;
    expect(help.help).toBe(true);
    const after = press(help, 'q');
    expect(after.state.help).toBe(false);
    expect(after.effect).toBeUndefined();
  });

  it('reports quit, pause and interval changes as effects', () => {
    expect(press(INITIAL_UI, 'q').effect).toBe('quit');
    expect(press(INITIAL_UI, 'c', { ctrl: true }).effect).toBe('quit');
    expect(press({ ...INITIAL_UI, prompt: 'x' }, 'c', { ctrl: true }).effect).toBe('quit');
    expect(press(INITIAL_UI, 'p').effect).toBe('pause');
    expect(press(INITIAL_UI, '+').effect).toBe('longer');
    expect(press(INITIAL_UI, '-').effect).toBe('shorter');
  });

  it('pins the selection to its node on the first key', () => {
    expect(press(INITIAL_UI, 's').state.selection).toEqual({ id: 'a', index: 0 });
  });
});

describe('reduceKey with Kubernetes', () => {
  const pods = ['p1', 'p2', 'p3', 'p4'].map((id) => ({ id }));
  const kubeCtx: KeyContext = { ...ctx, kube: true, pods };
  const kpress = (state: UiState, input: string, k: Partial<Key> = {}) => reduceKey(state, input, key(k), kubeCtx);
  const detail = kpress(INITIAL_UI, '', { return: true }).state;
  const podsPane = kpress(detail, '', { tab: true }).state;

  it('cycles grouping none, role, zone on b, only with Kubernetes info', () => {
    const groups = [INITIAL_UI.group];
    let s = INITIAL_UI;
    for (let i = 0; i < 3; i++) groups.push((s = kpress(s, 'b').state).group);
    expect(groups).toEqual(['none', 'role', 'zone', 'none']);
    expect(press(INITIAL_UI, 'b').state.group).toBe('none');
  });

  it('offers the pods sort only with Kubernetes info', () => {
    const load = { ...INITIAL_UI, sort: { key: 'load' as const, descending: true } };
    expect(kpress(load, 's').state.sort).toEqual({ key: 'pods', descending: true });
    expect(press(load, 's').state.sort.key).toBe('name');
  });

  it('switches the detail between charts and pods on Tab, only for a Kubernetes node', () => {
    expect(podsPane.pane).toBe('pods');
    expect(kpress(podsPane, '', { tab: true }).state.pane).toBe('charts');
    expect(press(detail, '', { tab: true }).state.pane).toBe('charts');
    expect(kpress(INITIAL_UI, '', { tab: true }).state.pane).toBe('charts');
  });

  it('moves over the pods in the pods pane, over the nodes in the charts pane', () => {
    let s = kpress(podsPane, 'j').state;
    s = kpress(s, '', { downArrow: true }).state;
    expect(s.podSelection.id).toBe('p3');
    expect(s.selection.id).toBe('a');
    expect(kpress(s, 'G').state.podSelection.id).toBe('p4');
    expect(kpress(s, '', { pageUp: true }).state.podSelection.id).toBe('p1');
    expect(kpress(detail, 'j').state.selection.id).toBe('b');
  });

  it('sorts pods on s and S in the pods pane, leaving the node sort alone', () => {
    const s = kpress(podsPane, 's').state;
    expect(s.podSort).toEqual({ key: 'memory', descending: true });
    expect(s.sort).toEqual(INITIAL_UI.sort);
    expect(kpress(s, 'S', { shift: true }).state.podSort).toEqual({ key: 'memory', descending: false });
    expect(kpress(kpress(s, 's').state, 's').state.podSort.key).toBe('cpu');
  });

  it('opens the containers on Enter; Esc goes back to the pods, then to the table', () => {
    const containers = kpress(podsPane, '', { return: true }).state;
    expect(containers.containers).toBe(true);
    const list = kpress(containers, '', { escape: true }).state;
    expect(list).toMatchObject({ view: 'detail', pane: 'pods', containers: false });
    expect(kpress(list, '', { escape: true }).state.view).toBe('table');
    expect(reduceKey(podsPane, '', key({ return: true }), { ...kubeCtx, pods: [] }).state.containers).toBe(false);
  });

  it('closes the containers when Tab leaves the pods', () => {
    const containers = kpress(podsPane, '', { return: true }).state;
    expect(kpress(containers, '', { tab: true }).state).toMatchObject({ pane: 'charts', containers: false });
  });
});

describe('stepInterval', () => {
  it('steps through 500ms, 1s, 2s, 5s, 10s, 30s, 60s', () => {
    expect(INTERVAL_STEPS).toEqual([500, 1000, 2000, 5000, 10_000, 30_000, 60_000]);
    expect(stepInterval(2000, 1)).toBe(5000);
    expect(stepInterval(2000, -1)).toBe(1000);
    expect(stepInterval(3000, 1)).toBe(5000);
    expect(stepInterval(3000, -1)).toBe(2000);
    expect(stepInterval(60_000, 1)).toBeNull();
    expect(stepInterval(500, -1)).toBeNull();
  });
});

describe('splitKeys', () => {
  it('leaves a single key alone', () => {
    const k = key({ downArrow: true });
    expect(splitKeys('', k)).toEqual([['', k]]);
    expect(splitKeys('j', NO_KEY)).toEqual([['j', NO_KEY]]);
  });

  it('turns a chunk of typed characters into one key each, Enter, Backspace and Ctrl included', () => {
    const keys = splitKeys('jG\r\u007f\u0003', NO_KEY);
    expect(keys.map(([input]) => input)).toEqual(['j', 'G', '', '', 'c']);
    expect(keys[1]?.[1].shift).toBe(true);
    expect(keys[2]?.[1].return).toBe(true);
    expect(keys[3]?.[1].delete).toBe(true);
    expect(keys[4]?.[1].ctrl).toBe(true);
  });
});
