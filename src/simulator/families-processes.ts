/**
 * A simulated node's processes as `cluster-top agent` serves them (src/agent/process-families.ts):
 * the top processes, one series each in the cluster_top_process_* families, and every command
 * name's totals. Names, users and parents come from the seed; CPU follows the node's own busy
 * seconds, so the processes' sum stays under the node's CPU and their counters only grow.
 */
import { AGENT_PROCESS_FAMILIES as F } from '../metrics/process-figures.js';
import type { NodeModel } from './node-model.js';
import type { PayloadBuilder } from './payload-template.js';
import { hash32 } from './random.js';

/** Command names a server runs, with their user; the first few are the heavy ones. */
const COMMANDS: readonly (readonly [comm: string, user: string])[] = [
  ['java', 'app'],
  ['postgres', 'postgres'],
  ['node', 'app'],
  ['python3', 'app'],
  ['nginx', 'www-data'],
  ['containerd', 'root'],
  ['dockerd', 'root'],
  ['kubelet', 'root'],
  ['node_exporter', 'nobody'],
  ['sshd', 'root'],
  ['systemd', 'root'],
  ['systemd-journal', 'root'],
  ['rsyslogd', 'syslog'],
  ['cron', 'root'],
  ['chronyd', '_chrony'],
  ['containerd-shim', 'root'],
  ['bash', 'ops'],
  ['redis-server', 'redis'],
  ['fluent-bit', 'root'],
  ['envoy', 'envoy'],
];

interface SimProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly user: string;
  /** Share of the node's busy seconds; all processes' sum to less than 1. */
  readonly cpuShare: number;
  readonly rssBytes: number;
  readonly threads: number;
  /** Seconds after boot it started. */
  readonly startedS: number;
}

function processesOf(count: number, m: NodeModel): SimProcess[] {
  const seed = m.spec.seed;
  const out: SimProcess[] = [];
  // Weights fall off with rank, as a real top list does: a few heavy processes and a long tail.
  const weights = Array.from({ length: count }, (_, i) => 1 / (1 + i) ** 1.3);
  const total = weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < count; i++) {
    const h = hash32(seed, 0x9e00 + i);
    // The first COMMANDS.length processes are one of each command; the rest repeat the heavy ones (workers).
    const [comm, user] = COMMANDS[i < COMMANDS.length ? i : h % 5]!;
    out.push({
      pid: 300 + ((h >>> 4) % 60_000) + i,
      ppid: 1,
      comm,
      user,
      cpuShare: (0.85 * weights[i]!) / total,
      rssBytes: Math.floor((m.spec.memoryBytes * 0.5 * weights[i]!) / total / 4096) * 4096,
      threads: 1 + (h % 64),
      startedS: 5 + (h % 3600),
    });
  }
  return out;
}

/** Kernel clock ticks are 1/100 s. */
const ticks = (seconds: number): number => Math.floor(seconds * 100) / 100;

export function addProcessFamilies(b: PayloadBuilder, m: NodeModel, count: number): void {
  const f = m.frame;
  const processes = processesOf(count, m);
  const bootS = m.bootTimeMs / 1000;
  const labels = (p: SimProcess) => ({ comm: p.comm, pid: String(p.pid), user: p.user });
  const cpu = b.family(F.cpu, 'counter', 'CPU time (user and system) the process used, in seconds; the top processes by CPU and by memory.');
  const memory = b.family(F.memory, 'gauge', 'Resident memory of the process, in bytes.');
  const threads = b.family(F.threads, 'gauge', 'Threads of the process.');
  const start = b.family(F.start, 'gauge', 'When the process started, in unixtime.');
  const info = b.family(F.info, 'gauge', 'The process: parent pid, state, and (with --process-args) its command line, secrets masked.');
  // Each process's memory breathes a little around its size, in whole pages, as RSS does.
  const breathe = (p: SimProcess) => Math.floor((p.rssBytes * (0.97 + 0.03 * Math.sin(f.up / 40 + p.pid))) / 4096) * 4096;
  for (const p of processes) {
    cpu.add(() => ticks(f.busyAll * p.cpuShare), labels(p));
    memory.add(() => breathe(p), labels(p));
    threads.add(p.threads, labels(p));
    start.add(bootS + p.startedS, labels(p));
    info.add(1, { ...labels(p), ppid: String(p.ppid), state: p.cpuShare > 0.05 ? 'R' : 'S' });
  }
  const groups = new Map<string, SimProcess[]>();
  for (const p of processes) groups.set(p.comm, [...(groups.get(p.comm) ?? []), p]);
  const names = [...groups.keys()].sort();
  const groupCpu = b.family(F.groupCpu, 'counter', 'CPU time of the live processes with this command name, in seconds; falls when one ends.');
  const groupMemory = b.family(F.groupMemory, 'gauge', 'Resident memory of the processes with this command name, in bytes.');
  const groupThreads = b.family(F.groupThreads, 'gauge', 'Threads of the processes with this command name.');
  const groupCount = b.family(F.groupCount, 'gauge', 'Processes with this command name.');
  for (const comm of names) {
    const members = groups.get(comm)!;
    const share = members.reduce((s, p) => s + p.cpuShare, 0);
    groupCpu.add(() => ticks(f.busyAll * share), { comm });
    groupMemory.add(() => members.reduce((s, p) => s + breathe(p), 0), { comm });
    groupThreads.add(members.reduce((s, p) => s + p.threads, 0), { comm });
    groupCount.add(members.length, { comm });
  }
  // The machine runs more than the top list shows.
  b.family(F.total, 'gauge', 'Processes on the machine.').add(count + 150 + (hash32(m.spec.seed, 0x9e) % 200));
}
