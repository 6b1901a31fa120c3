import { existsSync } from 'node:fs';
import type { MachineReader } from './machine-reading.js';
import { LinuxReader } from './linux-reader.js';
import { OsReader } from './os-reader.js';

/** /proc where there is one (Linux: every group), else Node's os module (fewer groups). */
export function thisMachineReader(): MachineReader {
  return existsSync('/proc/stat') ? new LinuxReader() : new OsReader();
}
