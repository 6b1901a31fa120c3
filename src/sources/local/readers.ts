import { existsSync } from 'node:fs';
import type { MachineReader, MachineReading } from './machine-reading.js';
import { NvidiaSmi } from './nvidia-smi.js';
import { LinuxReader } from './linux-reader.js';
import { OsReader } from './os-reader.js';

/**
 * /proc where there is one (Linux: every group), else Node's os module (fewer groups); with the
 * GPUs nvidia-smi gives where it is on PATH.
 */
export function thisMachineReader(): MachineReader {
  return withGpus(existsSync('/proc/stat') ? new LinuxReader() : new OsReader(), new NvidiaSmi());
}

/** The machine and its GPUs read at once; a failed GPU read leaves the machine's reading whole. */
export function withGpus(reader: MachineReader, smi: NvidiaSmi): MachineReader {
  return {
    missing: reader.missing,
    async read(): Promise<MachineReading> {
      const [reading, gpus] = await Promise.all([reader.read(), smi.read()]);
      return gpus === null ? reading : { ...reading, gpus };
    },
  };
}
