/**
 * This machine's processes from /proc, as btop and node_exporter's procfs read them: one
 * /proc/<pid>/stat per process (state, parent, CPU ticks, threads, start, resident pages); the
 * owner (the uid of /proc/<pid>: no /proc/<pid>/status to parse) and the command line only for
 * the processes kept (`userOf`, `readArgs`).
 *
 * Synchronous on purpose, through one shared buffer: each process costs open, read and close and
 * no allocation but its row (see docs/performance.md); the async API would add a thread-pool
 * round trip per file, more than the kernel's own work on the file.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { maskSecretArgs } from '../../util/secret-args.js';

/** The kernel's USER_HZ, the unit of /proc/<pid>/stat's times on every Linux architecture. */
const USER_HZ = 100;
/** Processes read at most per scan: a host with more is read in part (`total` says how many there are). */
export const MAX_SCANNED = 65_536;
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

const buffer = Buffer.alloc(MAX_ARGS_BYTES);

export class ProcessReader {
  private users = new Map<number, string>();
  private usersRead = false;
  private bootTime: number | undefined;
  readonly pageBytes: number;

  constructor(readonly proc = '/proc') {
    this.pageBytes = pageSize(proc);
  }

  /** Every process readable now; one that ends while it is read is left out. */
  scan(): ProcessScan {
    const processes: ScannedProcess[] = [];
    let total = 0;
    for (const name of readdirSync(this.proc)) {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      total++;
      if (processes.length >= MAX_SCANNED) continue;
      const p = this.readStat(name);
      if (p) processes.push(p);
    }
    return { processes, total };
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

  /** The process's user, or null when it is gone. */
  userOf(pid: number): string | null {
    try {
      return this.userName(statSync(`${this.proc}/${pid}`).uid);
    } catch {
      return null;
    }
  }

  /** The user's name from /etc/passwd, or the uid as a number where it has none (a container's user). */
  userName(uid: number): string {
    let name = this.users.get(uid);
    if (name === undefined && !this.usersRead) {
      this.usersRead = true;
      this.users = readPasswd();
      name = this.users.get(uid);
    }
    return name ?? String(uid);
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

  /** Forget the user names, so that users added since are seen at the next read. */
  refreshUsers(): void {
    this.usersRead = false;
  }

  private readStat(pid: string): ScannedProcess | null {
    let fd: number;
    try {
      fd = openSync(`${this.proc}/${pid}/stat`, 'r');
    } catch {
      return null;
    }
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, 0);
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
    return parseStat(buffer.toString('latin1', 0, n), this.pageBytes);
  }
}

/**
 * One /proc/<pid>/stat line: `pid (comm) state ppid ...`. The command name may hold blanks and
 * parentheses, so it runs to the last ')'. latin1 keeps the bytes; the comm is made UTF-8 after.
 */
export function parseStat(line: string, pageBytes: number): ScannedProcess | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const f = line.slice(close + 2).split(' ');
  const pid = Number(line.slice(0, open));
  const ticks = Number(f[11]) + Number(f[12]);
  const rss = Number(f[21]);
  if (!Number.isInteger(pid) || !Number.isFinite(ticks) || !Number.isFinite(rss)) return null;
  return {
    pid,
    ppid: Number(f[1]),
    comm: Buffer.from(line.slice(open + 1, close), 'latin1').toString('utf8'),
    state: f[0] ?? '?',
    ticks,
    rssBytes: Math.max(0, rss) * pageBytes,
    threads: Number(f[17]) || 1,
    startTicks: Number(f[19]) || 0,
  };
}

export function ticksToSeconds(ticks: number): number {
  return ticks / USER_HZ;
}

function readInto(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return -1;
  }
  try {
    return readSync(fd, buffer, 0, buffer.length, 0);
  } catch {
    return -1;
  } finally {
    closeSync(fd);
  }
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
