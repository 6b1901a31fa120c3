import type { Labels, MetricType } from './types.js';

/** What the parser read of a chunk: the comment lines after one sample line, and the next sample line up to its value. */
export interface ReadChunk {
  /** Line ends in the text: every one a bare LF. */
  readonly lines: number;
  /** Where the sample line starts in the text. */
  readonly sampleOffset: number;
  /** The TYPE lines' family names and types, in order. */
  readonly typeNames: readonly string[];
  readonly types: readonly MetricType[];
  /** Which format it was read in: the two accept different types, and OpenMetrics fewer layouts. */
  readonly openMetrics: boolean;
  readonly name: string;
  /**
   * Undefined when the chunk was read for a filter that skipped the sample, whose labels were
   * then never read. In a cached chunk: frozen, and shared by every sample that repeats it.
   */
  readonly labels: Labels | undefined;
}

/**
 * A chunk of an earlier payload, which reads the same way whenever it recurs byte for byte: in a
 * later payload it is confirmed with one string comparison instead of being read again.
 */
export interface CachedChunk extends ReadChunk {
  /** The chunk's text, a copy that keeps no payload alive. */
  readonly text: string;
  /** hashOf(text): the key of the cache's generations. */
  readonly hash: number;
  /** Code of the text's last character: a one-load test before the comparison. */
  readonly lastChar: number;
  /** The chunk that followed this one last time, in whichever payload: the next guess. */
  next: CachedChunk | undefined;
  /** The filter the kept flags below were decided for, or NOT_DECIDED. */
  keptBy: ReadonlySet<string> | undefined | typeof NOT_DECIDED;
  kept: boolean;
  /** Which TYPE lines the filter keeps, decided with `kept`. */
  readonly typeKept: boolean[];
  /** The cache's generation the chunk was last used in (see LineCache). */
  generation: number;
  /** What the chunk costs in memory, about: its texts and objects. */
  readonly bytes: number;
}

export const NOT_DECIDED = Symbol('not decided');

/** Longer chunks are rare and would make the cache's memory depend on what a target sends. */
const MAX_CHUNK_CHARS = 4096;
const DEFAULT_MAX_CHUNKS = 100_000;
/**
 * The cache's memory, about: a cluster of node_exporters of a few versions needs well under 1 MiB
 * (their shared lines), while one target that writes thousands of long lines that change every
 * other scrape could otherwise fill it with a gigabyte of lines no one reads again.
 */
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** A chunk's object, its arrays and its labels object, besides the characters it holds: about. */
const CHUNK_OVERHEAD_BYTES = 200;
const NAME_OVERHEAD_BYTES = 40;
/**
 * Room for the hashes of about 50 payloads' worth of lines no other node writes: with more nodes
 * than that, a node's own lines are pushed out before its next scrape, and only what nodes share
 * gets cached. SEEN_BUCKETS is a power of two.
 */
const SEEN_BUCKETS = 2048;
const SEEN_WAYS = 4;

/**
 * Chunks of earlier payloads, shared across the targets that speak alike: exporters of one version
 * write the same comments and sample lines scrape after scrape and node after node, with new
 * values. This is Prometheus's scrape cache on the parser's side: a line's name and labels are
 * read once, and the label objects are shared instead of rebuilt per scrape.
 *
 * Chunks are chained in the order they were last seen, so the guess for the next one costs no
 * lookup; a chunk that is not the guess is looked up by its text, so a payload that differs (a
 * node with more cores) costs a lookup where it differs and follows the chain after.
 *
 * A chunk is kept only when it is seen again soon, before a few thousand other new texts pass: in the
 * next payload of a node like the last one, or the next scrape of one of a few nodes. Lines that
 * one node of many writes (a pod's veth device, a serial number) come round too seldom and are
 * never kept, so the cache holds what the nodes share, not a copy of every node.
 *
 * Bounded by `maxBytes` (and `maxChunks`), in two generations: chunks are learnt into the young
 * one, and a chunk of the old one that is used again moves to the young one. When the young one
 * holds three quarters of the bound (or both together all of it), it becomes the old one, and the
 * old one is dropped with whatever was not used meanwhile. So the lines read scrape after scrape
 * stay, whatever else passes through; and one payload may add no more than an eighth of the bound,
 * so a target that floods the cache with lines it never writes again takes at least two of its
 * payloads to turn a generation over, while the lines the others share are read (kept) in between.
 */
export class LineCache {
  head: CachedChunk | undefined;
  /**
   * Hashes of texts seen once lately, one per slot: a text is kept as a chunk when its hash is
   * still in its slot when it comes again. Nothing is allocated for a line that is never kept.
   */
  private readonly seen = new Int32Array(SEEN_BUCKETS * SEEN_WAYS);
  /**
   * The young generation's chunks, by their text's hash, and the old one's. By hash, not by text:
   * the text is a slice of the payload, and a Map keyed by it would hash it once more (V8's own
   * string hash, as long a loop as ours) for every chunk looked up; with many nodes most lookups are
   * of lines only one node writes, which miss. Two texts of one hash hold one place: the one that
   * comes again replaces the other (see learn), which costs a re-read, never a wrong answer, as a
   * chunk serves only a text equal to its own.
   */
  private young = new Map<number, CachedChunk>();
  private old = new Map<number, CachedChunk>();
  private youngBytes = 0;
  private oldBytes = 0;
  /** The young generation's number: a chunk with another was last used in the old one. */
  generation = 1;
  /** Interned names of the young generation and the old one (chunks hold them: they go with their generation). */
  private names = new Map<string, string>();
  private oldNames = new Map<string, string>();
  /** What the payload being read has added so far: one payload may add no more than an eighth of maxBytes. */
  private payloadBytes = 0;
  /** Chunks served from the cache, and chunks asked for and not (for the benchmark's hit rate). */
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxChunks = DEFAULT_MAX_CHUNKS,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  /** A new payload is being read (see payloadBytes). */
  beginPayload(): void {
    this.payloadBytes = 0;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** What the cached chunks cost in memory, about; never more than `maxBytes`. */
  get bytes(): number {
    return this.youngBytes + this.oldBytes;
  }

  /**
   * The cached chunk for `text`: found, made, or undefined the first time it is seen. `text` may be
   * a slice of a payload: only copies are kept.
   */
  learn(text: string, read: ReadChunk): CachedChunk | undefined {
    if (text.length > MAX_CHUNK_CHARS) {
      this.misses++;
      return undefined;
    }
    // Never 0, which marks an empty place in `seen`.
    const hash = hashOf(text) || 1;
    const known = this.young.get(hash) ?? this.old.get(hash);
    // A chunk read for a filter that skipped its sample has no labels to give a filter that keeps it;
    // one read as Prometheus text vouches for nothing in OpenMetrics, which refuses more.
    const serves =
      known !== undefined && known.text === text && known.openMetrics === read.openMetrics && (known.labels !== undefined || read.labels === undefined);
    if (serves) {
      this.hits++;
      if (known.generation !== this.generation) this.renew(known);
      return known;
    }
    this.misses++;
    if (!this.seenAgain(hash)) return undefined;
    const bytes = CHUNK_OVERHEAD_BYTES + stringBytes(text) + (read.labels === undefined ? 0 : labelBytes(read.labels)) + NAME_OVERHEAD_BYTES * read.typeNames.length;
    // A payload that would fill a generation by itself would push out what every other target shares.
    if (this.payloadBytes + bytes > this.maxBytes / 8) return undefined;
    this.payloadBytes += bytes;
    if (this.young.size + 1 > (this.maxChunks * 3) / 4 || this.youngBytes + bytes > (this.maxBytes * 3) / 4 || this.size + 1 > this.maxChunks || this.bytes + bytes > this.maxBytes) {
      this.age();
      // Chunks used again can fill the young generation past its share: the old one can be the whole bound.
      if (this.size + 1 > this.maxChunks || this.bytes + bytes > this.maxBytes) this.age();
    }
    // One that does not serve is replaced, in whichever generation it was.
    if (known !== undefined) this.forget(known);
    const noTypes = read.types.length === 0;
    const chunk: CachedChunk = {
      text: copyOf(text),
      hash,
      lastChar: text.charCodeAt(text.length - 1),
      lines: read.lines,
      sampleOffset: read.sampleOffset,
      typeNames: noTypes ? NONE : read.typeNames.map((name) => this.intern(name)),
      types: noTypes ? NONE : [...read.types],
      openMetrics: read.openMetrics,
      name: this.intern(read.name),
      labels: read.labels === undefined ? undefined : this.copyOfLabels(read.labels),
      next: undefined,
      keptBy: NOT_DECIDED,
      kept: false,
      typeKept: noTypes ? NONE : [],
      generation: this.generation,
      bytes,
    };
    this.young.set(hash, chunk);
    this.youngBytes += bytes;
    return chunk;
  }

  /**
   * A chunk the parser used again (by the guess, or looked up): moved to the young generation,
   * unless it was dropped already (it was on a chain the parser followed: it is forgotten).
   */
  renew(chunk: CachedChunk): void {
    if (chunk.generation === this.generation) return;
    if (this.old.get(chunk.hash) !== chunk) return;
    this.old.delete(chunk.hash);
    this.oldBytes -= chunk.bytes;
    // A chunk of the same hash learnt into the young generation meanwhile gives way.
    const there = this.young.get(chunk.hash);
    if (there !== undefined) this.youngBytes -= there.bytes;
    this.young.set(chunk.hash, chunk);
    this.youngBytes += chunk.bytes;
    chunk.generation = this.generation;
  }

  private forget(chunk: CachedChunk): void {
    if (this.young.get(chunk.hash) === chunk) {
      this.young.delete(chunk.hash);
      this.youngBytes -= chunk.bytes;
    } else if (this.old.get(chunk.hash) === chunk) {
      this.old.delete(chunk.hash);
      this.oldBytes -= chunk.bytes;
    }
  }

  /**
   * The young generation becomes the old one; the old one is dropped. Chunks that stay must not
   * lead to dropped ones (a chain would keep them alive): such links are cut.
   */
  private age(): void {
    const dropped = this.generation - 1;
    for (const chunk of this.young.values()) if (chunk.next !== undefined && chunk.next.generation <= dropped) chunk.next = undefined;
    if (this.head !== undefined && this.head.generation <= dropped) this.head = undefined;
    this.old = this.young;
    this.oldBytes = this.youngBytes;
    this.oldNames = this.names;
    this.young = new Map();
    this.youngBytes = 0;
    this.names = new Map();
    this.generation++;
  }

  /**
   * Whether the text's hash is among the last few put in its bucket; if not, it is put there,
   * pushing out the oldest. Four to a bucket, so two lines of one payload that share a bucket do
   * not push each other out scrape after scrape.
   */
  private seenAgain(hash: number): boolean {
    const bucket = (hash & (SEEN_BUCKETS - 1)) * SEEN_WAYS;
    const seen = this.seen;
    for (let i = bucket; i < bucket + SEEN_WAYS; i++) {
      if (seen[i] === hash) {
        seen[i] = 0;
        return true;
      }
    }
    seen.copyWithin(bucket + 1, bucket, bucket + SEEN_WAYS - 1);
    seen[bucket] = hash;
    return false;
  }

  /** One string per metric and label name however many chunks hold it. */
  private intern(name: string): string {
    let kept = this.names.get(name);
    if (kept === undefined) {
      kept = this.oldNames.get(name) ?? copyOf(name);
      this.names.set(kept, kept);
    }
    return kept;
  }

  private copyOfLabels(labels: Labels): Labels {
    const copy: Record<string, string> = {};
    for (const name of Object.keys(labels)) {
      const value = copyOf(labels[name] as string);
      // A plain assignment of __proto__ would go to the prototype setter and drop the label.
      if (name === '__proto__') Object.defineProperty(copy, name, { value, enumerable: true });
      else copy[this.intern(name)] = value;
    }
    return Object.freeze(copy);
  }
}

/** A string's characters in V8: one byte each while all are Latin-1, else two. */
function stringBytes(s: string): number {
  return NON_LATIN1.test(s) ? 2 * s.length : s.length;
}
const NON_LATIN1 = /[^\u0000-\u00ff]/;

/** A label set's names (interned, but counted in each chunk) and values. */
function labelBytes(labels: Labels): number {
  let n = 0;
  for (const name of Object.keys(labels)) n += NAME_OVERHEAD_BYTES + stringBytes(name) + stringBytes(labels[name] as string);
  return n;
}

/** Shared by every chunk without TYPE lines: never written, as nothing is pushed where there are no types. */
const NONE: never[] = [];

/** FNV-1a over the UTF-16 code units: only ever compared with itself, never trusted for equality. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * A flat copy: V8 hands out slices of a long string as views that keep the whole payload alive.
 * Concatenation makes a rope, and slicing a rope flattens it into a fresh string first.
 */
function copyOf(s: string): string {
  return ` ${s}`.slice(1);
}
