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
  /** Code of the text's last character: a one-load test before the comparison. */
  readonly lastChar: number;
  /** The chunk that followed this one last time, in whichever payload: the next guess. */
  next: CachedChunk | undefined;
  /** The filter the kept flags below were decided for, or NOT_DECIDED. */
  keptBy: ReadonlySet<string> | undefined | typeof NOT_DECIDED;
  kept: boolean;
  /** Which TYPE lines the filter keeps, decided with `kept`. */
  readonly typeKept: boolean[];
}

export const NOT_DECIDED = Symbol('not decided');

/** Longer chunks are rare and would make the cache's memory depend on what a target sends. */
const MAX_CHUNK_CHARS = 4096;
const DEFAULT_MAX_CHUNKS = 100_000;
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
 * never kept, so the cache holds what the nodes share, not a copy of every node. Bounded: past
 * `maxChunks` it starts over.
 */
export class LineCache {
  head: CachedChunk | undefined;
  /**
   * Hashes of texts seen once lately, one per slot: a text is kept as a chunk when its hash is
   * still in its slot when it comes again. Nothing is allocated for a line that is never kept.
   */
  private readonly seen = new Int32Array(SEEN_BUCKETS * SEEN_WAYS);
  private byText = new Map<string, CachedChunk>();
  private readonly names = new Map<string, string>();

  constructor(private readonly maxChunks = DEFAULT_MAX_CHUNKS) {}

  get size(): number {
    return this.byText.size;
  }

  /**
   * The cached chunk for `text`: found, made, or undefined the first time it is seen. `text` may be
   * a slice of a payload: only copies are kept.
   */
  learn(text: string, read: ReadChunk): CachedChunk | undefined {
    if (text.length > MAX_CHUNK_CHARS) return undefined;
    const known = this.byText.get(text);
    // A chunk read for a filter that skipped its sample has no labels to give a filter that keeps it;
    // one read as Prometheus text vouches for nothing in OpenMetrics, which refuses more.
    const serves = known !== undefined && known.openMetrics === read.openMetrics && (known.labels !== undefined || read.labels === undefined);
    if (serves) return known;
    if (!this.seenAgain(text)) return undefined;
    if (this.byText.size >= this.maxChunks) {
      this.byText = new Map();
      this.names.clear();
      this.head = undefined;
    }
    const noTypes = read.types.length === 0;
    const chunk: CachedChunk = {
      text: copyOf(text),
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
    };
    this.byText.set(chunk.text, chunk);
    return chunk;
  }

  /**
   * Whether the text's hash is among the last few put in its bucket; if not, it is put there,
   * pushing out the oldest. Four to a bucket, so two lines of one payload that share a bucket do
   * not push each other out scrape after scrape.
   */
  private seenAgain(text: string): boolean {
    // Never 0, which marks an empty place.
    const hash = hashOf(text) || 1;
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
    if (kept === undefined) this.names.set((kept = copyOf(name)), kept);
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

/** Shared by every chunk without TYPE lines: never written, as nothing is pushed where there are no types. */
const NONE: never[] = [];

/** FNV-1a over the UTF-16 code units: only ever compared with itself, never trusted for equality. */
function hashOf(text: string): number {
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
