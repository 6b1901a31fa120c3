/**
 * What runs on each node, in a real terminal (tmux): two agents serving processes, cluster-top on
 * both; `t` in the table shows the heaviest processes of both nodes, Enter opens one node at its
 * processes, `e` draws the tree, at 80x24 and 200x60.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentServer, type RunningAgent } from '../../src/agent/agent-server.js';
import { ProcessReader } from '../../src/sources/local/process-reader.js';
import { ProcessTable } from '../../src/sources/local/process-table.js';
import { thisMachineReader } from '../../src/sources/local/readers.js';
import { BIN } from '../helpers/run-cli.js';
import { TMUX, TmuxSession } from '../helpers/tmux.js';
import { requireBinary } from '../helpers/real-binary.js';

const agentOf = () =>
  startAgentServer({ host: '127.0.0.1', port: 0, reader: thisMachineReader(), processes: { table: new ProcessTable(new ProcessReader()), top: 10, args: true } });

describe.runIf(process.platform === 'linux' && requireBinary(TMUX))('processes in a real terminal (tmux)', () => {
  let agents: RunningAgent[] = [];

  beforeAll(async () => {
    agents = [await agentOf(), await agentOf()];
  });
  afterAll(async () => {
    for (const a of agents) await a.close();
  });

  it('t: the cluster top of both nodes; Enter: the node at its processes; e: the tree; at 80x24 and 200x60', { timeout: 60_000 }, async () => {
    const command = `env -u CI ${process.execPath} ${BIN} -i 1s ${agents.map((a) => a.url).join(' ')}`;
    const tmux = new TmuxSession(command, { width: 80, height: 24 });
    try {
      let screen = await tmux.waitFor((s) => /\b2\/2 up\b/.test(s) && s.includes('t top'));
      tmux.send('t');
      screen = await tmux.waitFor((s) => s.includes('Heaviest processes  of 2 nodes with process figures') && /^>/m.test(s));
      const rows = screen.split('\n').filter((l) => /^[ >]\S+\s+\d+ \S+\s+\S/.test(l));
      expect(rows.length).toBeGreaterThan(5);
      // Both agents' rows are there, told apart by port.
      for (const a of agents) expect(screen).toContain(`:${a.port}`);
      for (const l of screen.split('\n')) expect(l.length).toBeLessThanOrEqual(80);

      tmux.send('Enter');
      screen = await tmux.waitFor((s) => /^Processes\s+\d+ on the node\s+top by CPU and memory/m.test(s));
      expect(screen).toMatch(/PID PROGRAM\s+USER\s+THR\s+MEM\s+CPU%▼/);
      tmux.send('e');
      screen = await tmux.waitFor((s) => /^Processes.*\btree\b/m.test(s));
      tmux.send('b');
      screen = await tmux.waitFor((s) => /PROGRAM\s+PROCS\s+THR\s+MEM\s+CPU%/.test(s));
      expect(screen).toMatch(/^Processes.*command names/m);

      tmux.resize(200, 60);
      tmux.send('b');
      screen = await tmux.waitFor((s) => /PID PROGRAM\s+COMMAND\s+USER\s+THR\s+MEM\s+CPU%▼/.test(s));
      // Rows distinct: no row drawn twice.
      const drawn = screen.split('\n').filter((l) => /^[ >]\s*\d+ /.test(l));
      expect(new Set(drawn).size).toBe(drawn.length);
      tmux.send('t');
      screen = await tmux.waitFor((s) => !s.includes('on the node') && /Target /.test(s));
    } finally {
      tmux.kill();
    }
  });
});
