/**
 * Successive scans of /proc turned into rows: CPU % from the ticks a process used since the last
 * scan (btop's way), the top processes by CPU and by memory, and totals by command name. Shared
 * by the local source and the agent, so both count the same way.
 */
import type { NodeProcesses, ProcessRow } from '../../metrics/process-figures.js';
import { ProcessReader, ticksToSeconds, type ScannedProcess } from './process-reader.js';

/** A scanned process with its CPU share of one core since the last scan. */
export interface TrackedProcess extends ScannedProcess {
  /** Percent of one core since the last scan; null for a process first seen. */
  readonly cpuPercent: number | null;
}

export interface ProcessReading {
  readonly timeSeconds: number;
  readonly bootTimeSeconds: number;
  readonly processes: readonly TrackedProcess[];
  readonly total: number;
}

/** Groups kept at most: a host with more distinct command names shows the heaviest. */
export const MAX_GROUPS = 500;

export class ProcessTable {
  /** The last scan's processes by pid; one whose start time differs is a reused pid, and starts afresh. */
  private last = new Map<number, ScannedProcess>();
  private lastTimeMs = 0;

  constructor(readonly reader: ProcessReader = new ProcessReader()) {}

  read(nowMs = Date.now()): ProcessReading {
    const scan = this.reader.scan(nowMs);
    const elapsed = this.lastTimeMs > 0 ? (nowMs - this.lastTimeMs) / 1000 : 0;
    const next = new Map<number, ScannedProcess>();
    const processes: TrackedProcess[] = new Array(scan.processes.length);
    for (let i = 0; i < scan.processes.length; i++) {
      const p = scan.processes[i]!;
      const before = this.last.get(p.pid);
      const cpuPercent =
        before === undefined || before.startTicks !== p.startTicks || elapsed <= 0 ? null : (100 * ticksToSeconds(Math.max(0, p.ticks - before.ticks))) / elapsed;
      processes[i] = {
        pid: p.pid,
        ppid: p.ppid,
        comm: p.comm,
        state: p.state,
        ticks: p.ticks,
        rssBytes: p.rssBytes,
        threads: p.threads,
        startTicks: p.startTicks,
        cpuPercent,
      };
      next.set(p.pid, processes[i]!);
    }
    this.last = next;
    this.lastTimeMs = nowMs;
    this.reader.refreshUsers();
    return { timeSeconds: nowMs / 1000, bootTimeSeconds: this.reader.bootTimeSeconds(), processes, total: scan.total };
  }

  /** Closes the reader's open files (see ProcessReader); a later read opens them again. */
  close(): void {
    this.reader.close();
  }

  startTimeSeconds(reading: ProcessReading, p: ScannedProcess): number {
    return reading.bootTimeSeconds + ticksToSeconds(p.startTicks);
  }

  /** The row of one process; the command line read now when `args`. */
  row(reading: ProcessReading, p: TrackedProcess, args: boolean): ProcessRow {
    return {
      pid: p.pid,
      ppid: p.ppid,
      user: this.reader.userOf(p.pid),
      command: p.comm,
      args: args ? this.reader.readArgs(p.pid) : null,
      state: p.state,
      cpuPercent: p.cpuPercent,
      memoryBytes: p.rssBytes,
      threads: p.threads,
      startTimeSeconds: this.startTimeSeconds(reading, p),
      count: null,
    };
  }
}

/** CPU % to rank by: since the last scan, or over the process's life on the first scan. */
export function cpuRank(reading: ProcessReading, p: TrackedProcess): number {
  if (p.cpuPercent !== null) return p.cpuPercent;
  const age = reading.timeSeconds - (reading.bootTimeSeconds + ticksToSeconds(p.startTicks));
  return age > 0 ? (100 * ticksToSeconds(p.ticks)) / age : 0;
}

/** The top `n` by CPU and the top `n` by memory, each once, heaviest CPU first. */
export function topProcesses(reading: ProcessReading, n: number): TrackedProcess[] {
  const rank = new Map<TrackedProcess, number>();
  for (const p of reading.processes) rank.set(p, cpuRank(reading, p));
  const byCpu = [...reading.processes].sort((a, b) => rank.get(b)! - rank.get(a)! || b.rssBytes - a.rssBytes).slice(0, n);
  const byMemory = [...reading.processes].sort((a, b) => b.rssBytes - a.rssBytes).slice(0, n);
  const chosen = new Set([...byCpu, ...byMemory]);
  return [...chosen].sort((a, b) => rank.get(b)! - rank.get(a)! || b.rssBytes - a.rssBytes);
}

export interface CommandGroup {
  readonly comm: string;
  /** utime + stime of the group's live processes, in seconds: falls when a busy process ends. */
  cpuSeconds: number;
  cpuPercent: number | null;
  rssBytes: number;
  threads: number;
  count: number;
  oldestStartTicks: number;
}

/** Totals by command name, heaviest (CPU, then memory) first, MAX_GROUPS at most. */
export function commandGroups(reading: ProcessReading): CommandGroup[] {
  const groups = new Map<string, CommandGroup>();
  for (const p of reading.processes) {
    let g = groups.get(p.comm);
    if (!g) groups.set(p.comm, (g = { comm: p.comm, cpuSeconds: 0, cpuPercent: null, rssBytes: 0, threads: 0, count: 0, oldestStartTicks: p.startTicks }));
    g.cpuSeconds += ticksToSeconds(p.ticks);
    if (p.cpuPercent !== null) g.cpuPercent = (g.cpuPercent ?? 0) + p.cpuPercent;
    g.rssBytes += p.rssBytes;
    g.threads += p.threads;
    g.count++;
    g.oldestStartTicks = Math.min(g.oldestStartTicks, p.startTicks);
  }
  return [...groups.values()].sort((a, b) => (b.cpuPercent ?? 0) - (a.cpuPercent ?? 0) || b.rssBytes - a.rssBytes).slice(0, MAX_GROUPS);
}

/** The local source's view: up to `limit` processes (top by CPU and memory), their command lines, and the groups. */
export function localProcesses(table: ProcessTable, reading: ProcessReading, limit: number): NodeProcesses {
  const processes = topProcesses(reading, limit).map((p) => table.row(reading, p, true));
  const groups: ProcessRow[] = commandGroups(reading).map((g) => ({
    pid: null,
    ppid: null,
    user: null,
    command: g.comm,
    args: null,
    state: null,
    cpuPercent: g.cpuPercent,
    memoryBytes: g.rssBytes,
    threads: g.threads,
    startTimeSeconds: reading.bootTimeSeconds + ticksToSeconds(g.oldestStartTicks),
    count: g.count,
  }));
  return { source: 'local', processes, groups, total: reading.total };
}
