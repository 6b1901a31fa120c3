/**
 * Another process's CPU time and memory, read from /proc (Linux) as `top` reads them, so each
 * figure is that process's own (all its threads), never the benchmark's; and the small waits and
 * signals the benchmark's runs share.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcSample {
  readonly atMs: number;
  /** utime + stime, in seconds. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** The highest RSS since the process started (VmHWM). */
  readonly peakRssBytes: number;
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat's times; 100 on every Linux we know of. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim());
    ticksPerSecond = out > 0 ? out : 100;
  }
  return ticksPerSecond;
}

export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold blanks and parentheses: the fields after it start past the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]); // fields 14 (utime) and 15 (stime)
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    atMs: performance.now(),
    cpuSeconds: ticks / clockTicks(),
    rssBytes: statusKiB(status, 'VmRSS') * 1024,
    peakRssBytes: statusKiB(status, 'VmHWM') * 1024,
  };
}

/** CPU seconds per second of wall time between two samples of one process. */
export function cpuPerSecond(from: ProcSample, to: ProcSample): number {
  return (to.cpuSeconds - from.cpuSeconds) / ((to.atMs - from.atMs) / 1000);
}

/** Busy CPU seconds of the whole machine since boot, all cores (the first line of /proc/stat). */
function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / clockTicks();
}

export interface SpanFigures {
  /** The measured process's CPU seconds per second, and its peak RSS at the end. */
  readonly cpuPerSecond: number;
  readonly peakRssBytes: number;
  readonly simulatorCpuPerSecond: number;
  /**
   * What the rest of the machine used meanwhile (everything but the measured process, the
   * simulator and this benchmark): other people's work on a shared machine, which slows ours.
   */
  readonly othersCpuPerSecond: number;
}

/** A measured stretch of time: the process, the simulator and the machine, sampled at both ends. */
export class Span {
  private readonly process: ProcSample;
  private readonly simulator: ProcSample;
  private readonly machine = machineBusySeconds();
  private readonly self = process.cpuUsage();

  constructor(
    private readonly pid: number,
    private readonly simulatorPid: number,
  ) {
    this.process = sampleProc(pid);
    this.simulator = sampleProc(simulatorPid);
  }

  end(): SpanFigures {
    const measured = sampleProc(this.pid);
    const simulator = sampleProc(this.simulatorPid);
    const seconds = (measured.atMs - this.process.atMs) / 1000;
    const self = process.cpuUsage(this.self);
    const ours = measured.cpuSeconds - this.process.cpuSeconds + simulator.cpuSeconds - this.simulator.cpuSeconds + (self.user + self.system) / 1e6;
    return {
      cpuPerSecond: cpuPerSecond(this.process, measured),
      peakRssBytes: measured.peakRssBytes,
      simulatorCpuPerSecond: cpuPerSecond(this.simulator, simulator),
      othersCpuPerSecond: Math.max(0, (machineBusySeconds() - this.machine - ours) / seconds),
    };
  }
}

function statusKiB(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (match === null) throw new Error(`/proc status has no ${field}`);
  return Number(match[1]);
}

/** Sends `signal` to `pid` unless it has already gone (a race with its own exit is no error). */
export function killIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
