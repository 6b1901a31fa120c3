import { closeSync, openSync, readSync } from 'node:fs';
import { describeFsError } from '../util/fs-error.js';
import {
  decodeDeclaration,
  decodeHeader,
  decodeTick,
  FormatError,
  maxTickBytes,
  OBJECT_SHAPE,
  tickShape,
  type RecordShape,
  type NodeDeclaration,
  type RecordingHeader,
  type Tick,
} from './format.js';
import { CtError, EXIT_USAGE } from '../util/errors.js';

/** A recording that cannot be used at all (unreadable, not a recording): one line naming the file. */
export class RecordingError extends CtError {
  override readonly name = 'RecordingError';
  readonly code = 'CT_ERR_RECORDING';
  readonly exitStatus = EXIT_USAGE;
}

/** Where the valid part of a recording ends, and why. */
export interface StopPoint {
  /** 1-based line number of the first record not read. */
  readonly line: number;
  /** Byte offset of that record. */
  readonly byte: number;
  readonly reason: string;
}

const CHUNK_BYTES = 1 << 20;
/** Longest header or node declaration: their texts are names, URLs and labels. */
const MAX_OBJECT_BYTES = 1 << 20;
/** Longest record of any kind: a tick of many nodes is bounded by maxTickBytes() and this. */
const MAX_RECORD_BYTES = 64 << 20;
/**
 * Longest number, literal or run of blanks in a record: JavaScript prints a number in at most 24
 * characters, and the writer puts no blanks; this leaves room for a hand-edited file.
 */
const MAX_RUN_BYTES = 64;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

/** A record without its "\n", or why there is none at this byte. */
type RawRecord = { readonly byte: number; readonly bytes: Buffer } | { readonly byte: number; readonly bytes?: never; readonly problem: string };

/** What a record starting with a given byte may be: its longest, why, and its shape. */
interface RecordLimits {
  readonly bytes: number;
  readonly why: string;
  readonly shape: RecordShape;
}

/**
 * The records of the file, each as its bytes, checked against the limits of their kind (told by
 * their first byte) while they are read: a record longer than its kind's longest, or past its
 * shape (see ShapeCheck), is damage as soon as that is seen, and nothing after it is read. So a
 * hostile line costs no more memory than the chunk it is read through; a record is read into one
 * buffer of its own size once whole.
 */
function* rawRecords(fd: number, limitsFor: (firstByte: number) => RecordLimits): Generator<RawRecord> {
  let lineStart = 0;
  let limits: RecordLimits | undefined;
  let check: ShapeCheck | undefined;
  let pos = 0;
  // One buffer for the whole file: a record yielded from it is used before the next is asked for.
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  for (;;) {
    const n = readSync(fd, chunk, 0, CHUNK_BYTES, pos);
    if (n === 0) break;
    const chunkStart = pos;
    pos += n;
    const data = chunk.subarray(0, n);
    let from = 0;
    for (;;) {
      if (limits === undefined && lineStart < pos) {
        limits = limitsFor(data[lineStart - chunkStart]!);
        check = new ShapeCheck(limits.shape);
      }
      const nl = data.indexOf(10, from);
      const lineEnd = nl === -1 ? pos : chunkStart + nl;
      if (limits === undefined || check === undefined) break; // the next line starts with the next chunk
      if (lineEnd - lineStart > limits.bytes) {
        yield { byte: lineStart, problem: `longer than ${limits.bytes} bytes (${limits.why})` };
        return;
      }
      try {
        check.read(data, from, nl === -1 ? n : nl);
        if (nl !== -1) check.end();
      } catch (error) {
        if (!(error instanceof FormatError || error instanceof SyntaxError)) throw error;
        yield { byte: lineStart, problem: error instanceof FormatError ? error.message : 'not JSON' };
        return;
      }
      if (nl === -1) break;
      yield { byte: lineStart, bytes: lineStart >= chunkStart ? data.subarray(lineStart - chunkStart, nl) : readAt(fd, lineStart, lineEnd - lineStart) };
      lineStart = lineEnd + 1;
      limits = undefined;
      check = undefined;
      from = nl + 1;
    }
  }
  if (pos > lineStart) yield { byte: lineStart, problem: 'cut off' };
}

function readAt(fd: number, byte: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  const n = readSync(fd, buf, 0, length, byte);
  return n === length ? buf : buf.subarray(0, n);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Checks a record's bytes against a shape, a piece at a time, before JSON.parse sees them: no
 * deeper than its levels, no array or object longer, no string longer, no number or run of blanks
 * longer than MAX_RUN_BYTES. A record of the format's shape then costs JSON.parse about what its
 * figures cost, where a line of nested or endless arrays would cost many times its size. Throws
 * FormatError saying which limit the record passes, SyntaxError when its brackets do not match.
 */
class ShapeCheck {
  private readonly levels: readonly number[];
  private readonly stringBytes: number;
  private readonly counts: number[];
  /** The bracket that closes each open array or object: a record that closes another is no JSON. */
  private readonly closers: number[];
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Bytes of the string being read, or of the run of other bytes since the last bracket, comma, colon or string. */
  private length = 0;

  constructor(shape: RecordShape) {
    this.levels = shape.levels;
    this.stringBytes = shape.stringBytes;
    this.counts = new Array<number>(this.levels.length + 1).fill(0);
    this.closers = new Array<number>(this.levels.length + 1).fill(0);
  }

  read(bytes: Buffer, from: number, to: number): void {
    const { levels, counts, closers } = this;
    for (let i = from; i < to; i++) {
      const c = bytes[i]!;
      if (this.inString) {
        if (++this.length > this.stringBytes) throw new FormatError(`a string longer than ${this.stringBytes} bytes`);
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          this.length = 0;
        }
        continue;
      }
      if (c !== QUOTE && c !== OPEN_BRACKET && c !== OPEN_BRACE && c !== CLOSE_BRACKET && c !== CLOSE_BRACE && c !== COMMA && c !== COLON) {
        if (++this.length > MAX_RUN_BYTES) throw new FormatError(`a value or blank longer than ${MAX_RUN_BYTES} bytes`);
        continue;
      }
      this.length = 0;
      if (c === QUOTE) {
        this.inString = true;
        this.length = 1;
      } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
        if (this.depth === levels.length) throw new FormatError(`nested deeper than ${levels.length} levels`);
        counts[++this.depth] = 1;
        closers[this.depth] = c + 2; // ] and } follow [ and { by two
      } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
        if (this.depth === 0 || closers[this.depth] !== c) throw new SyntaxError('unbalanced brackets');
        this.depth--;
      } else if (c === COMMA && this.depth > 0 && ++counts[this.depth]! > levels[this.depth - 1]!) {
        throw new FormatError(`more than ${levels[this.depth - 1]} elements at level ${this.depth}`);
      }
    }
  }

  /** The record ends here. */
  end(): void {
    if (this.inString || this.depth !== 0) throw new SyntaxError('unbalanced brackets');
  }
}

/** Parses a record as JSON once its bytes are known to fit `shape` (see ShapeCheck). */
export function parseRecord(bytes: Buffer, shape: RecordShape): unknown {
  const check = new ShapeCheck(shape);
  check.read(bytes, 0, bytes.length);
  check.end();
  return JSON.parse(bytes.toString('utf8'));
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
  /** The node numbers declared so far: what a tick may list. */
  private readonly declaredNodes = new Set<number>();

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {
    const records = rawRecords(fd, (firstByte) => this.limitsFor(firstByte));
    const first = records.next();
    try {
      if (first.done) throw new FormatError('no complete first line');
      const raw = first.value;
      if (!raw.bytes) throw new FormatError(raw.problem === 'cut off' ? 'no complete first line' : raw.problem === 'not JSON' ? 'no recording header' : `first line: ${raw.problem}`);
      this.header = decodeHeader(JSON.parse(raw.bytes.toString('utf8')));
    } catch (error) {
      if (!(error instanceof FormatError || error instanceof SyntaxError)) throw error;
      const reason = error instanceof FormatError ? error.message : 'no recording header';
      throw new RecordingError(`${path}: not a cluster-top recording (${reason})`);
    }
    this.startedMs = Date.parse(this.header.startedAt);
    this.stopped = this.index(records);
  }

  /**
   * What a record beginning with `firstByte` may be: a tick (`[`), as long as one of the nodes
   * declared so far can be; anything else, a header or a declaration.
   */
  private limitsFor(firstByte: number): RecordLimits {
    // Before the header is read, every line is taken for a header.
    const header = this.header as RecordingHeader | undefined;
    if (firstByte !== OPEN_BRACKET || header === undefined) return { bytes: MAX_OBJECT_BYTES, why: 'the most a header or node declaration takes', shape: OBJECT_SHAPE };
    const nodes = this.declaredNodes.size;
    const columns = header.columns?.length ?? 0;
    const bytes = Math.min(MAX_RECORD_BYTES, maxTickBytes(nodes, columns));
    return { bytes, why: `the most a tick of ${nodes} declared node${nodes === 1 ? '' : 's'} takes`, shape: tickShape(nodes, columns) };
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
    const value = parseRecord(buf, this.limitsFor(OPEN_BRACKET).shape);
    if (!Array.isArray(value)) throw new FormatError('not a tick');
    return decodeTick(value, this.header.columns);
  }

  /** The declarations between tick k-1 and tick k. */
  declarationsBefore(k: number): readonly NodeDeclaration[] {
    return this.declarations.get(k) ?? [];
  }

  close(): void {
    closeSync(this.fd);
  }

  private index(records: Generator<RawRecord>): StopPoint | undefined {
    const declared = this.declaredNodes;
    let line = 1;
    for (const raw of records) {
      line++;
      const stop = (reason: string): StopPoint => ({ line, byte: raw.byte, reason });
      if (!raw.bytes) return stop(raw.problem);
      let value: unknown;
      try {
        // Its shape was checked as it was read.
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
