/** `--record <file>`, `--record-max-size` and `--record-without`: any live source, written to a recording as it runs. */
import { InvalidArgumentError, type Command } from 'commander';
import { byteSizeArg } from '../../util/flag-args.js';

/** A node's tables a recording may leave out (record/tables.ts): the latest only, and the bulk of a tick. */
export const RECORDED_TABLES = ['processes', 'containers', 'gpus'] as const;
export type RecordedTable = (typeof RECORDED_TABLES)[number];

export interface RecordFlags {
  readonly path: string;
  /** Past this size the file is kept as `<file>.1` and a new one begun. */
  readonly maxBytes: number;
  /** Tables not written: a replay shows none of them, as for a node without. */
  readonly without: ReadonlySet<RecordedTable>;
}

/** As commander gives them. */
export interface RawRecordFlags {
  record?: string;
  recordMaxSize?: number;
  recordWithout?: readonly RecordedTable[];
}

/** `processes,containers`: the tables named, each once; any other word is refused, naming the choices. */
export function recordWithoutArg(text: string): RecordedTable[] {
  const words = text.split(',').map((w) => w.trim().toLowerCase());
  const unknown = words.find((w) => !(RECORDED_TABLES as readonly string[]).includes(w));
  if (unknown !== undefined) throw new InvalidArgumentError(`--record-without takes ${RECORDED_TABLES.join(', ')} (comma-separated), not "${unknown}"`);
  return [...new Set(words as RecordedTable[])];
}

export const RECORD_MAX_BYTES = 100 * 1024 ** 2;

export function addRecordFlags(program: Command): Command {
  return program
    .option('--record <file>', 'write every refresh to this recording file')
    .option('--record-max-size <size>', 'with --record: past this size, keep the file as <file>.1 and begin anew (default: 100MiB)', byteSizeArg('--record-max-size', 64, '100MiB'))
    .option('--record-without <tables>', `with --record: leave these tables of each node out of the recording: ${RECORDED_TABLES.join(', ')} (comma-separated)`, recordWithoutArg);
}

export function recordProblem(raw: RawRecordFlags): string | undefined {
  if (raw.record !== undefined) return undefined;
  if (raw.recordMaxSize !== undefined) return '--record-max-size needs --record';
  return raw.recordWithout !== undefined ? '--record-without needs --record' : undefined;
}

export function recordFlags(raw: RawRecordFlags): RecordFlags | undefined {
  return raw.record === undefined ? undefined : { path: raw.record, maxBytes: raw.recordMaxSize ?? RECORD_MAX_BYTES, without: new Set(raw.recordWithout ?? []) };
}
