/**
 * The agent's process families against /proc read by the test, for processes the test starts: a
 * busy loop near 100 % of one core and one holding a known amount of memory. Scraped over HTTP,
 * parsed and read back by the same reader a cluster-top uses (ProcessDeriver).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentServer, type RunningAgent } from '../../src/agent/agent-server.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { ProcessDeriver } from '../../src/metrics/process-deriver.js';
import type { NodeProcesses, ProcessRow } from '../../src/metrics/process-figures.js';
import { ProcessReader } from '../../src/sources/local/process-reader.js';
import { ProcessTable } from '../../src/sources/local/process-table.js';
import { thisMachineReader } from '../../src/sources/local/readers.js';

const HOLD_BYTES = 200 * 1024 * 1024;
const SECRET = 'hunter2-do-not-show';

function stat(pid: number): { ticks: number; rssPages: number } {
  const line = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return { ticks: Number(f[11]) + Number(f[12]), rssPages: Number(f[21]) };
}
function vmRssBytes(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

describe.runIf(process.platform === 'linux')('the agent serving processes', () => {
  const children: ChildProcess[] = [];
  let agent: RunningAgent;
  let busy: ChildProcess;
  let holder: ChildProcess;

  beforeAll(async () => {
    busy = spawn(process.execPath, ['-e', 'for (;;) {}', '--', '--password', SECRET], { stdio: 'ignore' });
    // Buffer.alloc(n, 1) writes every page, so all of it is resident.
    holder = spawn(process.execPath, ['-e', `globalThis.b = Buffer.alloc(${HOLD_BYTES}, 1); process.stdout.write('ready'); setInterval(() => {}, 60000)`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(busy, holder);
    await new Promise((resolve) => holder.stdout?.once('data', resolve));
    agent = await startAgentServer({
      host: '127.0.0.1',
      port: 0,
      reader: thisMachineReader(),
      processes: { table: new ProcessTable(new ProcessReader()), top: 30, args: true },
    });
  }, 20_000);
  afterAll(async () => {
    await agent?.close();
    for (const c of children) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await exited;
    }
  });

  async function scrape(deriver: ProcessDeriver): Promise<{ text: string; processes: NodeProcesses | null }> {
    const res = await fetch(agent.url);
    const text = await res.text();
    return { text, processes: deriver.update(parseExposition(text).samples, Date.now()) };
  }
  const find = (p: NodeProcesses | null, pid: number | undefined): ProcessRow | undefined => p?.processes.find((r) => r.pid === pid);

  it('serves the busy loop near one core and the holder\'s resident memory, as /proc says', { timeout: 20_000 }, async () => {
    const deriver = new ProcessDeriver();
    await scrape(deriver);
    const before = { t: performance.now(), ticks: stat(busy.pid!).ticks };
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { text, processes } = await scrape(deriver);
    const after = { t: performance.now(), ticks: stat(busy.pid!).ticks };
    const expectedCpu = (after.ticks - before.ticks) / ((after.t - before.t) / 1000); // ticks/s = % of a core at USER_HZ 100

    const row = find(processes, busy.pid);
    expect(row, 'the busy loop is among the top processes').toBeDefined();
    expect(row!.cpuPercent).not.toBeNull();
    expect(Math.abs(row!.cpuPercent! - expectedCpu)).toBeLessThan(5);
    expect(row!.command).toBe('node');
    expect(row!.ppid).toBe(process.pid);

    const held = find(processes, holder.pid);
    expect(held, 'the holder is among the top by memory').toBeDefined();
    const rss = vmRssBytes(holder.pid!);
    expect(Math.abs(held!.memoryBytes! - rss) / rss).toBeLessThan(0.05);
    expect(held!.memoryBytes!).toBeGreaterThan(HOLD_BYTES);

    // Arguments served, the secret masked on the wire already.
    expect(row!.args).toContain('--password ***');
    expect(text).not.toContain(SECRET);
    expect(text).toMatch(/^# TYPE cluster_top_process_cpu_seconds_total counter$/m);
    expect(text).toMatch(/^# HELP cluster_top_process_group_resident_memory_bytes /m);

    const nodeGroup = processes!.groups.find((g) => g.command === 'node');
    expect(nodeGroup!.count).toBeGreaterThanOrEqual(3); // this test's node, the loop and the holder
    expect(processes!.total).toBeGreaterThanOrEqual(processes!.groups.reduce((n, g) => n + (g.count ?? 0), 0));
  });

  it('serves at most 2 × top processes, and no arguments without --process-args', async () => {
    const small = await startAgentServer({
      host: '127.0.0.1',
      port: 0,
      reader: thisMachineReader(),
      processes: { table: new ProcessTable(new ProcessReader()), top: 2, args: false },
    });
    try {
      const text = await (await fetch(small.url)).text();
      const cpuSeries = text.split('\n').filter((l) => l.startsWith('cluster_top_process_cpu_seconds_total{'));
      expect(cpuSeries.length).toBeGreaterThan(0);
      expect(cpuSeries.length).toBeLessThanOrEqual(4);
      expect(text).not.toContain('args=');
      expect(text).not.toContain(SECRET);
    } finally {
      await small.close();
    }
  });
});
