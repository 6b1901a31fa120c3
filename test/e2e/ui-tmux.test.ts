import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { it } from '../helpers/temp-dir.js';
import { BIN } from '../helpers/run-cli.js';
import { NODE_EXPORTER, freePort, startNodeExporter, type RunningExporter } from '../helpers/node-exporter.js';
import { requireBinary } from '../helpers/real-binary.js';
import { serve, type Endpoint } from '../helpers/http-endpoints.js';
import { TMUX, TmuxSession } from '../helpers/tmux.js';

const FIXTURE = readFileSync(new URL('../fixtures/node-exporter.prom', import.meta.url), 'utf8');

/** A node_exporter payload (the real capture) under another node name. */
function fakeNode(nodename: string): Promise<Endpoint> {
  const body = FIXTURE.replace(/nodename="[^"]*"/, `nodename="${nodename}"`);
  return serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body));
}

const selectedLine = (screen: string) => screen.split('\n').find((l) => l.startsWith('>')) ?? '';

describe.runIf(requireBinary(NODE_EXPORTER) && requireBinary(TMUX))('the interactive UI in a real terminal (tmux)', () => {
  let exporter: RunningExporter;
  let alpha: Endpoint;
  let zeta: Endpoint;
  let closedPort: number;
  let args: string;

  beforeAll(async () => {
    exporter = await startNodeExporter();
    alpha = await fakeNode('alpha-node');
    zeta = await fakeNode('zeta-node');
    closedPort = await freePort();
    args = [exporter.url, alpha.url, zeta.url, `127.0.0.1:${closedPort}`].map((a) => `'${a}'`).join(' ');
  });
  afterAll(async () => {
    await exporter?.stop();
    await alpha?.close();
    await zeta?.close();
  });

  /**
   * The program in a pane that stays alive after it exits, so the restored terminal can be read.
   * The inner shell writes its pid and execs the program, so that pid is the program's.
   */
  function start(pidFile: string): TmuxSession {
    // ink draws only the last frame when CI is set: the terminal user must see every frame.
    const inner = `echo \\$\\$ > ${pidFile}; exec env -u CI ${process.execPath} ${BIN} -i 500ms ${args}`;
    const command = `sh -c "${inner.replace(/"/g, '\\"')}"; echo "cluster-top exited $?"; sleep 60`;
    return new TmuxSession(command, { width: 120, height: 36 });
  }

  it('shows the nodes, opens the selected node\'s detail, and quits with q restoring the terminal', async ({ tmp }) => {
    const tmux = start(join(tmp, 'pid'));
    try {
      const hostname = readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
      let screen = await tmux.waitFor((s) => ['alpha-node', 'zeta-node', hostname, 'DOWN'].every((w) => s.includes(w)) && /\b3\/4 up\b/.test(s));
      expect(screen).toContain('alpha-node');
      expect(screen).toContain('zeta-node');
      expect(screen).toContain(hostname);
      expect(screen).toMatch(/DOWN\s+connection refused/);
      expect(screen).toMatch(/\b3\/4 up\b/);
      expect(tmux.pane('#{alternate_on}')).toBe('1');

      // Walk down to zeta-node, whatever row the sort put it on, and open it.
      tmux.send('g');
      for (let i = 0; i < 8 && !selectedLine(screen).includes('zeta-node'); i++) {
        tmux.send('j');
        screen = await tmux.waitFor((s) => selectedLine(s) !== selectedLine(screen), 20, 50);
      }
      expect(selectedLine(screen)).toContain('zeta-node');
      tmux.send('Enter');
      screen = await tmux.waitFor((s) => s.includes(`Target ${zeta.url}`));
      expect(screen).toContain(`Target ${zeta.url}`);
      expect(screen).toMatch(/^zeta-node\s+up/m);
      expect(screen).toMatch(/Esc back/);

      tmux.send('Escape');
      screen = await tmux.waitFor((s) => !s.includes(`Target ${zeta.url}`) && s.includes('alpha-node'));
      expect(selectedLine(screen)).toContain('zeta-node');

      // The mouse: reports asked for in SGR form; a click selects alpha-node's row, a second opens it.
      expect([tmux.pane('#{mouse_standard_flag}'), tmux.pane('#{mouse_sgr_flag}')]).toEqual(['1', '1']);
      // The alert panel comes with the down target's alert and moves the rows down: hidden (a), they stay put.
      screen = await tmux.waitFor((s) => /^ALERTS/m.test(s));
      expect(screen).toMatch(/^ALERTS/m);
      tmux.send('a');
      screen = await tmux.waitFor((s) => s.includes('alpha-node') && !/^ALERTS/m.test(s));
      const row = screen.split('\n').findIndex((l) => l.slice(1).trimStart().startsWith('alpha-node '));
      const click = `\u001B[<0;4;${row + 1}M\u001B[<0;4;${row + 1}m`;
      tmux.sendLiteral(click);
      screen = await tmux.waitFor((s) => selectedLine(s).includes('alpha-node'));
      expect(selectedLine(screen)).toContain('alpha-node');
      tmux.sendLiteral(click);
      screen = await tmux.waitFor((s) => s.includes(`Target ${alpha.url}`));
      expect(screen).toContain(`Target ${alpha.url}`);
      tmux.send('Escape');
      screen = await tmux.waitFor((s) => !s.includes(`Target ${alpha.url}`) && s.includes('zeta-node'));

      tmux.send('q');
      screen = await tmux.waitFor((s) => s.includes('cluster-top exited'));
      expect(screen).toContain('cluster-top exited 0');
      expect(tmux.pane('#{alternate_on}')).toBe('0');
      expect(tmux.pane('#{cursor_flag}')).toBe('1');
      expect([tmux.pane('#{mouse_standard_flag}'), tmux.pane('#{mouse_sgr_flag}')]).toEqual(['0', '0']);
      expect(screen).not.toContain('alpha-node'); // the UI's screen is gone with the alternate buffer
    } finally {
      tmux.kill();
    }
  });

  it.for<[string, (t: TmuxSession, pid: number) => void]>([
    ['Ctrl-C', (t) => t.send('C-c')],
    ['SIGTERM', (_t, pid) => process.kill(pid, 'SIGTERM')],
    ['SIGHUP (terminal closed)', (_t, pid) => process.kill(pid, 'SIGHUP')],
  ])('restores the terminal on %s', async ([_name, act], { tmp }) => {
    const pidFile = join(tmp, 'pid');
    const tmux = start(pidFile);
    try {
      await tmux.waitFor((s) => s.includes('alpha-node'));
      expect(tmux.pane('#{alternate_on}')).toBe('1');
      expect(tmux.pane('#{mouse_sgr_flag}')).toBe('1');
      act(tmux, Number(readFileSync(pidFile, 'utf8')));
      const screen = await tmux.waitFor((s) => s.includes('cluster-top exited'));
      expect(screen).toMatch(/cluster-top exited (0|129|130|143)\b/);
      expect(tmux.pane('#{alternate_on}')).toBe('0');
      expect(tmux.pane('#{cursor_flag}')).toBe('1');
      expect([tmux.pane('#{mouse_standard_flag}'), tmux.pane('#{mouse_sgr_flag}')]).toEqual(['0', '0']);
      expect(screen).not.toMatch(/\n\s+at /); // no stack trace left behind
    } finally {
      tmux.kill();
    }
  });
});
