/**
 * A node whose name and instance label carry escape sequences, shown and opened in a real
 * terminal: the pane's title and tmux's paste buffers (OSC 0 and OSC 52 with set-clipboard on)
 * must stay as they were. A second pane that prints the same bytes raw proves this terminal
 * obeys them, so the check can fail.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { BIN } from '../helpers/run-cli.js';
import { requireBinary } from '../helpers/real-binary.js';
import { TMUX, TmuxSession } from '../helpers/tmux.js';
import { oneNodeAnswer, startFakePrometheus, type FakePrometheus } from '../sources/prometheus/fake-prometheus.js';

const TITLE = '\u001b]0;pwned-title\u0007';
const CLIPBOARD = '\u001b]52;c;cHduZWQtY2xpcGJvYXJk\u0007'; // "pwned-clipboard"
const NAME = `evil${TITLE}\nFAKE-ROW\u009b31m`;
const INSTANCE = `a:9100${CLIPBOARD}`;

describe.runIf(requireBinary(TMUX))('hostile names in a real terminal (tmux)', () => {
  let fake: FakePrometheus;
  let dir: string;
  const sessions: TmuxSession[] = [];

  beforeAll(async () => {
    fake = await startFakePrometheus((req) => {
      const answer = oneNodeAnswer(req);
      if (answer === 'hang') return answer;
      return { ...answer, body: answer.body.replaceAll('"alpha"', JSON.stringify(NAME)).replaceAll('"a:9100"', JSON.stringify(INSTANCE)) };
    });
    dir = tempDir('hostile-tmux');
  });
  afterAll(async () => {
    for (const s of sessions) s.kill();
    await fake?.close();
  });

  function open(command: string): TmuxSession {
    const tmux = new TmuxSession(command, { width: 120, height: 30 });
    sessions.push(tmux);
    tmux.command('set-option', '-g', 'set-clipboard', 'on');
    return tmux;
  }

  const buffers = (tmux: TmuxSession): string => tmux.command('list-buffers', '-F', '#{buffer_sample}');

  it('the same bytes printed raw do set the title and a paste buffer here', async () => {
    const raw = join(dir, 'raw');
    writeFileSync(raw, `${TITLE}${CLIPBOARD}`);
    const tmux = open(`sleep 0.5; cat '${raw}'; sleep 60`);
    await expect.poll(() => tmux.pane('#{pane_title}'), { timeout: 5000, interval: 100 }).toBe('pwned-title');
    expect(buffers(tmux)).toContain('pwned-clipboard');
  });

  it('cluster-top shows the node and its detail; the title and the paste buffers stay untouched', async () => {
    const inner = `exec env -u CI ${process.execPath} ${BIN} -i 1s --prometheus ${fake.url}`;
    const tmux = open(`sh -c "${inner}"; sleep 60`);
    const titleBefore = tmux.pane('#{pane_title}');
    const table = await tmux.waitFor((s) => s.includes('FAKE-ROW'));
    expect(table).toContain('evil\\x1b]0;pwned-title\\x07\\nFAKE-ROW\\u009b31m');
    // No row starts with the forged text: the newline did not split the row.
    expect(table.split('\n').some((l) => l.trimStart().startsWith('FAKE-ROW'))).toBe(false);
    tmux.send('Enter');
    const detail = await tmux.waitFor((s) => s.includes('Esc back'));
    expect(detail).toContain('a:9100\\x1b]52;c;cHduZWQtY2xpcGJvYXJk\\x07');
    // Give the terminal a few frames to act on anything it was sent.
    await new Promise((r) => setTimeout(r, 1500));
    expect(tmux.pane('#{pane_title}')).toBe(titleBefore);
    expect(tmux.pane('#{pane_title}')).not.toContain('pwned');
    expect(buffers(tmux)).toBe('');
    tmux.send('q');
  });
});
