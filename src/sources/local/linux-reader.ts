import { closeSync, openSync, readSync, statfsSync } from 'node:fs';
import os from 'node:os';
import { describeFsError } from '../../util/fs-error.js';
import { MachineReadError, type MachineReader, type MachineReading, type RootFilesystem } from './machine-reading.js';
import { parseDiskstats, parseLoadavg, parseMeminfo, parseNetDev, parseProcStat, rootMount } from './proc-parse.js';

/** Bytes of one /proc file read at most (a /proc/self/mounts of many containers is the largest). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** One buffer for every file read, grown to the largest file seen. */
let buffer = Buffer.alloc(64 * 1024);

/**
 * Reads this machine from /proc and statfs('/'), the same sources node_exporter reads.
 * Synchronous, in this order (a failure reported is the first in it: the same message every
 * time for the same missing files): these are small files the kernel writes at the read, and the
 * async API's thread-pool round trips (open, stat, read, close for each) cost more than the
 * reads; the agent serves this every scrape (docs/performance.md).
 */
export class LinuxReader implements MachineReader {
  readonly missing = [] as const;

  constructor(private readonly proc = '/proc') {}

  async read(): Promise<MachineReading> {
    const stat = this.file('stat');
    const loadavg = this.file('loadavg');
    const meminfo = this.file('meminfo');
    const netDev = this.file('net/dev');
    const diskstats = this.file('diskstats');
    const mounts = this.file('self/mounts');
    const domainname = this.file('sys/kernel/domainname');
    const fs = rootStatfs();
    const timeSeconds = Date.now() / 1000;
    const { cpus, bootTimeSeconds } = parseProcStat(stat);
    const load = parseLoadavg(loadavg);
    if (cpus.length === 0 || bootTimeSeconds === undefined) throw new MachineReadError(`${this.proc}/stat: no per-core cpu lines or no btime`);
    if (!load) throw new MachineReadError(`${this.proc}/loadavg: not three load averages`);
    const root = rootMount(mounts);
    return {
      timeSeconds,
      bootTimeSeconds,
      uname: {
        domainname: domainname.trim(),
        machine: os.machine(),
        nodename: os.hostname(),
        release: os.release(),
        sysname: os.type(),
        version: os.version(),
      },
      cpus,
      load,
      memory: pick(parseMeminfo(meminfo), ['MemTotal', 'MemAvailable', 'SwapTotal', 'SwapFree']),
      network: parseNetDev(netDev),
      disks: parseDiskstats(diskstats),
      filesystem: { ...root, ...fs },
    };
  }

  private file(name: string): string {
    const path = `${this.proc}/${name}`;
    try {
      return readSmall(path);
    } catch (error) {
      throw new MachineReadError(`cannot read ${path}: ${describeFsError(error)}`);
    }
  }
}

/** A whole file through the shared buffer, as UTF-8 (MAX_FILE_BYTES at most). */
function readSmall(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length >= MAX_FILE_BYTES) break;
        const bigger = Buffer.alloc(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/** node_exporter's figures: size = blocks × bsize, avail = bavail × bsize (what non-root may use). */
function rootStatfs(): Pick<RootFilesystem, 'sizeBytes' | 'availBytes'> {
  try {
    const s = statfsSync('/');
    return { sizeBytes: s.blocks * s.bsize, availBytes: s.bavail * s.bsize };
  } catch (error) {
    throw new MachineReadError(`cannot statfs /: ${describeFsError(error)}`);
  }
}

function pick(fields: Record<string, number>, keys: readonly string[]): Record<string, number> {
  const picked: Record<string, number> = {};
  for (const k of keys) if (fields[k] !== undefined) picked[k] = fields[k];
  return picked;
}
