import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { describeFsError } from '../../util/fs-error.js';
import { MachineReadError, type MachineReader, type MachineReading, type RootFilesystem } from './machine-reading.js';
import { parseDiskstats, parseLoadavg, parseMeminfo, parseNetDev, parseProcStat, rootMount } from './proc-parse.js';

/** Reads this machine from /proc and statfs('/'), the same sources node_exporter reads. */
export class LinuxReader implements MachineReader {
  readonly missing = [] as const;

  constructor(private readonly proc = '/proc') {}

  async read(): Promise<MachineReading> {
    const reads = [
      this.file('stat'),
      this.file('loadavg'),
      this.file('meminfo'),
      this.file('net/dev'),
      this.file('diskstats'),
      this.file('self/mounts'),
      this.file('sys/kernel/domainname'),
      rootStatfs(),
    ] as const;
    // Every read settled first, so a failure reported is the first in this order, not whichever
    // read happened to fail first: the same message every time for the same missing files.
    await Promise.allSettled(reads);
    const [stat, loadavg, meminfo, netDev, diskstats, mounts, domainname, fs] = await Promise.all(reads);
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

  private async file(name: string): Promise<string> {
    const path = `${this.proc}/${name}`;
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new MachineReadError(`cannot read ${path}: ${describeFsError(error)}`);
    }
  }
}

/** node_exporter's figures: size = blocks × bsize, avail = bavail × bsize (what non-root may use). */
async function rootStatfs(): Promise<Pick<RootFilesystem, 'sizeBytes' | 'availBytes'>> {
  try {
    const s = await statfs('/');
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
