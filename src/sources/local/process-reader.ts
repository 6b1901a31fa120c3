/**
 * This machine's processes from /proc, as btop and node_exporter's procfs read them: one
 * /proc/<pid>/stat per process (state, parent, CPU ticks, threads, start, resident pages); the
 * owner (the uid of /proc/<pid>: no /proc/<pid>/status to parse) and the command line only for
 * the processes kept (`userOf`, `readArgs`).
 *
 * What a scan costs is what the agent costs on a busy host (docs/performance.md), so:
 * - each process's stat file stays open from one scan to the next and is read again at offset 0
 *   (one pread, where open, read and close were three system calls and a path walk); the kernel
 *   writes the file anew at every read from offset 0. An open file follows the process, not the
 *   number: once it has ended, reads fail, and a new process given the same pid is opened afresh
 *   (its start time differs too, which is checked as well). At most half the open-file limit, and
 *   MAX_OPEN, stay open; past that, processes are read open-read-close as before.
 * - the line is parsed from the bytes, into numbers, without making strings; the command name is
 *   decoded only when its bytes differ from the last scan's (a new process, an exec, a rename).
 * - a process with one thread whose thread has not run since its stat was last read has the same
 *   stat figures still (CPU time, threads, state and name change only by running), so its
 *   /proc/<pid>/schedstat is read instead, whose first field is that thread's run time in
 *   nanoseconds, and which the kernel writes in a third of the time. What may change without it
 *   running is its resident memory (reclaimed under memory pressure) and its parent (when the
 *   parent ends): its stat is read in full again at least every FULL_READ_MS. Most processes of
 *   a host sleep through most seconds; a process with more threads is read in full every scan.
 * - synchronous, through one shared buffer: the async API would add a thread-pool round trip per
 *   file, more than the kernel's own work on the file.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { maskSecretArgs } from '../../util/secret-args.js';

/** The kernel's USER_HZ, the unit of /proc/<pid>/stat's times on every Linux architecture. */
const USER_HZ = 100;
/** Processes read at most per scan: a host with more is read in part (`total` says how many there are). */
export const MAX_SCANNED = 65_536;
/** Stat files kept open at most (each holds about a kilobyte of kernel memory). */
export const MAX_OPEN = 4096;
/** A served process's user is looked up again after this long: a process may change its uid without exec (a daemon dropping root after start). */
export const USER_RECHECK_MS = 10_000;
/** An idle single-threaded process's stat is read in full again after this long (its memory may be reclaimed meanwhile). */
export const FULL_READ_MS = 5_000;
/** Bytes of a command line read at most. */
const MAX_ARGS_BYTES = 4096;

export interface ScannedProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly state: string;
  /** utime + stime, in USER_HZ ticks. */
  readonly ticks: number;
  readonly rssBytes: number;
  readonly threads: number;
  /** Ticks after boot when it started. */
  readonly startTicks: number;
}

export interface ProcessScan {
  readonly processes: ScannedProcess[];
  /** Process folders found, read or not. */
  readonly total: number;
}

/** A process seen at the last scan: its open stat file and its name, known by pid and start time. */
interface Known {
  /** -1 past the open-file budget: read by path each scan. */
  fd: number;
  readonly startTicks: number;
  /** The name's bytes as the kernel wrote them, to see a rename without decoding. */
  commBytes: Buffer;
  comm: string;
  /** Its user when last looked up (undefined: not yet, or since its name changed) and when, by Date.now(). */
  user: string | undefined;
  userAtMs: number;
  /** The scan that last read it. */
  seen: number;
  /** The last full read of its stat, and when (the scan's time). */
  last: ScannedProcess | undefined;
  lastAtMs: number;
  /** Its open /proc/<pid>/schedstat: -1 not open yet, -2 none (unreadable, or past the budget). */
  schedFd: number;
  /** Its thread's run time as schedstat wrote it, at or before the last full read; length 0: none yet. */
  readonly runtime: Buffer;
  runtimeLength: number;
}

const buffer = Buffer.alloc(MAX_ARGS_BYTES);

export class ProcessReader {
  private users = new Map<number, string>();
  /** /etc/passwd's inode, mtime and size when read; '': not read yet. */
  private passwdStamp = '';
  private usersStale = true;
  private bootTime: number | undefined;
  private readonly known = new Map<number, Known>();
  private scans = 0;
  private nowMs = 0;
  private openFiles = 0;
  readonly pageBytes: number;
  /** Stat files kept open at most: MAX_OPEN, or half the open-file limit, the rest left to the program. */
  readonly maxOpen: number;

  constructor(
    readonly proc = '/proc',
    maxOpen = Math.min(MAX_OPEN, Math.floor(openFileLimit(proc) / 2)),
  ) {
    this.pageBytes = pageSize(proc);
    this.maxOpen = maxOpen;
  }

  /** Every process readable now; one that ends while it is read is left out. `nowMs`: the scan's time. */
  scan(nowMs = Date.now()): ProcessScan {
    const scan = ++this.scans;
    this.nowMs = nowMs;
    const processes: ScannedProcess[] = [];
    let total = 0;
    for (const name of readdirSync(this.proc)) {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      total++;
      if (processes.length >= MAX_SCANNED) continue;
      const p = this.readProcess(name, scan);
      if (p) processes.push(p);
    }
    // Processes gone since (or no longer read): their files closed.
    if (this.known.size > processes.length) {
      for (const [pid, k] of this.known) if (k.seen !== scan) this.forget(pid, k);
    }
    return { processes, total };
  }

  /** Closes the stat files kept open; the next scan opens them again. */
  close(): void {
    for (const [pid, k] of this.known) this.forget(pid, k);
  }

  /** Stat files open now (tests). */
  get openStatFiles(): number {
    return this.openFiles;
  }

  /** The command line with secret-looking values masked, or null (a kernel thread has none; a process gone). */
  readArgs(pid: number): string | null {
    const n = readInto(`${this.proc}/${pid}/cmdline`);
    if (n <= 0) return null;
    let end = n;
    while (end > 0 && buffer[end - 1] === 0) end--;
    const args = buffer.toString('utf8', 0, end).split('\0');
    return maskSecretArgs(args).join(' ');
  }

  /**
   * The process's user (the owner of /proc/<pid>), or null when it is gone. Kept for a process
   * seen by the last scan, by pid and start time, until its name changes (an exec, which may be
   * of a setuid program) or USER_RECHECK_MS pass: a served process is looked up every scrape.
   */
  userOf(pid: number, nowMs = Date.now()): string | null {
    const known = this.known.get(pid);
    if (known?.user !== undefined && nowMs - known.userAtMs < USER_RECHECK_MS) return known.user;
    let user: string;
    try {
      user = this.userName(statSync(`${this.proc}/${pid}`).uid);
    } catch {
      return null;
    }
    if (known !== undefined) {
      known.user = user;
      known.userAtMs = nowMs;
    }
    return user;
  }

  /** The user's name from /etc/passwd, or the uid as a number where it has none (a container's user). */
  userName(uid: number): string {
    if (this.usersStale) {
      this.usersStale = false;
      const stamp = passwdStamp();
      if (stamp !== this.passwdStamp) {
        this.passwdStamp = stamp;
        this.users = readPasswd();
      }
    }
    return this.users.get(uid) ?? String(uid);
  }

  /** btime of /proc/stat, read once: start times are ticks after it. */
  bootTimeSeconds(): number {
    if (this.bootTime === undefined) {
      let text = '';
      try {
        text = readFileSync(`${this.proc}/stat`, 'latin1');
      } catch {
        // no /proc/stat: start times count from the epoch, and show as such
      }
      this.bootTime = Number(/^btime (\d+)$/m.exec(text)?.[1] ?? 0);
    }
    return this.bootTime;
  }

  /** Look at /etc/passwd again at the next name asked, so that users added since are seen (read again only when it changed). */
  refreshUsers(): void {
    this.usersStale = true;
  }

  /** One process's stat, through its open file when it is one already seen; null when it is gone. */
  private readProcess(name: string, scan: number): ScannedProcess | null {
    const pid = Number(name);
    let known = this.known.get(pid);
    if (known !== undefined) {
      const last = known.last;
      if (last !== undefined && last.threads === 1 && last.state !== 'R' && this.nowMs - known.lastAtMs < FULL_READ_MS && this.hasNotRun(known, name)) {
        known.seen = scan;
        return last;
      }
      const n = known.fd >= 0 ? readAt(known.fd) : readInto(`${this.proc}/${name}/stat`);
      // Ended (the open file fails), or the number is another process's now (reopened below).
      if (!statFields(buffer, n) || fields.pid !== pid || fields.startTicks !== known.startTicks) {
        this.forget(pid, known);
        known = undefined;
      }
    }
    if (known === undefined) {
      known = this.open(name, pid);
      if (known === undefined) return null;
    } else if (!sameBytes(known.commBytes, buffer, fields.commStart, fields.commEnd)) {
      // The same process under a new name: an exec, or prctl(PR_SET_NAME).
      known.commBytes = Buffer.from(buffer.subarray(fields.commStart, fields.commEnd));
      known.comm = buffer.toString('utf8', fields.commStart, fields.commEnd);
      known.user = undefined;
    }
    known.seen = scan;
    known.lastAtMs = this.nowMs;
    return (known.last = {
      pid,
      ppid: fields.ppid,
      comm: known.comm,
      state: String.fromCharCode(fields.state),
      ticks: fields.ticks,
      rssBytes: fields.rssPages * this.pageBytes,
      threads: fields.threads || 1,
      startTicks: fields.startTicks,
    });
  }

  /**
   * Whether the process's one thread has not run since its stat was last read: its run time in
   * schedstat the same as then. When it differs (or is not known yet), the new one is kept and a
   * full read follows in the same scan, so the run time kept is never later than the stat kept.
   */
  private hasNotRun(known: Known, name: string): boolean {
    if (known.schedFd === -2) return false;
    if (known.schedFd === -1) {
      if (this.openFiles >= this.maxOpen) return false;
      try {
        known.schedFd = openSync(`${this.proc}/${name}/schedstat`, 'r');
        this.openFiles++;
      } catch {
        known.schedFd = -2;
        return false;
      }
    }
    const n = readAt(known.schedFd);
    let end = 0;
    while (end < n && end < known.runtime.length && buffer[end] !== 32) end++;
    // No run time (a kernel without it writes 0; every process has run), or not one number.
    if (end === 0 || end === n || end === known.runtime.length || (end === 1 && buffer[0] === 48)) return false;
    if (end === known.runtimeLength) {
      let i = 0;
      while (i < end && known.runtime[i] === buffer[i]) i++;
      if (i === end) return true;
    }
    buffer.copy(known.runtime, 0, 0, end);
    known.runtimeLength = end;
    return false;
  }

  /** A process first seen: its stat read, and its file kept open while the budget allows. */
  private open(name: string, pid: number): Known | undefined {
    let fd: number;
    try {
      fd = openSync(`${this.proc}/${name}/stat`, 'r');
    } catch {
      return undefined;
    }
    const ok = statFields(buffer, readAt(fd)) && fields.pid === pid;
    const keep = ok && this.openFiles < this.maxOpen;
    if (keep) this.openFiles++;
    else closeSync(fd);
    if (!ok) return undefined;
    const known: Known = {
      fd: keep ? fd : -1,
      startTicks: fields.startTicks,
      commBytes: Buffer.from(buffer.subarray(fields.commStart, fields.commEnd)),
      comm: buffer.toString('utf8', fields.commStart, fields.commEnd),
      user: undefined,
      userAtMs: 0,
      seen: 0,
      last: undefined,
      lastAtMs: 0,
      schedFd: -1,
      runtime: Buffer.alloc(24),
      runtimeLength: 0,
    };
    this.known.set(pid, known);
    return known;
  }

  private forget(pid: number, known: Known): void {
    if (known.fd >= 0) {
      closeSync(known.fd);
      known.fd = -1;
      this.openFiles--;
    }
    if (known.schedFd >= 0) {
      closeSync(known.schedFd);
      known.schedFd = -1;
      this.openFiles--;
    }
    this.known.delete(pid);
  }
}

/** Whether `a` holds the bytes of `b` from `start` to `end` (a name, a run time: a few bytes, compared here rather than through Buffer.compare's checks). */
function sameBytes(a: Buffer, b: Buffer, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

/** The fields of one stat line the reader keeps; filled by statFields, read right after. */
const fields = { pid: 0, commStart: 0, commEnd: 0, state: 0, ppid: 0, ticks: 0, threads: 0, startTicks: 0, rssPages: 0 };

/**
 * One /proc/<pid>/stat line, `pid (comm) state ppid ...`, parsed from its bytes into `fields`. The
 * command name may hold blanks and parentheses, so it runs to the last ')'. False when the line is
 * not one (a read that failed gives n <= 0).
 */
function statFields(buf: Buffer, n: number): boolean {
  if (n <= 0) return false;
  let close = n - 1;
  while (close > 0 && buf[close] !== 0x29) close--;
  const open = buf.indexOf(0x28);
  if (open <= 0 || open > close || close + 2 >= n) return false;
  let pid = 0;
  for (let i = 0; i < open - 1; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) return false;
    pid = pid * 10 + (c - 48);
  }
  fields.pid = pid;
  fields.commStart = open + 1;
  fields.commEnd = close;
  fields.state = buf[close + 2]!;
  // Fields after the name, from 0 (state): 1 ppid, 11 utime, 12 stime, 17 threads, 19 start, 21 rss.
  let field = 0;
  let value = 0;
  let utime = 0;
  for (let i = close + 2; i < n; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      continue;
    }
    if (c !== 32 && c !== 10) continue; // a sign, or the state's letter
    switch (field) {
      case 1:
        fields.ppid = value;
        break;
      case 11:
        utime = value;
        break;
      case 12:
        fields.ticks = utime + value;
        break;
      case 17:
        fields.threads = value;
        break;
      case 19:
        fields.startTicks = value;
        break;
      case 21:
        fields.rssPages = value;
        return true;
    }
    field++;
    value = 0;
  }
  return false;
}

/** One stat line as the reader reads it (tests, and a reader of saved files). */
export function parseStat(line: Buffer, pageBytes: number): ScannedProcess | null {
  if (!statFields(line, line.length)) return null;
  return {
    pid: fields.pid,
    ppid: fields.ppid,
    comm: line.toString('utf8', fields.commStart, fields.commEnd),
    state: String.fromCharCode(fields.state),
    ticks: fields.ticks,
    rssBytes: fields.rssPages * pageBytes,
    threads: fields.threads || 1,
    startTicks: fields.startTicks,
  };
}

export function ticksToSeconds(ticks: number): number {
  return ticks / USER_HZ;
}

/** The file at `path` into the shared buffer: bytes read, or -1. */
function readInto(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return -1;
  }
  try {
    return readAt(fd);
  } finally {
    closeSync(fd);
  }
}

/** An open file from offset 0 into the shared buffer: bytes read, or -1 (its process has ended). */
function readAt(fd: number): number {
  try {
    return readSync(fd, buffer, 0, buffer.length, 0);
  } catch {
    return -1;
  }
}

/** /etc/passwd's inode, mtime and size, to see it changed (editors replace it; useradd rewrites it). */
function passwdStamp(): string {
  try {
    const s = statSync('/etc/passwd');
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch {
    return 'none';
  }
}

/** The soft limit on open files (Node raises it to the hard limit at start); 1024 when unknown. */
function openFileLimit(proc: string): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`${proc}/self/limits`, 'latin1'));
    if (m?.[1] === 'unlimited') return Infinity;
    if (m?.[1] !== undefined) return Number(m[1]);
  } catch {
    // no /proc/self/limits: the usual default
  }
  return 1024;
}

function readPasswd(): Map<number, string> {
  const users = new Map<number, string>();
  let text = '';
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return users;
  }
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    const n = Number(uid);
    if (name && uid !== undefined && uid !== '' && Number.isInteger(n) && !users.has(n)) users.set(n, name);
  }
  return users;
}

/**
 * The page size, which Node does not expose: our own resident pages (/proc/self/stat) against
 * our RSS in bytes, read together, rounded to the power of two (4 KiB on x86, 4-64 KiB on arm64).
 */
function pageSize(proc: string): number {
  try {
    const self = readFileSync(`${proc}/self/stat`, 'latin1');
    const rssBytes = process.memoryUsage.rss();
    const pages = Number(self.slice(self.lastIndexOf(')') + 2).split(' ')[21]);
    if (pages > 0) return 2 ** Math.round(Math.log2(rssBytes / pages));
  } catch {
    // not Linux, or no /proc/self: the common page size
  }
  return 4096;
}
