import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeClusterSpecs, makeDemoSpecs } from '../../../src/simulator/sim-cluster.js';
import { BIN } from '../../helpers/run-cli.js';
import { requireBinary } from '../../helpers/real-binary.js';
import { TMUX, TmuxSession } from '../../helpers/tmux.js';
import { recordScenario, tempPath } from '../../record/scenario.js';

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

  it('--demo groups the nodes by their labels with b, and filters them by a label', async () => {
    // From 12 nodes the demo is makeClusterSpecs(8) and its GPU pool of four.
    const specs = makeDemoSpecs(12, 3);
    const tmux = start('--demo 12 --seed 3 -i 500ms');
    try {
      await tmux.waitFor((s) => specs.every((n) => s.includes(n.name)));
      // b groups by job first: one header per job, with its node count.
      tmux.send('b');
      const jobs = new Map<string, number>();
      for (const s of specs) jobs.set(s.labels!.job!, (jobs.get(s.labels!.job!) ?? 0) + 1);
      const grouped = await tmux.waitFor((s) => s.includes('by job') && [...jobs.keys()].every((job) => s.includes(`▾ ${job}`)));
      for (const [job, count] of jobs) expect(grouped).toMatch(new RegExp(`▾ ${job} ${count} nodes?\\b`));
      // A label filter keeps the nodes of one zone only.
      const zone = specs[0]!.labels!.zone!;
      const inZone = specs.filter((s) => s.labels!.zone === zone).map((s) => s.name);
      tmux.send('/');
      tmux.sendLiteral(`zone=${zone}`);
      tmux.send('Enter');
      // The table's rows, not the alert panel's (which names down nodes of any zone).
      const rows = (screen: string) => [...screen.matchAll(/^[ >](\S+)\s+(?:up|DOWN)\b/gm)].map((m) => m[1]).sort();
      const filtered = await tmux.waitFor((s) => s.includes(`${inZone.length}/12`) && rows(s).join() === [...inZone].sort().join());
      expect(rows(filtered)).toEqual([...inZone].sort());
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
      rmSync(dirname(path), { recursive: true, force: true });
    }
  });
});
