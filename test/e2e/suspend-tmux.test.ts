/**
 * Job control in a real terminal: an interactive bash in tmux starts cluster-top; Ctrl-Z and a
 * SIGTSTP from outside give the terminal back (main screen, cursor shown, mouse reports off, line
 * mode: the shell echoes what is typed), and `fg` takes it again with a whole frame from the top.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClusterSpecs } from '../../src/simulator/sim-cluster.js';
import { tempDir } from '../helpers/temp-dir.js';
import { BIN } from '../helpers/run-cli.js';
import { requireBinary } from '../helpers/real-binary.js';
import { TMUX, TmuxSession } from '../helpers/tmux.js';

const BASH = '/bin/bash';
/** The nodes of `--demo 4` (seed 1). */
const NAMES = makeClusterSpecs(4, 1).map((s) => s.name);

describe.runIf(requireBinary(TMUX) && requireBinary(BASH))('Ctrl-Z and fg in a real shell (tmux)', () => {
  let dir: string;
  const sessions: TmuxSession[] = [];
  beforeAll(() => {
    dir = tempDir('suspend');
  });
  afterAll(() => {
    for (const s of sessions) s.kill();
  });

  function shell(): TmuxSession {
    const tmux = new TmuxSession(`env -u CI PS1='$ ' ${BASH} --norc --noprofile -i`, { width: 100, height: 30 });
    sessions.push(tmux);
    return tmux;
  }

  const given = (tmux: TmuxSession) => ({
    alternate: tmux.pane('#{alternate_on}'),
    cursor: tmux.pane('#{cursor_flag}'),
    mouse: tmux.pane('#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}'),
  });

  async function startTop(tmux: TmuxSession, pidFile: string): Promise<string> {
    await tmux.waitFor((s) => s.includes('$'));
    tmux.sendLiteral(`sh -c 'echo $$ > ${pidFile}; exec ${process.execPath} ${BIN} --demo 4 -i 1s'`);
    tmux.send('Enter');
    return tmux.waitFor((s) => s.includes(NAMES[3]!) && s.includes('q quit'));
  }

  it('Ctrl-Z gives the terminal back, the shell works in line mode, and fg redraws the whole frame', async () => {
    const tmux = shell();
    const pidFile = join(dir, 'ctrl-z.pid');
    await startTop(tmux, pidFile);
    const running = given(tmux);
    expect(running).toMatchObject({ alternate: '1', cursor: '0' });
    expect(running.mouse).not.toBe('0000');
    tmux.send('C-z');
    const stopped = await tmux.waitFor((s) => /Stopped/.test(s));
    expect(stopped).toMatch(/Stopped/);
    expect(given(tmux)).toEqual({ alternate: '0', cursor: '1', mouse: '0000' });
    // Line mode: the shell echoes and runs what is typed.
    tmux.sendLiteral('echo back-in-the-shell');
    tmux.send('Enter');
    expect(await tmux.waitFor((s) => /^back-in-the-shell$/m.test(s))).toMatch(/^back-in-the-shell$/m);
    tmux.sendLiteral('fg');
    tmux.send('Enter');
    const again = await tmux.waitFor((s) => s.split('\n')[0]?.startsWith('cluster-top') === true && s.includes('q quit'));
    expect(given(tmux).alternate).toBe('1');
    expect(given(tmux).cursor).toBe('0');
    // The whole frame, from the first row: the header on top, the key hints on the last used row.
    const lines = again.split('\n');
    expect(lines[0]).toMatch(/^cluster-top\s+\d+\/4 up/);
    expect(lines.filter((l) => NAMES.some((n) => l.includes(n))).length).toBeGreaterThanOrEqual(4);
    // Keys work again (raw mode): q quits at once, without Enter.
    tmux.send('q');
    const left = await tmux.waitFor((s) => /\$ $/m.test(s.trimEnd() + ' ') && given(tmux).alternate === '0');
    expect(given(tmux)).toEqual({ alternate: '0', cursor: '1', mouse: '0000' });
    expect(left).not.toContain('q quit');
  });

  it('kill -TSTP from outside does the same, and fg takes the terminal again', async () => {
    const tmux = shell();
    const pidFile = join(dir, 'tstp.pid');
    await startTop(tmux, pidFile);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    process.kill(pid, 'SIGTSTP');
    await tmux.waitFor((s) => /Stopped/.test(s));
    expect(given(tmux)).toEqual({ alternate: '0', cursor: '1', mouse: '0000' });
    tmux.sendLiteral('fg');
    tmux.send('Enter');
    const again = await tmux.waitFor((s) => s.split('\n')[0]?.startsWith('cluster-top') === true);
    expect(again.split('\n')[0]).toMatch(/^cluster-top/);
    expect(given(tmux).alternate).toBe('1');
    tmux.send('q');
    await tmux.waitFor(() => given(tmux).alternate === '0');
    expect(given(tmux)).toEqual({ alternate: '0', cursor: '1', mouse: '0000' });
  });
});
