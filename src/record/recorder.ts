import { closeSync, constants, ftruncateSync, lstatSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import type { ClusterStore, NodeEntry } from '../store/cluster-store.js';
import { redactTargetText } from '../targets/redact.js';
import { describeFsError } from '../util/fs-error.js';
import { encodeEntry, HEADER_PREFIX, headerLine } from './format.js';
import { RecordingError } from './reader.js';

export interface RecorderOptions {
  readonly path: string;
  /** A file reaching this size is renamed to `<path>.1` (replacing it) and a new one begun. */
  readonly maxBytes: number;
  readonly store: ClusterStore;
  readonly intervalMs: number;
  /** A node's tables left out (`--record-without`); none by default. */
  readonly without?: ReadonlySet<'processes' | 'containers' | 'gpus'>;
  readonly now?: () => number;
}

/** What a file has declared of a node: a change to any of it is declared again. */
interface Declared {
  readonly node: number;
  /** The id as written: the node's id with any secret masked, unique within the file. */
  readonly id: string;
  readonly name: string;
  readonly target: string;
  readonly source: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A recording is created readable by its owner only, and never through a symbolic link at its
 * path: whoever can plant one must not get the file written where it points. O_TRUNC: an empty
 * file at the path is taken over, as before (a recording there was moved to `<path>.1` first).
 */
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
const CREATE_MODE = 0o600;

const SYMLINK = 'is a symbolic link, which --record does not follow';

function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ELOOP') return SYMLINK;
  if (code === 'ENOSPC') return 'no space left on device';
  if (code === 'EDQUOT') return 'disk quota exceeded';
  if (code === 'EROFS') return 'read-only file system';
  // Creating a file, ENOENT means its folder is missing, not the file.
  if (code === 'ENOENT') return 'its folder does not exist';
  if (code === 'ENOTDIR') return 'a part of its path is not a folder';
  return describeFsError(error);
}

/**
 * Writes every cluster refresh of a store to a recording (format.ts). Every source appends one
 * cluster row per refresh, so a new latest cluster time is the moment to write all nodes. A write
 * that fails (disk full, ...) is undone by truncating the file back, so the file stays readable,
 * and the next refresh tries again; monitoring never stops for it.
 */
export class Recorder {
  /** Undefined after a failed rotation, until a new file could be begun. */
  private fd: number | undefined;
  private size = 0;
  private ticksInFile = 0;
  private nextNode = 0;
  private readonly declared = new Map<string, Declared>();
  /** The ids written to this file (see writtenId). */
  private readonly writtenIds = new Set<string>();
  private lastTickMs = Number.NEGATIVE_INFINITY;
  private problem: string | undefined;
  private lost = 0;
  private readonly unsubscribe: () => void;

  private constructor(private readonly options: RecorderOptions) {
    this.fd = this.begin();
    this.unsubscribe = options.store.subscribe(() => {
      const t = options.store.cluster.latestTime();
      if (t !== null && t !== this.lastTickMs) this.tick(t);
    });
  }

  /**
   * Starts a recording. An existing recording at `path` is kept as `<path>.1`; any other existing
   * file, and a symbolic link, is left alone and refused. Throws RecordingError naming the file
   * when it cannot be written.
   */
  static open(options: RecorderOptions): Recorder {
    const { path } = options;
    try {
      if (isSymlink(path)) throw new RecordingError(`--record ${path}: ${SYMLINK}`);
      if (nonEmptyFile(path)) {
        if (!startsWithHeader(path)) throw new RecordingError(`--record ${path}: the file exists and is not a cluster-top recording`);
        renameSync(path, `${path}.1`);
      }
      return new Recorder(options);
    } catch (error) {
      if (error instanceof RecordingError) throw error;
      throw new RecordingError(`--record ${path}: ${describeWriteError(error)}`);
    }
  }

  /** A line for the header while writing fails. */
  get notice(): string | undefined {
    return this.problem && `recording failed: ${this.problem}`;
  }

  /** For the end of the run: refreshes that could not be written. */
  get warning(): string | undefined {
    if (this.lost === 0) return undefined;
    return `--record ${this.options.path}: ${this.lost} refresh${this.lost === 1 ? '' : 'es'} not recorded (${this.problem ?? 'recording again since'})`;
  }

  close(): void {
    this.unsubscribe();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private begin(): number {
    const fd = openSync(this.options.path, CREATE_FLAGS, CREATE_MODE);
    const header = Buffer.from(headerLine((this.options.now ?? Date.now)(), this.options.intervalMs, this.options.store.columnNames));
    try {
      writeAt(fd, header, 0);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.size = header.length;
    this.ticksInFile = 0;
    this.nextNode = 0;
    this.declared.clear();
    this.writtenIds.clear();
    return fd;
  }

  private tick(timeMs: number): void {
    // A wall clock stepped back would make ticks go back in time, which a reader refuses.
    if (timeMs < this.lastTickMs) return;
    this.lastTickMs = timeMs;
    try {
      this.fd ??= this.begin();
      let batch = this.encode(timeMs);
      if (this.size + batch.bytes.length > this.options.maxBytes && this.ticksInFile > 0) {
        this.rotate();
        batch = this.encode(timeMs);
      }
      this.append(batch.bytes);
      batch.commit();
      this.problem = undefined;
    } catch (error) {
      this.lost++;
      this.problem = `${this.options.path}: ${describeWriteError(error)}`;
    }
  }

  /** The records of one refresh (declarations first), and what to remember once they are written. */
  private encode(timeMs: number): { bytes: Buffer; commit: () => void } {
    const lines: string[] = [];
    const changes: [string, Declared][] = [];
    const batchIds = new Set<string>();
    const entries: unknown[] = [timeMs];
    const without = this.options.without;
    for (const n of this.options.store.nodes()) {
      const known = this.declared.get(n.id);
      const node = known?.node ?? this.nextNode++;
      if (!known || !sameMeta(known, n)) {
        const id = known?.id ?? this.writtenId(n.id, node, batchIds);
        const declared: Declared = { node, id, name: n.name, target: n.target, source: n.source, labels: n.labels };
        lines.push(JSON.stringify({ node, id, name: n.name, target: redactTargetText(n.target), source: n.source, labels: n.labels }));
        changes.push([n.id, declared]);
      }
      entries.push(
        encodeEntry(node, n.health, n.figures, {
          columns: this.options.store.columnNames,
          readings: n.columns,
          processes: without?.has('processes') ? null : n.processes,
          containers: without?.has('containers') ? null : n.containers,
          gpus: without?.has('gpus') ? null : n.gpus,
        }),
      );
    }
    lines.push(JSON.stringify(entries));
    return {
      bytes: Buffer.from(`${lines.join('\n')}\n`),
      commit: () => {
        for (const [id, d] of changes) this.declared.set(id, d);
        for (const id of batchIds) this.writtenIds.add(id);
        this.ticksInFile++;
      },
    };
  }

  /**
   * A node's id as the file holds it: ids are URLs that may carry a token in their query. Two ids
   * that differ only in their secrets would be written alike, so the later one gets its node number.
   */
  private writtenId(id: string, node: number, batch: Set<string>): string {
    const shown = redactTargetText(id);
    const written = this.writtenIds.has(shown) || batch.has(shown) ? `${shown} (node ${node})` : shown;
    batch.add(written);
    return written;
  }

  private append(bytes: Buffer): void {
    try {
      writeAt(this.fd!, bytes, this.size);
      this.size += bytes.length;
    } catch (error) {
      // Part of the batch may be on disk: cut it off, so that a crash before the next write
      // leaves no broken line (the next write starts at the same offset either way).
      try {
        ftruncateSync(this.fd!, this.size);
      } catch {
        // nothing more to undo with
      }
      throw error;
    }
  }

  private rotate(): void {
    renameSync(this.options.path, `${this.options.path}.1`);
    const old = this.fd!;
    this.fd = undefined;
    closeSync(old);
    this.fd = this.begin();
  }
}

/** One write call per batch of whole records, at an explicit offset: a failed write leaves no gap. */
function writeAt(fd: number, bytes: Buffer, position: number): void {
  const written = writeSync(fd, bytes, 0, bytes.length, position);
  if (written !== bytes.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
}

function sameMeta(known: Declared, n: NodeEntry): boolean {
  return (
    known.name === n.name &&
    known.target === n.target &&
    known.source === n.source &&
    (known.labels === n.labels || JSON.stringify(known.labels) === JSON.stringify(n.labels))
  );
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function nonEmptyFile(path: string): boolean {
  try {
    return lstatSync(path).size > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function startsWithHeader(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEADER_PREFIX.length);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n) === HEADER_PREFIX;
  } finally {
    closeSync(fd);
  }
}
