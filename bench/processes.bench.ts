/**
 * What serving processes costs: `cluster-top agent` (node families and processes), node_exporter
 * (node families only) and prometheus-process-exporter (process groups), each scraped once a second
 * on loopback for the same seconds, on this machine with at least PROCESSES processes (sleeping
 * ones are started to make up the number, as the target is set at 500). Their own CPU
 * seconds and RSS come from /proc/<pid>/stat, read by the bench; ratios to the peers are printed.
 * Another build's bin/cluster-top.js, when given, serves beside, so before and after are measured
 * in the same seconds. Also: the cost of one /proc scan per process, in this process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessReader } from '../src/sources/local/process-reader.js';
import { ProcessTable, topProcesses } from '../src/sources/local/process-table.js';

const BIN = fileURLToPath(new URL('../bin/cluster-top.js', import.meta.url));
/** Seconds of each of the two windows measured. */
const SECONDS = 30;
const PAGE = 4096;
/** The machine: the bench tops this one up to it with sleeping processes. */
export const PROCESSES = 500;

export interface ServerCost {
  readonly name: string;
  /** Over the first SECONDS after it answered (start-up: V8 still compiling the agent's code). */
  readonly startCpuSecondsPerSecond: number;
  /** Over the next SECONDS: what a long-running server costs. */
  readonly cpuSecondsPerSecond: number;
  readonly rssBytes: number;
  readonly bodyBytes: number;
}

export interface ProcessesBench {
  readonly processes: number;
  /** Sleeping processes the bench started to reach PROCESSES. */
  readonly started: number;
  /** Processes on the machine before and after the measured seconds. */
  readonly during: readonly [number, number];
  readonly scanMicrosPerProcess: number;
  readonly servers: readonly ServerCost[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function stat(pid: number): { cpuSeconds: number; rssBytes: number } {
  const line = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return { cpuSeconds: (Number(f[11]) + Number(f[12])) / 100, rssBytes: Number(f[21]) * PAGE };
}

async function answers(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within 10 s`);
}

function processCount(): number {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
}

/** Sleeping processes, enough for the machine to hold `target`; each killed by its pid after. */
async function topUp(target: number): Promise<ChildProcess[]> {
  const sleepers: ChildProcess[] = [];
  const missing = target - processCount();
  for (let i = 0; i < missing; i++) {
    const child = spawn('sleep', ['3600'], { stdio: 'ignore' });
    sleepers.push(child);
    await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  }
  return sleepers;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

function scanCost(): { processes: number; micros: number } {
  const table = new ProcessTable(new ProcessReader());
  table.read();
  const runs = 50;
  let n = 0;
  const t0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const r = table.read();
    topProcesses(r, 30);
    n += r.processes.length;
  }
  const used = process.cpuUsage(t0);
  table.close();
  return { processes: n / runs, micros: (used.user + used.system) / n };
}

export async function benchProcesses(otherBin?: string): Promise<ProcessesBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ct-bench-processes-'));
  writeFileSync(join(dir, 'pe.yml'), 'process_names:\n  - name: "{{.Comm}}"\n    cmdline: [".+"]\n');
  const [agentPort, nodePort, pePort, plainPort, otherPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const servers: { name: string; child: ChildProcess; url: string }[] = [
    { name: 'cluster-top agent', child: spawn(process.execPath, [BIN, 'agent', '--listen', `127.0.0.1:${agentPort}`], { stdio: 'ignore' }), url: `http://127.0.0.1:${agentPort}/metrics` },
    {
      name: 'agent --processes 0',
      child: spawn(process.execPath, [BIN, 'agent', '--listen', `127.0.0.1:${plainPort}`, '--processes', '0'], { stdio: 'ignore' }),
      url: `http://127.0.0.1:${plainPort}/metrics`,
    },
    {
      name: 'node_exporter',
      child: spawn('/usr/bin/prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${nodePort}`], { stdio: 'ignore' }),
      url: `http://127.0.0.1:${nodePort}/metrics`,
    },
    {
      name: 'process-exporter',
      child: spawn('/usr/bin/prometheus-process-exporter', [`-web.listen-address=127.0.0.1:${pePort}`, `-config.path=${join(dir, 'pe.yml')}`, '-gather-smaps=false'], { stdio: 'ignore' }),
      url: `http://127.0.0.1:${pePort}/metrics`,
    },
  ];
  if (otherBin !== undefined) {
    servers.splice(1, 0, {
      name: 'other build agent',
      child: spawn(process.execPath, [otherBin, 'agent', '--listen', `127.0.0.1:${otherPort}`], { stdio: 'ignore' }),
      url: `http://127.0.0.1:${otherPort}/metrics`,
    });
  }
  let sleepers: ChildProcess[] = [];
  try {
    sleepers = await topUp(PROCESSES);
    for (const s of servers) await answers(s.url);
    const countBefore = processCount();
    const bodies = servers.map(() => 0);
    const scrapeFor = async (seconds: number): Promise<void> => {
      for (let i = 0; i < seconds; i++) {
        const tick = new Promise((r) => setTimeout(r, 1000));
        await Promise.all(
          servers.map(async (s, k) => {
            const res = await fetch(s.url, { headers: { 'accept-encoding': 'identity' } });
            bodies[k] = (await res.arrayBuffer()).byteLength;
          }),
        );
        await tick;
      }
    };
    const before = servers.map((s) => stat(s.child.pid!));
    await scrapeFor(SECONDS);
    const middle = servers.map((s) => stat(s.child.pid!));
    await scrapeFor(SECONDS);
    const after = servers.map((s) => stat(s.child.pid!));
    const countAfter = processCount();
    const scan = scanCost();
    return {
      processes: scan.processes,
      started: sleepers.length,
      during: [countBefore, countAfter],
      scanMicrosPerProcess: scan.micros,
      servers: servers.map((s, k) => ({
        name: s.name,
        startCpuSecondsPerSecond: (middle[k]!.cpuSeconds - before[k]!.cpuSeconds) / SECONDS,
        cpuSecondsPerSecond: (after[k]!.cpuSeconds - middle[k]!.cpuSeconds) / SECONDS,
        rssBytes: after[k]!.rssBytes,
        bodyBytes: bodies[k]!,
      })),
    };
  } finally {
    for (const s of servers) await stop(s.child, 'SIGTERM');
    for (const child of sleepers) await stop(child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printProcesses(r: ProcessesBench): void {
  console.log(`${r.during[0]}–${r.during[1]} processes on this machine while measured (${r.started} sleeping ones started by the bench)`);
  console.log(`${r.processes.toFixed(0)} processes in the scan after; one /proc scan (stat of each, CPU %, top 30), again and again: ${r.scanMicrosPerProcess.toFixed(1)} µs of CPU per process`);
  const agent = r.servers[0]!;
  const node = r.servers.find((s) => s.name === 'node_exporter')!;
  console.log(`CPU in ms per s over the first ${SECONDS} s (start-up) and the next ${SECONDS} s (steady); ratios over the steady seconds`);
  for (const s of r.servers) {
    const ratio = s === agent ? '' : `  agent/this: CPU ${(agent.cpuSecondsPerSecond / s.cpuSecondsPerSecond).toFixed(2)}x, RSS ${(agent.rssBytes / s.rssBytes).toFixed(2)}x`;
    const toNode =
      s === node
        ? ''
        : `  this/node_exporter: CPU ${(s.cpuSecondsPerSecond / node.cpuSecondsPerSecond).toFixed(2)}x (start-up ${(s.startCpuSecondsPerSecond / node.startCpuSecondsPerSecond).toFixed(2)}x)`;
    const ms = (v: number) => (v * 1000).toFixed(1).padStart(6);
    console.log(
      `${s.name.padEnd(20)} ${ms(s.startCpuSecondsPerSecond)} ${ms(s.cpuSecondsPerSecond)} ms CPU/s  RSS ${(s.rssBytes / 2 ** 20).toFixed(1).padStart(6)} MiB  body ${(s.bodyBytes / 1024).toFixed(1).padStart(6)} KiB${ratio}${toNode}`,
    );
  }
}
