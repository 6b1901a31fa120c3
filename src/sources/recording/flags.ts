/** `--record <file>` and `--record-max-size`: any live source, written to a recording as it runs. */
import type { Command } from 'commander';
import { byteSizeArg } from '../../util/flag-args.js';

export interface RecordFlags {
  readonly path: string;
  /** Past this size the file is kept as `<file>.1` and a new one begun. */
  readonly maxBytes: number;
}

/** As commander gives them. */
export interface RawRecordFlags {
  record?: string;
  recordMaxSize?: number;
}

export const RECORD_MAX_BYTES = 100 * 1024 ** 2;

export function addRecordFlags(program: Command): Command {
  return program
    .option('--record <file>', 'write every refresh to this recording file')
    .option('--record-max-size <size>', 'with --record: past this size, keep the file as <file>.1 and begin anew (default: 100MiB)', byteSizeArg('--record-max-size', 64, '100MiB'));
}

export function recordProblem(raw: RawRecordFlags): string | undefined {
  return raw.recordMaxSize !== undefined && raw.record === undefined ? '--record-max-size needs --record' : undefined;
}

export function recordFlags(raw: RawRecordFlags): RecordFlags | undefined {
  return raw.record === undefined ? undefined : { path: raw.record, maxBytes: raw.recordMaxSize ?? RECORD_MAX_BYTES };
}
