import type { Labels, MetricType } from './types.js';

/**
 * A stretch of an earlier payload that reads the same way whenever it recurs byte for byte: the
 * comment lines after one sample line and the next sample line up to its value. In a later
 * payload it is confirmed with one string comparison instead of being read character by character.
 */
export interface CachedChunk {
  /** The chunk's text, a copy that keeps no payload alive. */
  readonly text: string;
  /** Code of the text's last character: a one-load test before the comparison. */
  readonly lastChar: number;
  /** Line ends in the text: every one a bare LF. */
  readonly lines: number;
  /** Where the sample line starts in the text. */
  readonly sampleOffset: number;
  /** The TYPE lines' family names and types, in order. */
  readonly typeNames: readonly string[];
  readonly types: readonly MetricType[];
  /** Which format's vocabulary the types were read with: the two accept different ones. */
  readonly openMetrics: boolean;
  readonly name: string;
  /**
   * Frozen, and shared by every sample that repeats the chunk. Undefined when the chunk was read
   * for a filter that skipped the sample, whose labels were then never read.
   */
  readonly labels: Labels | undefined;
  /** The chunk that followed this one last time, in whichever payload: the next guess. */
  next: CachedChunk | undefined;
  /** The filter the kept flags below were decided for, or NOT_DECIDED. */
  keptBy: ReadonlySet<string> | undefined | typeof NOT_DECIDED;
  kept: boolean;
  readonly typeKept: boolean[];
}

export const NOT_DECIDED = Symbol('not decided');

/** What the parser read of a chunk, to make a cached one of. */
export interface ReadChunk {
  readonly lines: number;
  readonly sampleOffset: number;
  readonly typeNames: readonly string[];
  readonly types: readonly MetricType[];
  readonly openMetrics: boolean;
  readonly name: string;
  readonly labels: Labels | undefined;
}

/** Longer chunks are rare and would make the cache's memory depend on what a target sends. */
const MAX_CHUNK_CHARS = 4096;
const DEFAULT_MAX_CHUNKS = 100_000;

/**
 * Chunks of earlier payloads, shared across the targets that speak alike: exporters of one version
 * write the same comments and sample lines scrape after scrape and node after node, with new
 * values. This is Prometheus's scrape cache on the parser's side: a line's name and labels are
 * read once, and the label objects are shared instead of rebuilt per scrape.
 *
 * Chunks are chained in the order they were last seen, so the guess for the next one costs no
 * lookup; a chunk that is not the guess is looked up by its text, so a payload that differs (a
 * node with more cores, a new device) costs a lookup where it differs and follows the chain after.
 * Bounded: past `maxChunks` distinct chunks the cache starts over.
 */
export class LineCache {
  head: CachedChunk | undefined;
  private byText = new Map<string, CachedChunk>();

  constructor(private readonly maxChunks = DEFAULT_MAX_CHUNKS) {}

  get size(): number {
    return this.byText.size;
  }

  /** The cached chunk for `text` (which may be a slice of a payload: it is copied before being kept), found or made. */
  learn(text: string, read: ReadChunk): CachedChunk | undefined {
    if (text.length > MAX_CHUNK_CHARS) return undefined;
    const known = this.byText.get(text);
    // A chunk read for a filter that skipped its sample has no labels to give a filter that keeps it.
    const serves = known !== undefined && (known.types.length === 0 || known.openMetrics === read.openMetrics) && (known.labels !== undefined || read.labels === undefined);
    if (serves) return known;
    if (this.byText.size >= this.maxChunks) {
      this.byText = new Map();
      this.head = undefined;
    }
    const chunk: CachedChunk = {
      text: copyOf(text),
      lastChar: text.charCodeAt(text.length - 1),
      lines: read.lines,
      sampleOffset: read.sampleOffset,
      typeNames: read.typeNames.map(copyOf),
      types: [...read.types],
      openMetrics: read.openMetrics,
      name: copyOf(read.name),
      labels: read.labels === undefined ? undefined : copyOfLabels(read.labels),
      next: undefined,
      keptBy: NOT_DECIDED,
      kept: false,
      typeKept: [],
    };
    this.byText.set(chunk.text, chunk);
    return chunk;
  }
}

function copyOfLabels(labels: Labels): Labels {
  const copy: Record<string, string> = {};
  for (const name of Object.keys(labels)) {
    const value = copyOf(labels[name] as string);
    // A plain assignment of __proto__ would go to the prototype setter and drop the label.
    if (name === '__proto__') Object.defineProperty(copy, name, { value, enumerable: true });
    else copy[copyOf(name)] = value;
  }
  return Object.freeze(copy);
}

/**
 * A flat copy: V8 hands out slices of a long string as views that keep the whole payload alive.
 * Concatenation makes a rope, and slicing a rope flattens it into a fresh string first.
 */
function copyOf(s: string): string {
  return ` ${s}`.slice(1);
}
