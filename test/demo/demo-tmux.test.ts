import { describe, expect, it } from 'vitest';
import { makeClusterSpecs } from '../../src/simulator/sim-cluster.js';
import { BIN } from '../helpers/run-cli.js';
import { requireBinary } from '../helpers/real-binary.js';
import { TMUX, TmuxSession } from '../helpers/tmux.js';
import { recordScenario, tempPath } from '../record/scenario.js';

/** The program in a pane that stays after it exits, so its exit status can be read. */
function start(args: string): TmuxSession {
  // ink draws only the last frame when CI is set: the terminal user must see every frame.
  const command = `env -u CI ${process.execPath} ${BIN} ${args}; echo "cluster-top exited $?"; sleep 60`;
  return new TmuxSession(command, { width: 140, height: 30 });
}

async function quit(tmux: TmuxSession): Promise<string> {
  tmux.send('q');
  return tmux.waitFor((s) => s.includes('cluster-top exited'));
}

describe.runIf(requireBinary(TMUX))('demo and replay in a real terminal (tmux)', () => {
  it('--demo shows the simulated nodes, the failing ones with their reasons, and quits with q', async () => {
    const names = makeClusterSpecs(8, 3).map((s) => s.name);
    const tmux = start('--demo 8 --seed 3 -i 500ms');
    try {
      const screen = await tmux.waitFor((s) => names.every((n) => s.includes(n)) && /\b6\/8 up\b/.test(s) && s.includes('timed out'));
      for (const name of names) expect(screen).toContain(name);
      expect(screen).toMatch(/\b6\/8 up\b/);
      expect(screen).toMatch(/DOWN\s+connection refused/);
      expect(screen).toMatch(/DOWN\s+timed out after 0\.4 s/);
      expect(screen).toContain('demo: 8 simulated nodes, seed 3');
      expect(await quit(tmux)).toContain('cluster-top exited 0');
    } finally {
      tmux.kill();
    }
  });

  it('--replay shows the recorded nodes and where the replay is, and quits with q', async () => {
    const path = tempPath();
    recordScenario(path, 150);
    const tmux = start(`--replay ${path} --at +20s`);
    try {
      const screen = await tmux.waitFor((s) => s.includes('alpha') && /\b3\/3 up\b/.test(s));
      expect(screen).toContain('alpha');
      expect(screen).toMatch(/\b3\/3 up\b/);
      // The replay moves on at 1x from +20s; paused, `]` and `[` move it by exactly a minute.
      expect(screen).toMatch(/replay \+(2\d|[3-9]\d)s of \+2m30s, 1x/);
      const position = (text: string) => /replay \+(?:(\d+)m)?(\d+)s of/.exec(text)?.slice(1).reduce((m, v, i) => m + Number(v ?? 0) * (i === 0 ? 60 : 1), 0);
      tmux.send('p');
      const paused = await tmux.waitFor((s) => s.includes(', 1x, paused'));
      const at = position(paused);
      expect(at).toBeGreaterThanOrEqual(20);
      tmux.send(']');
      const ahead = await tmux.waitFor((s) => position(s) !== at);
      expect(position(ahead)).toBe(at! + 60);
      tmux.send('[');
      const back = await tmux.waitFor((s) => position(s) === at);
      expect(position(back)).toBe(at);
      expect(back).toContain(', 1x, paused');
      expect(await quit(tmux)).toContain('cluster-top exited 0');
    } finally {
      tmux.kill();
    }
  });
});
