/** The binding table (src/ui/input/keys.ts) against what reduceKey does, and against the key table of docs/reference.md. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { BINDINGS, conditionOf, pressName, SCOPES, type KeyName, type Press, type Scope } from '../../../src/ui/input/keys.js';
import { readmeKeyTable } from '../../../src/ui/render/help.js';
import { holds, INITIAL_UI, reduceKey, scopeOf, type KeyContext, type UiState } from '../../../src/ui/input/ui-state.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

/** A key press as ink reports it: the character (or '' for a named key) and its flags. */
interface Stroke {
  readonly input: string;
  readonly key?: KeyName;
  readonly ctrl?: boolean;
}

const KEY_NAMES: readonly KeyName[] = ['upArrow', 'downArrow', 'leftArrow', 'rightArrow', 'pageUp', 'pageDown', 'home', 'end', 'return', 'escape', 'tab', 'backspace', 'delete'];

/** Every key a test presses: the printable ASCII characters, Ctrl with each letter, and each named key. */
const ALL_STROKES: readonly Stroke[] = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => ({ input: String.fromCharCode(0x20 + i) })),
  ...Array.from({ length: 26 }, (_, i) => ({ input: String.fromCharCode(0x61 + i), ctrl: true })),
  ...KEY_NAMES.map((key) => ({ input: '', key })),
];

const inkKey = (s: Stroke): Key => ({ ...NO_KEY, ...(s.key ? { [s.key]: true } : {}), ctrl: s.ctrl === true, shift: /[A-Z]/.test(s.input), meta: s.key === 'escape' });
const strokeOf = (p: Press): Stroke => ({ input: p.key ? '' : (p.input ?? ''), ...(p.key ? { key: p.key } : {}), ...(p.ctrl ? { ctrl: true } : {}) });
const same = (p: Press, s: Stroke): boolean => !p.any && (p.key ?? '') === (s.key ?? '') && (p.key ? true : p.input === s.input) && !!p.ctrl === !!s.ctrl;
const printable = (s: Stroke): boolean => !s.key && !s.ctrl;

/** The table's word for it: a binding of `scope` names this key, or a catch-all of the scope takes it. */
function boundIn(scope: Scope, s: Stroke): boolean {
  return BINDINGS.some((b) => b.in.includes(scope) && b.presses.some((p) => same(p, s) || p.any === 'key' || (p.any === 'text' && printable(s))));
}
const boundAnywhere = (s: Stroke): boolean => BINDINGS.some((b) => b.presses.some((p) => same(p, s)));

const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const pods = ['p1', 'p2', 'p3', 'p4'].map((id) => ({ id }));
const processes = ['1', '20', '300', '=nginx'].map((id) => ({ id }));
const top = ['a\u00001', 'b\u000020', 'c\u0000300'].map((id) => ({ id, nodeId: id.split('\u0000')[0]! }));
const containerTopRows = ['k1', 'k2', 'k3', 'k4'].map((id, i) => ({ id, nodeId: rows[i]!.id }));
/** Mid-list, filtered, so that every key of the table has something to do. */
const base: UiState = {
  ...INITIAL_UI,
  selection: { id: 'c', index: 2 },
  filterText: 'x',
  podSelection: { id: 'p2', index: 1 },
  processSelection: { id: '20', index: 1 },
  topSelection: { id: top[1]!.id, index: 1 },
  containerTopSelection: { id: 'k2', index: 1 },
};
const everything: KeyContext = { rows, pageSize: 2, groups: ['none', 'job'], replay: true, alerts: 1, warnings: 2, intervalMs: 2000, helpScrollMax: 10, anyProcesses: true, processes, containerTopRows, containerBox: true };
const nothing: KeyContext = { rows, pageSize: 2, intervalMs: 2000 };

/** A state and a context for each scope, where each condition holds (`rich`) or none does. */
function setting(scope: Scope, rich: boolean): { state: UiState; ctx: KeyContext } {
  const ctx = rich ? everything : nothing;
  const state = rich ? base : { ...base, filterText: '' };
  switch (scope) {
    case 'table':
      return { state, ctx };
    case 'charts':
      return { state: { ...state, view: 'detail' }, ctx: rich ? { ...ctx, pods } : ctx };
    case 'app':
      return { state: { ...state, view: 'detail', detailScroll: 5 }, ctx: { ...ctx, detailScrollMax: 10 } };
    case 'pods':
      return { state: { ...state, view: 'detail', pane: 'pods' }, ctx: { ...ctx, pods } };
    case 'containers':
      return { state: { ...state, view: 'detail', pane: 'pods', containers: true }, ctx: { ...ctx, pods } };
    case 'processes':
      return { state: { ...state, view: 'detail', processPane: true }, ctx: { ...ctx, processes } };
    case 'top':
      return { state: { ...state, view: 'top' }, ctx: { ...ctx, top } };
    case 'ctop':
      return { state: { ...state, containerTop: true }, ctx };
    case 'prompt':
      return { state: { ...state, prompt: 'ab', promptSelected: true, filterText: 'ab' }, ctx };
    case 'help':
      return { state: { ...state, help: true, helpScroll: 5 }, ctx };
  }
}

/** The state as reduceKey sees it before acting: the selection pinned to its node. */
const pinned = (s: UiState): UiState => ({ ...s, selection: { id: 'c', index: 2 } });

describe('the binding table', () => {
  it('is the key table of docs/reference.md, between its markers', () => {
    const reference = readFileSync(new URL('../../../docs/reference.md', import.meta.url), 'utf8');
    const between = /<!-- keys[^>]*-->\n([\s\S]*?)\n<!-- \/keys -->/.exec(reference);
    expect(between, 'docs/reference.md has <!-- keys --> … <!-- /keys --> markers').not.toBeNull();
    expect(between?.[1]).toBe(readmeKeyTable());
  });

  it('names every key it answers to in the keys the help shows', () => {
    for (const b of BINDINGS) {
      const shown = new Set(b.keys.flatMap((k) => [k, ...k.split('/')]));
      for (const p of b.presses) if (!p.any && !p.quiet) expect(shown, `${b.keys.join(' ')}: ${pressName(p)}`).toContain(pressName(p));
    }
  });

  it('has states for the tests that are in the scope they are meant for', () => {
    for (const scope of SCOPES) for (const rich of [true, false]) expect(scopeOf(setting(scope, rich).state, setting(scope, rich).ctx)).toBe(scope);
  });

  it('every key of a binding does something in each scope of the binding, where its condition holds', () => {
    for (const b of BINDINGS) {
      for (const scope of b.in) {
        const { state, ctx } = setting(scope, true);
        for (const p of b.presses) {
          const strokes = p.any ? ALL_STROKES.filter((s) => (p.any === 'text' ? printable(s) : !BINDINGS.some((o) => o.in.includes(scope) && o.presses.some((q) => same(q, s))))) : [strokeOf(p)];
          for (const s of strokes) {
            const result = reduceKey(state, s.input, inkKey(s), ctx);
            const what = `${pressName(p) || s.input} in ${scope}`;
            expect(result.note, what).toBeUndefined();
            expect(result.effect !== undefined || JSON.stringify(result.state) !== JSON.stringify(pinned(state)), what).toBe(true);
          }
        }
      }
    }
  });

  it('a key whose condition does not hold does nothing, and says why when the table has words for it', () => {
    const said: string[] = [];
    for (const b of BINDINGS) {
      for (const scope of b.in) {
        const { state, ctx } = setting(scope, false);
        const condition = conditionOf(b, scope);
        // The pods pane is there only for a Kubernetes node: Tab's condition holds in it.
        if (!condition || holds(condition, state, ctx)) continue;
        for (const p of b.presses) {
          const result = reduceKey(state, p.key ? '' : (p.input ?? ''), inkKey(strokeOf(p)), ctx);
          expect(result.effect).toBeUndefined();
          expect(result.state).toEqual(pinned(state));
          expect(result.note).toBe(b.unless);
          if (result.note) said.push(result.note);
        }
      }
    }
    expect(new Set(said)).toEqual(new Set(['b: no labels to group by', 'Tab: pods are shown for Kubernetes nodes only', 'a: no alerts to show', '[ ]: only in a replay (--replay FILE)', 'x: no warnings to dismiss', 'c: no node has containers (add cAdvisor targets, --cadvisor-port 8080, or run cluster-top agent)', 't: no process figures here (this machine, cluster-top agent, process-exporter)', 's: this node has no containers box (cAdvisor, --cadvisor-port, cluster-top agent)']));
  });

  it('a key not in the table does nothing anywhere; a key of another scope only says where it works', () => {
    for (const scope of SCOPES) {
      for (const rich of [true, false]) {
        const { state, ctx } = setting(scope, rich);
        for (const s of ALL_STROKES) {
          if (boundIn(scope, s)) continue;
          const result = reduceKey(state, s.input, inkKey(s), ctx);
          const what = `${JSON.stringify(s)} in ${scope}`;
          expect(result.effect, what).toBeUndefined();
          expect(result.state, what).toEqual(pinned(state));
          if (scope === 'prompt' || !boundAnywhere(s)) expect(result.note, what).toBeUndefined();
          else expect(result.note, what).toMatch(/^\S+: only in /);
        }
      }
    }
  });

  it('keeps Ctrl-C (quit) and Ctrl-Z (suspend) everywhere, the prompt and the help included, changing no state', () => {
    for (const scope of SCOPES) {
      const { state, ctx } = setting(scope, true);
      const quit = reduceKey(state, 'c', { ...NO_KEY, ctrl: true }, ctx);
      const suspend = reduceKey(state, 'z', { ...NO_KEY, ctrl: true }, ctx);
      expect([quit.effect, suspend.effect]).toEqual(['quit', 'suspend']);
      // The very same state: the App draws no frame while it gives the terminal back.
      expect(quit.state).toBe(state);
      expect(suspend.state).toBe(state);
    }
  });
});
