import { BACKSLASH, BLANK_AT_END, BRACE_CLOSE, BRACE_OPEN, CHAR_CLASS, COMMA, CR, HASH, LF, NAME_CHAR, NAME_START, QUOTE, SPACE, TAB } from './cursor.js';
import type { CachedChunk, LineCache } from './line-cache.js';
import { MetadataReader } from './metadata.js';
import { parseFloatAt, parseIntAt, tokenEnd } from './parse-number.js';
import { scanLabelSet, scanQuoted } from './scan-labels.js';
import {
  ExpositionError,
  type ExpositionFormat,
  type Labels,
  type MetricType,
  type ParseResult,
  type Sample,
} from './types.js';

export interface ParseOptions {
  /** Defaults to 'prometheus'; use formatFromContentType() on the response's Content-Type. */
  readonly format?: ExpositionFormat;
  /**
   * Metric family names to keep. Sample lines of other families are skipped without building
   * objects for them. A family name matches its samples' suffixed names too
   * (`http_request_duration_seconds` keeps `..._bucket`, `..._sum`, `..._count`, `..._created`;
   * `foo` keeps `foo_total`). Undefined keeps everything.
   */
  readonly families?: ReadonlySet<string>;
  /**
   * Lines of earlier payloads: a line that repeats one is confirmed with one comparison instead of
   * being read again, and its samples share the cached (frozen) labels. Share one across targets
   * of one kind.
   */
  readonly cache?: LineCache;
  /** Upper bound on samples kept; past it parsing fails with an ExpositionError. */
  readonly maxSamples?: number;
}

const FAMILY_SUFFIXES = ['_total', '_bucket', '_sum', '_count', '_created', '_info', '_gsum', '_gcount'];

/** OpenMetrics when the Content-Type says so; everything else is read as Prometheus text 0.0.4. */
export function formatFromContentType(contentType: string): ExpositionFormat {
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/openmetrics-text' ? 'openmetrics' : 'prometheus';
}

/**
 * Parses a Prometheus text (0.0.4) or OpenMetrics 1.0 payload. Throws only ExpositionError.
 *
 * Leniencies beyond the specs, all harmless to read: in Prometheus text, blanks between any
 * tokens, blank lines, free comments and a signed timestamp; in both, CR LF line ends, any escape
 * in a quoted string (kept as written, as Prometheus keeps it) and the quoted names of Prometheus 3.
 * OpenMetrics is otherwise read as strictly as Prometheus 2.42 reads it, so a payload Prometheus
 * would not scrape is an error here too (test/exposition/openmetrics-suite.test.ts): one space
 * between tokens, no blank line, no comment but HELP, TYPE, UNIT and EOF, nothing after # EOF, no
 * comma before a label set's `}`, exemplars only on `_total` and `_bucket` samples.
 * Lines of families that `families` skips are only checked to end in a number, in both formats.
 */
export function parseExposition(text: string, options: ParseOptions = {}): ParseResult {
  let parser: Parser | undefined;
  try {
    parser = new Parser(text, options);
    parser.run();
    return new Parsed(parser);
  } catch (e) {
    if (e instanceof ExpositionError) throw e;
    // Whatever else escapes (a string too long for V8, a non-string from an untyped caller)
    // still reaches the caller as a parse failure with a position.
    const line = parser?.line ?? 1;
    const column = parser === undefined ? 1 : parser.pos - parser.lineStart + 1;
    throw new ExpositionError(line, column, `cannot parse: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Every sample name the families keep, so a new name costs one Set lookup instead of suffix
 * juggling. Cached per families Set, with a copy of its members to notice a Set changed since.
 */
const keptNamesCache = new WeakMap<ReadonlySet<string>, { families: Set<string>; names: Set<string> }>();
function keptNames(families: ReadonlySet<string>): ReadonlySet<string> {
  const cached = keptNamesCache.get(families);
  if (cached !== undefined && sameMembers(cached.families, families)) return cached.names;
  const names = new Set<string>();
  for (const family of families) {
    names.add(family);
    for (const suffix of FAMILY_SUFFIXES) names.add(family + suffix);
  }
  keptNamesCache.set(families, { families: new Set(families), names });
  return names;
}

function sameMembers(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const member of b) if (!a.has(member)) return false;
  return true;
}

class Parsed implements ParseResult {
  readonly format: ExpositionFormat;
  readonly samples: Sample[];
  readonly sampleLines: number;
  private typeNames: string[];
  private typeValues: MetricType[];
  private typeMap: Map<string, MetricType> | undefined;

  constructor(parser: Parser) {
    this.format = parser.format;
    this.samples = parser.samples;
    this.sampleLines = parser.sampleLines;
    this.typeNames = parser.typeNames;
    this.typeValues = parser.typeValues;
  }

  /** Built on first use: only app targets read types, and a Map of every family is most of a parse's allocation. */
  get types(): ReadonlyMap<string, MetricType> {
    if (this.typeMap === undefined) {
      this.typeMap = new Map();
      for (let i = 0; i < this.typeNames.length; i++) this.typeMap.set(this.typeNames[i] as string, this.typeValues[i] as MetricType);
      this.typeNames = [];
      this.typeValues = [];
    }
    return this.typeMap;
  }
}

/**
 * Just past the `}` that closes the label set opening at `open`, or -1 when none closes it on this
 * line. Only bounds a chunk's text: what the text holds is checked when it is read.
 */
function labelSetEnd(text: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) return -1;
    if (quoted) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) quoted = false;
    } else if (c === QUOTE) {
      quoted = true;
    } else if (c === BRACE_CLOSE) {
      return i + 1;
    }
  }
  return -1;
}

/** Sample lines, on top of the comment handling. */
class Parser extends MetadataReader {
  readonly format: ExpositionFormat;
  readonly samples: Sample[] = [];
  sampleLines = 0;
  private readonly maxSamples: number;
  private readonly labelNames: string[] = [];
  private readonly cache: LineCache | undefined;
  /** The sample line just read whole, for the line cache: where its value begins, its name and labels. */
  private seriesEnd = -1;
  private seriesName = '';
  private seriesLabels: Labels = {};
  /** Where the name ends of the sample line just skipped by the filter, for the line cache. */
  private skippedAt = -1;
  /** The chunk being read for the line cache: from just after a sample line up to the next one's value. */
  private chunkStart = 0;
  private chunkClean = true;
  private chunkLines = 0;
  private readonly chunkTypeNames: string[] = [];
  private readonly chunkTypes: MetricType[] = [];

  constructor(text: string, options: ParseOptions) {
    const format = options.format ?? 'prometheus';
    super(text, format === 'openmetrics', options.families === undefined ? undefined : keptNames(options.families));
    this.format = format;
    this.maxSamples = options.maxSamples ?? Infinity;
    this.cache = options.cache;
  }

  run(): void {
    const text = this.text;
    const cache = this.cache;
    // The cached chunk expected next, and the one read last (whose `next` the one read now becomes).
    let guess = cache?.head;
    cache?.beginPayload();
    let previous: CachedChunk | undefined;
    while (this.pos < this.len && !this.sawEof) {
      const start = this.pos;
      if (guess !== undefined && start === this.chunkStart) {
        const end = start + guess.text.length;
        if (text.charCodeAt(end - 1) === guess.lastChar && text.slice(start, end) === guess.text) {
          // A blank before the value, as the parser would check right after the text.
          const after = text.charCodeAt(end);
          // Only in the format it was read in: OpenMetrics refuses some of what Prometheus text allows.
          if ((after === SPACE || after === TAB) && guess.openMetrics === this.openMetrics && this.repeat(guess, start, end)) {
            // A guess comes from the cache.
            cache!.hits++;
            if (guess.generation !== cache!.generation) cache!.renew(guess);
            previous = guess;
            guess = guess.next;
            continue;
          }
        }
      }
      const atLineStart = start === this.lineStart;
      const sampleLines = this.sampleLines;
      this.seriesEnd = -1;
      this.skippedAt = -1;
      this.declaredType = undefined;
      this.readLine(text.charCodeAt(start));
      if (cache === undefined) continue;
      if (this.sampleLines === sampleLines) {
        this.extendChunk(start, atLineStart);
        continue;
      }
      const learned = atLineStart && this.chunkClean ? this.learn(cache, start) : undefined;
      this.startChunk();
      if (learned === undefined) continue;
      if (previous === undefined) cache.head = learned;
      else previous.next = learned;
      previous = learned;
      guess = learned.next;
    }
    this.finish();
  }

  /** A line that is no sample line, read as part of the chunk before the next sample line. */
  private extendChunk(start: number, atLineStart: boolean): void {
    const text = this.text;
    // Only whole comment or empty lines ending in a bare LF: a chunk is confirmed by its text alone.
    const clean =
      atLineStart &&
      (text.charCodeAt(start) === HASH || text.charCodeAt(start) === LF) &&
      text.charCodeAt(this.pos - 1) === LF &&
      (this.pos - 1 === start || text.charCodeAt(this.pos - 2) !== CR);
    if (!clean) {
      this.chunkClean = false;
      return;
    }
    this.chunkLines++;
    if (this.declaredType !== undefined) {
      this.chunkTypeNames.push(this.declaredName);
      this.chunkTypes.push(this.declaredType);
    }
  }

  private startChunk(): void {
    this.chunkStart = this.pos;
    this.chunkClean = true;
    this.chunkLines = 0;
    // Setting an array's length is a call into the runtime: most chunks declare no type.
    if (this.chunkTypes.length !== 0) {
      this.chunkTypeNames.length = 0;
      this.chunkTypes.length = 0;
    }
  }

  /**
   * What a chunk read from the cache does: its TYPEs declared, its line counted, and its sample's
   * value and timestamp read, or the line skipped. False, having done nothing, when the filter keeps
   * a sample the chunk only skipped and so holds no labels for.
   */
  private repeat(chunk: CachedChunk, start: number, end: number): boolean {
    if (chunk.keptBy !== this.kept) {
      chunk.kept = this.keep(chunk.name);
      for (let i = 0; i < chunk.typeNames.length; i++) chunk.typeKept[i] = this.keep(chunk.typeNames[i] as string);
      chunk.keptBy = this.kept;
    }
    if (chunk.kept && chunk.labels === undefined) return false;
    for (let i = 0; i < chunk.types.length; i++) {
      this.declare(chunk.typeNames[i] as string, chunk.types[i] as MetricType, chunk.typeKept[i] === true);
    }
    this.line += chunk.lines;
    this.lineStart = start + chunk.sampleOffset;
    this.sampleLines++;
    this.pos = end;
    // Skipping from the end of the labels, past the name, finds the same last token: a blank follows them.
    if (chunk.kept) this.sampleRest(this.lineStart, chunk.name, chunk.labels as Labels);
    else this.skipSample();
    this.startChunk();
    return true;
  }

  /**
   * The cached chunk for the chunk that ends in the sample line just read from `start`, up to its
   * value. When the filter skipped that line, its labels were not read: the chunk then holds none.
   */
  private learn(cache: LineCache, start: number): CachedChunk | undefined {
    const text = this.text;
    let end = this.seriesEnd;
    const skipped = end < 0;
    if (skipped) {
      if (this.skippedAt < 0) return undefined;
      end = text.charCodeAt(this.skippedAt) === BRACE_OPEN ? labelSetEnd(text, this.skippedAt) : this.skippedAt;
      if (end < 0) return undefined;
    }
    return cache.learn(text.slice(this.chunkStart, end), {
      lines: this.chunkLines,
      sampleOffset: start - this.chunkStart,
      typeNames: this.chunkTypeNames,
      types: this.chunkTypes,
      openMetrics: this.openMetrics,
      name: skipped ? this.lastName : this.seriesName,
      labels: skipped ? undefined : this.seriesLabels,
    });
  }

  private readLine(c: number): void {
      if (c === HASH) {
        this.comment();
      } else if (c === LF) {
        if (this.openMetrics) this.fail(this.pos, 'blank line');
        this.pos++;
        this.nextLine();
      } else if (c === SPACE || c === TAB) {
        if (this.openMetrics) this.fail(this.pos, 'blank at start of line');
        this.skipBlanks();
      } else if (c === CR) {
        if (this.openMetrics && this.isLineEnd(this.pos)) this.fail(this.pos, 'blank line');
        this.endLine('binary data');
      } else if (c === BRACE_OPEN) {
        this.bracedSample();
      } else {
        this.sample(c);
      }
  }

  private finish(): void {
    if (this.sawEof) {
      // Not even a blank line: Prometheus takes nothing after it.
      if (this.pos < this.len) this.fail(this.pos, 'content after # EOF');
    } else if (this.openMetrics) {
      this.fail(this.pos, 'missing # EOF');
    }
  }

  /** A line starting with a metric name (not in braces). */
  private sample(first: number): void {
    const text = this.text;
    const start = this.pos;
    this.sampleLines++;
    let name = this.lastName;
    let p = start + name.length;
    let c = text.charCodeAt(p);
    // Most lines repeat the previous name: one slice comparison (whose cost hardly depends on the
    // length) confirms it without reading the name character by character. A charCodeAt loop
    // would spare the slice's allocation, but parsed at 0.8x the speed (npm run bench -- parser).
    if (!((c === BRACE_OPEN || c === SPACE || c === TAB) && text.slice(start, p) === name)) {
      if (!(first < 128 && (CHAR_CLASS[first] as number) & NAME_START)) this.unexpected(start, 'invalid metric name');
      p = start + 1;
      c = text.charCodeAt(p);
      while (c < 128 && (CHAR_CLASS[c] as number) & NAME_CHAR) c = text.charCodeAt(++p);
      if (c !== BRACE_OPEN && c !== SPACE && c !== TAB) this.unexpected(p, 'invalid metric name');
      name = text.slice(start, p);
      this.lastName = name;
      this.lastKept = this.kept === undefined || this.kept.has(name);
    }
    this.pos = p;
    if (!this.lastKept) {
      this.skippedAt = p;
      return this.skipSample();
    }
    const labels: Record<string, string> = {};
    // In OpenMetrics the label set follows the name at once: after a blank comes the value.
    if (c !== BRACE_OPEN && !this.openMetrics) {
      this.skipBlanks();
      // Blanks before the value are sampleRest's to check: step back unless a label set follows.
      if (text.charCodeAt(this.pos) !== BRACE_OPEN) this.pos = p;
    }
    if (text.charCodeAt(this.pos) === BRACE_OPEN) {
      this.pos++;
      scanLabelSet(this, labels, 'set', this.labelNames, this.openMetrics);
    }
    this.readSeries(name, labels);
    this.sampleRest(start, name, labels);
  }

  /** A line starting with `{`: the metric name is a quoted string inside the braces. */
  private bracedSample(): void {
    const start = this.pos;
    this.sampleLines++;
    this.pos++;
    this.blanksInSet();
    const labels: Record<string, string> = {};
    let name: string | undefined;
    if (this.text.charCodeAt(this.pos) === QUOTE) {
      // The usual layout puts the name first: decide the filter before reading any label.
      const quoteAt = this.pos;
      const first = scanQuoted(this, 'metric name');
      this.blanksInSet();
      const c = this.text.charCodeAt(this.pos);
      if (c === COMMA || c === BRACE_CLOSE) {
        if (first.length === 0) this.fail(quoteAt, 'invalid metric name');
        name = first;
        if (!this.keep(name)) return this.skipSample();
        this.pos++;
        if (c === COMMA) {
          if (this.openMetrics && this.text.charCodeAt(this.pos) === BRACE_CLOSE) this.fail(this.pos, 'expected a label name after ","');
          scanLabelSet(this, labels, 'set', this.labelNames, this.openMetrics);
        }
      } else {
        this.pos = quoteAt;
      }
    }
    if (name === undefined) {
      name = scanLabelSet(this, labels, 'free', this.labelNames, this.openMetrics);
      if (name === undefined) this.fail(start, 'missing metric name');
      if (!this.keep(name)) return this.skipSample();
    }
    this.readSeries(name, labels);
    this.sampleRest(start, name, labels);
  }

  /** Blanks inside a label set: skipped, or in OpenMetrics an error. */
  private blanksInSet(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c !== SPACE && c !== TAB) return;
    if (this.openMetrics) this.fail(this.pos, 'blank in an OpenMetrics label set');
    this.skipBlanks();
  }

  /**
   * A sample line of a family that is not kept: its name was checked; the rest is jumped over with
   * indexOf, which is what makes a filtered parse cheap. The line must still end in a number (the
   * value, or the timestamp after it), so a line of prose that happens to begin with a word fails.
   */
  private skipSample(): void {
    const text = this.text;
    const from = this.pos;
    const lf = text.indexOf('\n', from);
    let e = lf < 0 ? this.len : lf;
    let c = text.charCodeAt(e - 1);
    if (c === CR) c = text.charCodeAt(--e - 1);
    while (e > from && (c === SPACE || c === TAB)) c = text.charCodeAt(--e - 1);
    let s = e;
    while (s > from && c !== SPACE && c !== TAB && c !== BRACE_CLOSE && c !== QUOTE) c = text.charCodeAt(--s - 1);
    if (s === e || s === from || typeof parseFloatAt(text, s) !== 'number' || tokenEnd !== e) {
      if (s === e || s === from) this.unexpected(e, 'expected a number');
      this.badToken(s, 'expected a number, got');
    }
    this.skipToNextLine();
  }

  /** Marks where the line's value begins, for the line cache. */
  private readSeries(name: string, labels: Labels): void {
    this.seriesEnd = this.pos;
    this.seriesName = name;
    this.seriesLabels = labels;
  }

  private keep(name: string): boolean {
    return this.kept === undefined || this.kept.has(name);
  }

  /** From just after the name or label set: value and optional timestamp. */
  private sampleRest(sampleStart: number, name: string, labels: Labels): void {
    if (this.openMetrics) return this.openMetricsRest(sampleStart, name, labels);
    const text = this.text;
    let p = this.pos;
    let c = text.charCodeAt(p);
    if (c !== SPACE && c !== TAB) this.unexpected(p, `unexpected character "${text[p] ?? ''}" before value`);
    do c = text.charCodeAt(++p);
    while (c === SPACE || c === TAB);
    const value = parseFloatAt(text, p);
    if (typeof value !== 'number') this.badToken(p, value === null ? 'number out of range:' : 'expected a number, got');
    p = tokenEnd;
    c = text.charCodeAt(p);
    let timestampMs: number | undefined;
    if (c === SPACE || c === TAB) {
      do c = text.charCodeAt(++p);
      while (c === SPACE || c === TAB);
      if (c !== LF && c !== CR && p < this.len) {
        timestampMs = this.timestamp(p);
        p = this.pos;
        c = text.charCodeAt(p);
      }
    }
    this.endSample(sampleStart, p, c, { name, labels, value, timestampMs });
  }

  /**
   * sampleRest in OpenMetrics, as Prometheus reads it: one space before the value, before the
   * timestamp and around the `#` of an exemplar; none at the end of the line.
   */
  private openMetricsRest(sampleStart: number, name: string, labels: Labels): void {
    const text = this.text;
    let p = this.pos;
    let c = text.charCodeAt(p);
    if (c !== SPACE) this.notSpace(p, `unexpected character "${text[p] ?? ''}" before value`);
    this.noSecondBlank(++p);
    const value = parseFloatAt(text, p);
    if (typeof value !== 'number') this.badToken(p, value === null ? 'number out of range:' : 'expected a number, got');
    p = tokenEnd;
    c = text.charCodeAt(p);
    let timestampMs: number | undefined;
    if (c === SPACE) {
      p = this.afterSpace(p);
      c = text.charCodeAt(p);
      if (c !== HASH) {
        timestampMs = this.timestamp(p);
        p = this.pos;
        c = text.charCodeAt(p);
        if (c === SPACE && text.charCodeAt(p + 1) === HASH) c = text.charCodeAt(++p);
      }
      if (c === HASH) {
        this.pos = p;
        this.exemplar(name);
        p = this.pos;
        c = text.charCodeAt(p);
      }
    }
    this.endSample(sampleStart, p, c, { name, labels, value, timestampMs });
  }

  /** The sample's line ends at `p` (on `c`); the sample is kept, within the cap. */
  private endSample(sampleStart: number, p: number, c: number, sample: Sample): void {
    if (this.samples.length >= this.maxSamples) this.fail(sampleStart, `more than ${this.maxSamples} samples`);
    if (c === LF) {
      this.pos = p + 1;
      this.nextLine();
    } else if (this.openMetrics) {
      this.endOpenMetricsLine(p, 'unexpected text after sample');
    } else {
      this.pos = p;
      this.endLine('unexpected text after sample');
    }
    this.samples.push(sample);
  }

  /** Past the space at `p`, at the token that must follow it (OpenMetrics). */
  private afterSpace(p: number): number {
    const next = p + 1;
    this.noSecondBlank(next);
    if (this.isLineEnd(next)) this.fail(p, BLANK_AT_END);
    return next;
  }

  /** The line end at `p` (OpenMetrics): a blank there is the error, rather than any text. */
  private endOpenMetricsLine(p: number, reason: string): void {
    const c = this.text.charCodeAt(p);
    if (c === TAB) this.notSpace(p, reason);
    if (c === SPACE) this.afterSpace(p);
    this.pos = p;
    this.endLine(reason);
  }

  /** Milliseconds: Prometheus text writes integer ms, OpenMetrics float seconds. Leaves pos after it (in Prometheus text, after the blanks after it). */
  private timestamp(start: number): number {
    const parsed = this.openMetrics ? parseFloatAt(this.text, start) : parseIntAt(this.text, start);
    if (typeof parsed !== 'number' || !Number.isFinite(parsed)) {
      this.badToken(start, parsed === null ? 'timestamp out of range:' : 'invalid timestamp');
    }
    this.pos = tokenEnd;
    if (!this.openMetrics) this.skipBlanks();
    // Rounded, not truncated as Prometheus does, so 1.001 s is 1001 ms despite binary floats.
    return this.openMetrics ? Math.round(parsed * 1000) : parsed;
  }

  /**
   * ` # {labels} value [timestamp]` after an OpenMetrics sample of `name`, pos on the `#`: checked,
   * then dropped. Leaves pos after the value or timestamp.
   */
  private exemplar(name: string): void {
    const text = this.text;
    // Prometheus 2.42 refuses exemplars on other samples (2.43 and later take them on any).
    if (!name.endsWith('_total') && !name.endsWith('_bucket')) this.fail(this.pos, 'exemplar on a sample whose name ends in neither _total nor _bucket');
    let p = this.pos + 1;
    if (text.charCodeAt(p) !== SPACE) this.notSpace(p, 'expected a blank after "#"');
    this.noSecondBlank(++p);
    if (text.charCodeAt(p) !== BRACE_OPEN) this.unexpected(p, 'expected "{" to open an exemplar');
    this.pos = p + 1;
    scanLabelSet(this, {}, 'none', [], true);
    p = this.pos;
    if (text.charCodeAt(p) !== SPACE) this.notSpace(p, 'expected a blank before the exemplar value');
    this.noSecondBlank(++p);
    const value = parseFloatAt(text, p);
    if (typeof value !== 'number') this.badToken(p, value === null ? 'number out of range:' : 'expected a number, got');
    p = tokenEnd;
    this.pos = p;
    if (text.charCodeAt(p) === SPACE) this.timestamp(this.afterSpace(p));
  }
}
