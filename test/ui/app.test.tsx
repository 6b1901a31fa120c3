import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { ANSI, buildStore, FRAME_WAIT, frameLines, makeFigures, NOW, tick, upHealth, type } from './fixtures.js';

afterEach(() => cleanup());

const DOWN = '\u001B[B';
const ESC = '\u001B';

interface SetupProps {
  intervalMs?: number;
  noteMs?: number;
  notice?: () => string | undefined;
  onIntervalChange?: (ms: number) => void;
  onPause?: (paused: boolean) => void;
  onSeek?: (deltaMs: number) => void;
}

function setup(props: SetupProps = {}) {
  const store = buildStore(10);
  const onQuit = vi.fn();
  const r = render(<App store={store} intervalMs={props.intervalMs ?? 2000} onQuit={onQuit} now={() => NOW} color={false} {...props} />);
  return { store, onQuit, ...r };
}

/** The name on the row marked as selected. */
function selectedName(frame: string | undefined): string | undefined {
  return frameLines(frame)
    .find((l) => l.startsWith('>'))
    ?.slice(1)
    .trim()
    .split(/\s+/)[0];
}

describe('App', () => {
  it('tells the source of pause and resume, and seeks a minute with [ and ]', async () => {
    const onPause = vi.fn();
    const onSeek = vi.fn();
    let notice = 'replay 05:00';
    const { stdin, lastFrame } = setup({ onPause, onSeek, notice: () => notice });
    await tick();
    expect(lastFrame()).toContain('replay 05:00');
    await type(stdin, 'p');
    expect(onPause).toHaveBeenLastCalledWith(true);
    expect(lastFrame()).toMatch(/paused/i);
    await type(stdin, '[', ']', ']');
    expect(onSeek.mock.calls).toEqual([[-60_000], [60_000], [60_000]]);
    notice = 'replay 05:01';
    await type(stdin, 'p');
    expect(onPause).toHaveBeenLastCalledWith(false);
    expect(lastFrame()).toContain('replay 05:01');
    // Two presses in one chunk of input toggle twice.
    stdin.write('pp');
    await tick();
    expect(onPause.mock.calls.slice(-2)).toEqual([[true], [false]]);
  });

  it('shows the cluster header, every node and the key hints', async () => {
    const { lastFrame } = setup({ notice: () => 'metrics API fallback' });
    await tick();
    const frame = lastFrame() ?? '';
    expect(frame).toContain('4/5 up');
    expect(frame).toContain('metrics API fallback');
    expect(frame).toContain('every 2s');
    expect(frame).toMatch(/\d\d:\d\d:\d\d/);
    expect(frame).toContain('NODE▲');
    for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) expect(frame).toContain(name);
    expect(frame).toContain('q quit');
  });

  it('shows a down node as DOWN with the age of its last good scrape and its error', async () => {
    const { lastFrame } = setup();
    await tick();
    const row = frameLines(lastFrame()).find((l) => l.includes('delta'));
    expect(row).toMatch(/DOWN 12s\s+connection refused/);
  });

  it('moves the selection with j/k, arrows and g/G', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    expect(selectedName(lastFrame())).toBe('alpha');
    await type(stdin, 'j');
    expect(selectedName(lastFrame())).toBe('bravo');
    await type(stdin, DOWN);
    expect(selectedName(lastFrame())).toBe('charlie');
    await type(stdin, 'k');
    expect(selectedName(lastFrame())).toBe('bravo');
    await type(stdin, 'G');
    expect(selectedName(lastFrame())).toBe('echo');
    await type(stdin, 'g');
    expect(selectedName(lastFrame())).toBe('alpha');
  });

  it('follows the mouse: the wheel moves the selection, a click selects a row, a second click opens it', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    const wheelDown = '\u001B[<65;20;10M';
    const clickOn = (name: string): string => {
      const row = frameLines(lastFrame()).findIndex((l) => l.slice(1).trim().startsWith(`${name} `));
      return `\u001B[<0;5;${row + 1}M\u001B[<0;5;${row + 1}m`;
    };
    await type(stdin, wheelDown);
    expect(selectedName(lastFrame())).toBe('delta');
    await type(stdin, '\u001B[<64;20;10M');
    expect(selectedName(lastFrame())).toBe('alpha');
    await type(stdin, clickOn('charlie'));
    expect(selectedName(lastFrame())).toBe('charlie');
    // No part of a report is read as a key: 'M', digits, ';' and '<' do nothing here.
    expect(lastFrame()).toContain('NODE▲');
    await type(stdin, clickOn('charlie'));
    expect(lastFrame()).toMatch(/charlie/);
    expect(lastFrame()).not.toContain('NODE▲');
    await type(stdin, ESC);
    expect(selectedName(lastFrame())).toBe('charlie');
  });

  it('reads X10 mouse reports too (terminals without SGR): a click in column 81 does not type q', async () => {
    const { stdin, lastFrame, onQuit } = setup();
    await tick();
    const row = frameLines(lastFrame()).findIndex((l) => l.slice(1).trim().startsWith('bravo '));
    const click = `\u001B[M${String.fromCharCode(32, 81 + 32, row + 1 + 32)}`;
    expect(click.at(-2)).toBe('q');
    await type(stdin, click);
    expect(onQuit).not.toHaveBeenCalled();
    expect(selectedName(lastFrame())).toBe('bravo');
    await type(stdin, '\u001B[M', String.fromCharCode(32 + 65, 33, 33), 'j');
    expect(onQuit).not.toHaveBeenCalled();
    // The wheel moved three rows down from bravo, to the last node; the j after it is a key again.
    expect(selectedName(lastFrame())).toBe('echo');
    await type(stdin, 'k');
    expect(selectedName(lastFrame())).toBe('delta');
  });

  it('handles keys that arrive together in one chunk, as when typed fast or pasted', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, 'jj');
    expect(selectedName(lastFrame())).toBe('charlie');
    await type(stdin, '/elt\r');
    expect(lastFrame()).toContain('delta');
    expect(lastFrame()).not.toContain('charlie');
  });

  it('keeps the selected node selected when the sort changes the order', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, 'j', 'j');
    expect(selectedName(lastFrame())).toBe('charlie');
    await type(stdin, 's');
    expect(lastFrame()).toContain('CPU▼');
    expect(selectedName(lastFrame())).toBe('charlie');
    await type(stdin, 'S');
    expect(lastFrame()).toContain('CPU▲');
    expect(selectedName(lastFrame())).toBe('charlie');
  });

  it('keeps the selected node selected when new data reorders the rows', async () => {
    const { stdin, store, lastFrame } = setup();
    await tick();
    await type(stdin, 's', 'g', 'j');
    expect(selectedName(lastFrame())).toBe('bravo');
    store.record('http://bravo:9100/metrics', NOW + 1000, { name: 'bravo', source: 'node_exporter', figures: makeFigures({ cpu: 99, mem: 50 }), health: upHealth(NOW + 1000) });
    await expect.poll(lastFrame, FRAME_WAIT).toContain(' 99%');
    const frame = lastFrame();
    expect(frameLines(frame).findIndex((l) => l.includes('bravo'))).toBeLessThan(frameLines(frame).findIndex((l) => l.includes('charlie')));
    expect(selectedName(frame)).toBe('bravo');
  });

  it('filters rows by substring, by regex, and shows an invalid regex as an error', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, '/', 'AR', '\r');
    expect(lastFrame()).toContain('charlie');
    expect(lastFrame()).not.toContain('alpha');
    expect(lastFrame()).toContain('1/5');
    await type(stdin, '/', ...'\u007f\u007f', '^(a|e)', '\r');
    expect(lastFrame()).toContain('alpha');
    expect(lastFrame()).toContain('echo');
    expect(lastFrame()).not.toContain('bravo');
    await type(stdin, '/', '[oops');
    expect(lastFrame()).toContain('invalid regex');
    await type(stdin, '\r');
    expect(lastFrame()).toContain('invalid regex');
    await type(stdin, ESC);
    expect(lastFrame()).not.toContain('invalid regex');
    for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) expect(lastFrame()).toContain(name);
  });

  it('filters as the text is typed; an invalid regex keeps the last valid filter; Esc clears and closes', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, '/', 'c');
    expect(lastFrame()).toContain('filter: c');
    expect(lastFrame()).toContain('charlie');
    expect(lastFrame()).not.toContain('alpha');
    await type(stdin, 'h', '[');
    expect(lastFrame()).toContain('invalid regex');
    expect(lastFrame()).toContain('charlie');
    expect(lastFrame()).not.toContain('bravo');
    await type(stdin, '\u0015', 'a');
    expect(lastFrame()).toContain('filter: a');
    expect(lastFrame()).toContain('alpha');
    expect(lastFrame()).toContain('bravo');
    expect(lastFrame()).not.toContain('echo');
    await type(stdin, ESC);
    expect(lastFrame()).not.toContain('filter:');
    expect(frameLines(lastFrame()).at(-2)).not.toContain('filter a');
    for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) expect(lastFrame()).toContain(name);
  });

  it('opens the prompt on the last filter, which typing replaces rather than extends', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, '/', 'alp', '\r');
    expect(lastFrame()).toContain('filter alp');
    await type(stdin, '/');
    expect(lastFrame()).toContain('filter: alp');
    expect(lastFrame()).toContain('typing replaces it');
    await type(stdin, 'ech', '\r');
    expect(lastFrame()).toContain('filter ech');
    expect(lastFrame()).toContain('echo');
    expect(lastFrame()).not.toContain('alpha');
  });

  it('says for a moment why a key does nothing: b without labels, [ outside a replay, + at the longest interval', async () => {
    const onIntervalChange = vi.fn();
    const { stdin, lastFrame } = setup({ intervalMs: 60_000, onIntervalChange });
    await tick();
    const status = (): string => frameLines(lastFrame()).at(-2) ?? '';
    expect(lastFrame()).not.toContain('b group');
    expect(lastFrame()).not.toContain('[] seek');
    await type(stdin, 'b');
    expect(status()).toContain('b: no labels to group by');
    // The next key takes it away.
    await type(stdin, 'j');
    expect(status()).toMatch(/^bravo /);
    await type(stdin, '[');
    expect(status()).toContain('[ ]: only in a replay');
    await type(stdin, '+');
    expect(status()).toContain('+: 60s is the longest interval');
    expect(onIntervalChange).not.toHaveBeenCalled();
    await type(stdin, '-');
    expect(onIntervalChange.mock.calls).toEqual([[30_000]]);
    await type(stdin, '\r');
    expect(frameLines(lastFrame()).at(-1)).not.toContain('Tab');
    await type(stdin, '\t');
    expect(status()).toContain('Tab: pods are shown for Kubernetes nodes only');
    await type(stdin, 's');
    expect(status()).toContain('s: this node has no containers box (cAdvisor, --cadvisor-port, cluster-top agent)');
  });

  it('takes the note away by itself after a moment', async () => {
    const { stdin, lastFrame, frames } = setup({ noteMs: 20 });
    await tick();
    await type(stdin, 'b');
    // A busy machine may take the 20 ms away before the test looks: the note was drawn in some frame.
    expect(frames.some((f) => f.includes('b: no labels to group by'))).toBe(true);
    await expect.poll(lastFrame, FRAME_WAIT).not.toContain('no labels');
    expect(frameLines(lastFrame()).at(-2)).toMatch(/^alpha /);
  });

  it('shows [ ] in the footer only in a replay, and a only with alerts listed', async () => {
    const { lastFrame } = setup({ onSeek: vi.fn() });
    await tick();
    expect(frameLines(lastFrame()).at(-1)).toContain('[] seek');
    expect(frameLines(lastFrame()).at(-1)).not.toContain('a alerts');
  });

  it('opens the selected node detail on Enter, with its cores, and closes it on Esc', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, 'j', '\r');
    const detail = lastFrame() ?? '';
    expect(detail).toMatch(/^bravo\s+up\s+4 cores/m);
    expect(detail).toMatch(/C0 .*C1 .*C2 .*C3 /);
    expect(detail).toContain('Target http://bravo:9100/metrics');
    expect(detail).not.toContain('NODE▲');
    await type(stdin, ESC);
    expect(lastFrame()).toContain('NODE▲');
    expect(selectedName(lastFrame())).toBe('bravo');
  });

  it('opens help on ? and closes it on ? or any key', async () => {
    const { stdin, lastFrame, onQuit } = setup();
    await tick();
    await type(stdin, '?');
    expect(lastFrame()).toContain('Keys');
    expect(lastFrame()).toContain('reverse the sort');
    await type(stdin, '?');
    expect(lastFrame()).not.toContain('reverse the sort');
    await type(stdin, '?', 'q');
    expect(lastFrame()).not.toContain('reverse the sort');
    expect(onQuit).not.toHaveBeenCalled();
  });

  it('pauses the display: the store keeps changing, the frame does not', async () => {
    const { stdin, store, lastFrame } = setup();
    await tick();
    await type(stdin, 'p');
    expect(lastFrame()).toContain('PAUSED');
    store.record('http://alpha:9100/metrics', NOW + 1000, { name: 'alpha', source: 'node_exporter', figures: makeFigures({ cpu: 99, mem: 30 }), health: upHealth(NOW + 1000) });
    await type(stdin, 'j');
    const alphaRow = (f: string | undefined) => frameLines(f).find((l) => l.includes('alpha')) ?? '';
    expect(selectedName(lastFrame())).toBe('bravo');
    expect(alphaRow(lastFrame())).toContain(' 20%');
    await type(stdin, 'p');
    expect(lastFrame()).not.toContain('PAUSED');
    expect(alphaRow(lastFrame())).toContain(' 99%');
  });

  it('asks for the next interval step on + and -', async () => {
    const onIntervalChange = vi.fn();
    const { stdin } = setup({ onIntervalChange });
    await tick();
    await type(stdin, '+', '-');
    expect(onIntervalChange.mock.calls).toEqual([[5000], [1000]]);
  });

  it('quits on q and on Ctrl-C', async () => {
    const { stdin, onQuit } = setup();
    await tick();
    await type(stdin, 'q');
    expect(onQuit).toHaveBeenCalledTimes(1);
    await type(stdin, '\u0003');
    expect(onQuit).toHaveBeenCalledTimes(2);
  });

  it('writes no escape sequence at all with color off', async () => {
    const { stdin, frames } = setup();
    await tick();
    await type(stdin, 'j', '/', 'x', ESC, '\r', ESC, '?', '?', 'p');
    expect(frames.length).toBeGreaterThan(5);
    for (const frame of frames) expect(frame).not.toMatch(ANSI);
  });
});

describe('App after a seek', () => {
  it('shows the header and the table at the same moment in the first frame after [', async () => {
    const store = buildStore(3);
    const name = store.nodes()[0]?.name ?? '';
    // The seek changes the store at once, between two ticks of the frame clock, as a replay's does.
    const onSeek = vi.fn(() => {
      for (const n of store.nodes()) store.record(n.id, NOW + 1000, { name: n.name, source: 'node_exporter', figures: makeFigures({ cpu: 97, mem: 50 }), health: upHealth(NOW + 1000) });
    });
    const { stdin, lastFrame } = render(<App store={store} intervalMs={2000} onQuit={vi.fn()} now={() => NOW} color={false} onSeek={onSeek} frameMs={60_000} />);
    await tick();
    stdin.write('[');
    await tick();
    const lines = frameLines(lastFrame());
    expect(lines.find((l) => l.includes(name) && l.includes('%'))).toMatch(/97%/);
    expect(lines[0]).toMatch(/CPU .*97\.0%/);
  });
});
