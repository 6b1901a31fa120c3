import { statfs } from 'node:fs/promises';
import os from 'node:os';
import type { CpuTimes, MachineReader, MachineReading, RootFilesystem } from './machine-reading.js';

/**
 * This machine where there is no /proc (macOS, the BSDs, Windows): what Node's os module knows.
 * It has no network or disk counters and no swap; the root filesystem comes from statfs.
 */
export class OsReader implements MachineReader {
  readonly missing = ['network', 'disk', 'swap'] as const;

  async read(): Promise<MachineReading> {
    const timeSeconds = Date.now() / 1000;
    const cpus: CpuTimes[] = os.cpus().map((c, i) => ({
      cpu: String(i),
      seconds: { user: c.times.user / 1000, nice: c.times.nice / 1000, system: c.times.sys / 1000, idle: c.times.idle / 1000, irq: c.times.irq / 1000 },
    }));
    const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
    return {
      timeSeconds,
      bootTimeSeconds: timeSeconds - os.uptime(),
      uname: { machine: os.machine(), nodename: os.hostname(), release: os.release(), sysname: os.type(), version: os.version() },
      cpus,
      load: [load1, load5, load15],
      memory: { MemTotal: os.totalmem(), MemAvailable: os.freemem() },
      network: null,
      disks: null,
      filesystem: await rootFilesystem(),
    };
  }
}

/** Size and space left of `/` (statfs works on every platform Node runs on); null if it fails. */
async function rootFilesystem(): Promise<RootFilesystem | null> {
  try {
    const s = await statfs('/');
    return { sizeBytes: s.blocks * s.bsize, availBytes: s.bavail * s.bsize };
  } catch {
    return null;
  }
}
