import { closeSync, openSync, readSync } from 'node:fs';
import { describeFsError } from '../targets/targets-file.js';
import {
  decodeDeclaration,
  decodeHeader,
  decodeTick,
  FormatError,
  type NodeDeclaration,
  type RecordingHeader,
  type Tick,
} from './format.js';

/** A recording that cannot be used at all (unreadable, not a recording): one line naming the file. */
export class RecordingError extends Error {}

/** Where the valid part of a recording ends, and why. */
export interface StopPoint {
  /** 1-based line number of the first record not read. */
  readonly line: number;
  /** Byte offset of that record. */
  readonly byte: number;
  readonly reason: string;
}

const CHUNK_BYTES = 1 << 20;
/** A record longer than this is taken for damage: a file with no newline would otherwise be read whole into memory. */
const MAX_RECORD_BYTES = 64 << 20;

/** A record without its "\n", or why there is none at this byte. */
type RawRecord = { readonly byte: number; readonly bytes: Buffer } | { readonly byte: number; readonly bytes?: never; readonly problem: string };

function* rawRecords(fd: number): Generator<RawRecord> {
  let pending = Buffer.alloc(0);
  let pendingByte = 0;
  let pos = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const n = readSync(fd, chunk, 0, CHUNK_BYTES, pos);
    if (n === 0) break;
    pos += n;
    const data = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, n)]) : chunk.subarray(0, n);
    let from = 0;
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, from)) {
      yield { byte: pendingByte + from, bytes: data.subarray(from, nl) };
      from = nl + 1;
    }
    pendingByte += from;
    pending = data.subarray(from);
    if (pending.length > MAX_RECORD_BYTES) {
      yield { byte: pendingByte, problem: 'longer than 64 MiB' };
      return;
    }
  }
  if (pending.length > 0) yield { byte: pendingByte, problem: 'cut off' };
}

/**
 * An indexed recording: opening reads and checks every record once, keeping only each tick's
 * time and place in the file, so a recording of any length costs a few bytes per tick in memory.
 * Ticks are read again from the file when played.
 */
export class Recording {
  readonly header: RecordingHeader;
  readonly startedMs: number;
  /** Tick times, never decreasing. */
  readonly times: number[] = [];
  readonly stopped: StopPoint | undefined;
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  /** Declarations by the tick they come before. */
  private readonly declarations = new Map<number, NodeDeclaration[]>();

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {
    const records = rawRecords(fd);
    const first = records.next();
    try {
      if (first.done || !first.value.bytes) throw new FormatError('no complete first line');
      this.header = decodeHeader(JSON.parse(first.value.bytes.toString('utf8')));
    } catch (error) {
      if (!(error instanceof FormatError || error instanceof SyntaxError)) throw error;
      const reason = error instanceof FormatError ? error.message : 'no recording header';
      throw new RecordingError(`${path}: not a cluster-top recording (${reason})`);
    }
    this.startedMs = Date.parse(this.header.startedAt);
    this.stopped = this.index(records);
  }

  /** Opens and checks a recording; throws RecordingError when it cannot be read or is not one. */
  static open(path: string): Recording {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw new RecordingError(`${path}: ${describeFsError(error)}`);
    }
    try {
      return new Recording(path, fd);
    } catch (error) {
      closeSync(fd);
      if (error instanceof RecordingError) throw error;
      throw new RecordingError(`${path}: ${describeFsError(error)}`);
    }
  }

  get tickCount(): number {
    return this.times.length;
  }

  /** The last tick at or before `timeMs`, or -1 when the first is later. */
  indexAtOrBefore(timeMs: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! <= timeMs) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  readTick(k: number): Tick {
    const buf = Buffer.allocUnsafe(this.lengths[k]!);
    readSync(this.fd, buf, 0, buf.length, this.offsets[k]!);
    return decodeTick(JSON.parse(buf.toString('utf8')) as unknown[], this.header.columns);
  }

  /** The declarations between tick k-1 and tick k. */
  declarationsBefore(k: number): readonly NodeDeclaration[] {
    return this.declarations.get(k) ?? [];
  }

  close(): void {
    closeSync(this.fd);
  }

  private index(records: Generator<RawRecord>): StopPoint | undefined {
    const declared = new Set<number>();
    let line = 1;
    for (const raw of records) {
      line++;
      const stop = (reason: string): StopPoint => ({ line, byte: raw.byte, reason });
      if (!raw.bytes) return stop(raw.problem);
      let value: unknown;
      try {
        value = JSON.parse(raw.bytes.toString('utf8'));
      } catch {
        return stop('not JSON');
      }
      try {
        if (Array.isArray(value)) this.addTick(decodeTick(value, this.header.columns), declared, raw);
        else if (typeof value === 'object' && value !== null && 'node' in value) {
          const declaration = decodeDeclaration(value as Record<string, unknown>);
          declared.add(declaration.node);
          const at = this.times.length;
          const before = this.declarations.get(at);
          if (before) before.push(declaration);
          else this.declarations.set(at, [declaration]);
        } else throw new FormatError('neither a tick nor a node declaration');
      } catch (error) {
        if (error instanceof FormatError) return stop(error.message);
        throw error;
      }
    }
    return undefined;
  }

  private addTick(tick: Tick, declared: ReadonlySet<number>, raw: { byte: number; bytes: Buffer }): void {
    const last = this.times.at(-1);
    if (last !== undefined && tick.timeMs < last) throw new FormatError('tick earlier than the one before');
    const seen = new Set<number>();
    for (const e of tick.entries) {
      if (!declared.has(e.node)) throw new FormatError(`node ${e.node} not declared`);
      if (seen.has(e.node)) throw new FormatError(`node ${e.node} listed twice`);
      seen.add(e.node);
    }
    this.times.push(tick.timeMs);
    this.offsets.push(raw.byte);
    this.lengths.push(raw.bytes.length);
  }
}

/** "line 12 (byte 3456): cut off" */
export function describeStop(stop: StopPoint): string {
  return `line ${stop.line} (byte ${stop.byte}): ${stop.reason}`;
}
