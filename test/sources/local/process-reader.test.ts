/**
 * The /proc process reader: the stat line parsed from its bytes, and what it keeps from one scan to
 * the next (open stat files, names, users), which must follow the process and not its number.
 * A fixture /proc in a temp folder stands for processes the test cannot make (a pid reused, a
 * process that ends between the listing and the read); a real child process checks the real /proc.
 */
import { spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FULL_READ_MS, parseStat, ProcessReader, USER_RECHECK_MS } from '../../../src/sources/local/process-reader.js';
import { ProcessTable } from '../../../src/sources/local/process-table.js';

/** A stat line as the kernel writes it: 52 fields, those the reader keeps set. */
function statLine(p: { pid: number; comm: string; state?: string; ppid?: number; utime?: number; stime?: number; threads?: number; start: number; rss?: number }): string {
  const after = new Array<string>(50).fill('0');
  after[0] = p.state ?? 'S';
  after[1] = String(p.ppid ?? 1);
  after[11] = String(p.utime ?? 0);
  after[12] = String(p.stime ?? 0);
  after[15] = '20';
  after[16] = '-5'; // nice: a sign the parser steps over
  after[17] = String(p.threads ?? 1);
  after[19] = String(p.start);
  after[20] = '12345678';
  after[21] = String(p.rss ?? 0);
  after[22] = '18446744073709551615'; // rsslim, beyond what a double holds exactly: not read
  return `${p.pid} (${p.comm}) ${after.join(' ')}\n`;
}

describe('parseStat', () => {
  it('reads a name with blanks and parentheses to the last ")", and the fields after it', () => {
    const line = Buffer.from(statLine({ pid: 4242, comm: 'a) b (c', state: 'R', ppid: 7, utime: 120, stime: 30, threads: 4, start: 9876543, rss: 1000 }));
    expect(parseStat(line, 4096)).toEqual({ pid: 4242, ppid: 7, comm: 'a) b (c', state: 'R', ticks: 150, rssBytes: 1000 * 4096, threads: 4, startTicks: 9876543 });
  });

  it('decodes a UTF-8 name, and refuses what is not a stat line', () => {
    expect(parseStat(Buffer.from(statLine({ pid: 1, comm: 'dæmon', start: 5 })), 4096)?.comm).toBe('dæmon');
    expect(parseStat(Buffer.from('garbage'), 4096)).toBeNull();
    expect(parseStat(Buffer.from('12 (cut) S 1 2 3'), 4096)).toBeNull();
    expect(parseStat(Buffer.from('x1 (bad pid) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n'), 4096)).toBeNull();
  });
});

describe('ProcessReader on a fixture /proc', () => {
  let proc: string;
  const readers: ProcessReader[] = [];
  const reader = (maxOpen?: number): ProcessReader => {
    const r = new ProcessReader(proc, maxOpen);
    readers.push(r);
    return r;
  };
  const put = (p: Parameters<typeof statLine>[0]): void => {
    mkdirSync(join(proc, String(p.pid)), { recursive: true });
    writeFileSync(join(proc, String(p.pid), 'stat'), statLine(p)); // in place: an open file sees the new text
  };

  beforeEach(() => {
    proc = mkdtempSync(join(tmpdir(), 'ct-proc-'));
    mkdirSync(join(proc, 'self'));
    writeFileSync(join(proc, 'stat'), 'cpu0 1 2 3 4\nbtime 1700000000\n');
  });
  afterEach(() => {
    for (const r of readers.splice(0)) r.close();
    rmSync(proc, { recursive: true, force: true });
  });

  it('keeps each stat file open between scans and reads the new figures from it', () => {
    put({ pid: 10, comm: 'one', start: 100, utime: 5 });
    put({ pid: 11, comm: 'two', start: 110 });
    const r = reader();
    expect(r.scan().processes.map((p) => [p.pid, p.comm, p.ticks])).toEqual([
      [10, 'one', 5],
      [11, 'two', 0],
    ]);
    expect(r.openStatFiles).toBe(2);
    put({ pid: 10, comm: 'one', start: 100, utime: 9 });
    expect(r.scan().processes.find((p) => p.pid === 10)?.ticks).toBe(9);
    expect(r.openStatFiles).toBe(2);
    r.close();
    expect(r.openStatFiles).toBe(0);
  });

  it('takes a reused pid for a new process: its own name and no CPU % from the old one\'s ticks', () => {
    put({ pid: 20, comm: 'old', start: 200, utime: 1000 });
    const table = new ProcessTable(reader());
    table.read(1_000);
    put({ pid: 20, comm: 'new', start: 900, utime: 3 }); // the old process ended; a new one got pid 20
    const p = table.read(2_000).processes.find((x) => x.pid === 20)!;
    expect(p).toMatchObject({ comm: 'new', startTicks: 900, ticks: 3, cpuPercent: null });
  });

  // Owners changed by chown: as root only.
  it.runIf(process.getuid?.() === 0)('does not give a reused pid the old process\'s user', () => {
    put({ pid: 21, comm: 'old', start: 210 });
    const r = reader();
    r.scan();
    const now = Date.now();
    expect(r.userOf(21, now)).toBe('root');
    put({ pid: 21, comm: 'old', start: 990 }); // a new process, same pid and name, within the recheck time
    chownSync(join(proc, '21'), 65534, 65534);
    r.scan();
    expect(r.userOf(21, now + 1)).not.toBe('root');
  });

  it.runIf(process.getuid?.() === 0)('keeps a process\'s user until its name changes (an exec) or the recheck time passes', () => {
    put({ pid: 30, comm: 'sshd', start: 300 });
    const r = reader();
    r.scan();
    const now = Date.now();
    expect(r.userOf(30, now)).toBe('root');
    chownSync(join(proc, '30'), 65534, 65534); // drops root without exec: seen once the recheck time has passed
    r.scan();
    expect(r.userOf(30, now + 1)).toBe('root');
    const later = r.userOf(30, now + USER_RECHECK_MS);
    expect(later).not.toBe('root');
    chownSync(join(proc, '30'), 0, 0);
    put({ pid: 30, comm: 'su', start: 300 }); // the same process (same start) after an exec
    expect(r.scan().processes[0]?.comm).toBe('su');
    expect(r.userOf(30, now + USER_RECHECK_MS + 1)).toBe('root');
  });

  it('skips a process that ends between the listing and the read, without an error', () => {
    put({ pid: 40, comm: 'stays', start: 400 });
    put({ pid: 41, comm: 'ends', start: 410 });
    mkdirSync(join(proc, '42')); // listed, but its stat is gone
    const r = reader();
    expect(r.scan()).toMatchObject({ total: 3, processes: [{ pid: 40 }, { pid: 41 }] });
    writeFileSync(join(proc, '41', 'stat'), ''); // an open file of an ended process reads nothing
    const scan = r.scan();
    expect(scan.processes.map((p) => p.pid)).toEqual([40]);
    expect(r.openStatFiles).toBe(1);
    rmSync(join(proc, '41'), { recursive: true });
    expect(r.scan().processes.map((p) => p.pid)).toEqual([40]);
  });

  it('keeps the stat figures of a one-thread process whose thread has not run, for FULL_READ_MS at most', () => {
    const sched = (pid: number, ns: number): void => writeFileSync(join(proc, String(pid), 'schedstat'), `${ns} 5000 7\n`);
    put({ pid: 60, comm: 'idle', start: 600, utime: 10, rss: 100 });
    sched(60, 123_456_789);
    put({ pid: 61, comm: 'threads', start: 610, utime: 10, threads: 3 });
    sched(61, 123_456_789);
    const r = reader();
    const at = (ms: number) => r.scan(ms).processes;
    at(0); // full reads; the run time is kept at the next scan
    at(1_000);
    // Its stat moves on (as a process's memory may, reclaimed) while its thread's run time does not:
    put({ pid: 60, comm: 'idle', start: 600, utime: 10, rss: 50 });
    put({ pid: 61, comm: 'threads', start: 610, utime: 20, threads: 3 });
    expect(at(2_000).map((p) => [p.pid, p.ticks, p.rssBytes / 4096])).toEqual([
      [60, 10, 100], // the figures of the last full read
      [61, 20, 0], // more than one thread: read in full every scan
    ]);
    expect(at(1_000 + FULL_READ_MS).find((p) => p.pid === 60)?.rssBytes).toBe(50 * 4096); // read in full again after FULL_READ_MS
    // It runs: read in full at once.
    put({ pid: 60, comm: 'busy', start: 600, utime: 15, rss: 50 });
    sched(60, 223_456_789);
    expect(at(1_001 + FULL_READ_MS).find((p) => p.pid === 60)).toMatchObject({ comm: 'busy', ticks: 15 });
    expect(r.openStatFiles).toBe(3); // both stats, and the schedstat of the one-thread process only
  });

  it('reads in full when the run time says nothing (a kernel that writes 0) or the process was running', () => {
    put({ pid: 70, comm: 'zero', start: 700, utime: 1 });
    writeFileSync(join(proc, '70', 'schedstat'), '0 0 0\n');
    put({ pid: 71, comm: 'running', start: 710, utime: 1, state: 'R' });
    writeFileSync(join(proc, '71', 'schedstat'), '99 0 0\n');
    const r = reader();
    r.scan(0);
    r.scan(1);
    put({ pid: 70, comm: 'zero', start: 700, utime: 2 });
    put({ pid: 71, comm: 'running', start: 710, utime: 2, state: 'R' });
    expect(r.scan(2).processes.map((p) => p.ticks)).toEqual([2, 2]);
  });

  it('reads every process past its open-file budget, by path', () => {
    for (let pid = 50; pid < 55; pid++) put({ pid, comm: `p${pid}`, start: pid, utime: 1 });
    const r = reader(2);
    expect(r.scan().processes).toHaveLength(5);
    expect(r.openStatFiles).toBe(2);
    put({ pid: 54, comm: 'p54', start: 54, utime: 7 });
    expect(r.scan().processes.find((p) => p.pid === 54)?.ticks).toBe(7);
    expect(r.openStatFiles).toBe(2);
  });
});

/** This test process's open files on /proc/<pid>/stat. */
function openFilesOf(pid: number): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === `/proc/${pid}/stat`;
    } catch {
      return false; // the directory's own descriptor, closed by now
    }
  }).length;
}

describe.runIf(process.platform === 'linux')('ProcessReader on this machine\'s /proc', () => {
  it('reads a child as it runs, and closes its file once it has ended', async () => {
    const r = new ProcessReader();
    try {
      const child = spawn('sleep', ['30'], { stdio: 'ignore' });
      await new Promise((resolve) => child.once('spawn', resolve));
      const seen = r.scan().processes.find((p) => p.pid === child.pid);
      expect(seen).toMatchObject({ comm: 'sleep', ppid: process.pid, state: expect.stringMatching(/^[RS]$/) });
      expect(openFilesOf(child.pid!)).toBe(1);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      expect(r.scan().processes.find((p) => p.pid === child.pid)).toBeUndefined();
      expect(openFilesOf(child.pid!)).toBe(0);
      expect(r.openStatFiles).toBeLessThanOrEqual(r.maxOpen);
    } finally {
      r.close();
    }
  });

  it('sees a sleeping one-thread process start to run, its CPU time moving on', async () => {
    const r = new ProcessReader();
    const child = spawn('sh', ['-c', 'read line; while :; do :; done'], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const find = () => r.scan().processes.find((p) => p.pid === child.pid);
      // Waits in read: sleeping, and read through its schedstat from the second scan on.
      let idle = find();
      for (let i = 0; i < 50 && idle?.state !== 'S'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        idle = find();
      }
      expect(idle).toMatchObject({ comm: 'sh', state: 'S', threads: 1 });
      expect(find()?.ticks).toBe(idle!.ticks);
      child.stdin!.write('go\n');
      let busy = find();
      for (let i = 0; i < 100 && busy!.ticks === idle!.ticks; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        busy = find();
      }
      expect(busy!.ticks).toBeGreaterThan(idle!.ticks);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      r.close();
    }
  });
});
