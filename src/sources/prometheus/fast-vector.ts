/**
 * The result list of an instant-vector answer read straight from the text, without JSON.parse's
 * tree: at 10,000 nodes a refresh is about 25 MB of JSON in 200,000 samples, and parsing it whole
 * (an object, a label object, an array, a number and a string per sample) and collecting that
 * garbage was most of a refresh's CPU. Only the shape the four servers write is read here:
 *
 *   {"metric":{"name":"value",…},"value":[<number>,"<value>"]}, …
 *
 * in any member order. Anything else (a native histogram, another member, a label value that is
 * not a string) returns undefined, and the caller parses the answer the ordinary way, which is
 * the reference: test/prometheus/decode.test.ts checks both agree.
 */

/** decode.ts's InstantSample, by shape: decode.ts imports this file. */
type Labels = Readonly<Record<string, string>>;
interface InstantSample {
  readonly labels: Labels;
  readonly value: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Label names and values, one copy each: a refresh's 200,000 samples repeat the same few names,
 * jobs and metric names, and each node's instance in every query. Held until the next refresh, a
 * copy per sample was most of what the garbage collector had to move; with one, the samples hold
 * strings that live anyway. Bounded: emptied when it holds more than a large fleet's worth.
 */
const INTERNED = new Map<string, string>();
const MAX_INTERNED = 500_000;

function intern(text: string): string {
  const had = INTERNED.get(text);
  if (had !== undefined) return had;
  if (INTERNED.size >= MAX_INTERNED) INTERNED.clear();
  const own = ownCopy(text);
  INTERNED.set(own, own);
  return own;
}

/**
 * A string of its own: V8 makes a slice of 13 characters or more a view of the whole answer, and
 * a kept view would keep the answer's megabytes alive. Joined to a character and cut off again,
 * the text is copied once.
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}


/** Thrown inside the scanner at anything unforeseen; never escapes it. */
class Unforeseen extends Error {}

class Scanner {
  i: number;
  /** The next backslash at or after the last string's start; -1 for none left (searched once, not per string). */
  private slash = -2;

  constructor(
    private readonly s: string,
    start: number,
  ) {
    this.i = start;
  }

  /** Skips blanks. */
  ws(): void {
    const s = this.s;
    let i = this.i;
    for (let c = s.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = s.charCodeAt(++i));
    this.i = i;
  }

  /** The next non-blank character, consumed. */
  next(): number {
    this.ws();
    return this.s.charCodeAt(this.i++);
  }

  expect(c: number): void {
    if (this.next() !== c) throw new Unforeseen();
  }

  /** A JSON string; the plain case without escapes is a slice, one copy each when `shared` (see intern). */
  string(shared = true): string {
    this.expect(QUOTE);
    const s = this.s;
    const start = this.i;
    const end = s.indexOf('"', start);
    if (end === -1) throw new Unforeseen();
    if (this.slash !== -1 && this.slash < start) this.slash = s.indexOf('\\', start);
    if (this.slash === -1 || this.slash > end) {
      this.i = end + 1;
      return shared ? intern(s.slice(start, end)) : s.slice(start, end);
    }
    // Escapes: find the closing quote past them, and let JSON.parse decode the literal.
    let j = start;
    for (;;) {
      const c = s.charCodeAt(j);
      if (Number.isNaN(c)) throw new Unforeseen();
      if (c === BACKSLASH) j += 2;
      else if (c === QUOTE) break;
      else j++;
    }
    this.i = j + 1;
    return JSON.parse(s.slice(start - 1, j + 1)) as string;
  }

  labels(): Labels {
    this.expect(OPEN_BRACE);
    const labels: Record<string, string> = {};
    this.ws();
    if (this.s.charCodeAt(this.i) === CLOSE_BRACE) {
      this.i++;
      return labels;
    }
    for (;;) {
      const key = this.string();
      this.expect(COLON);
      this.ws();
      if (this.s.charCodeAt(this.i) !== QUOTE) throw new Unforeseen();
      labels[key] = this.string();
      const c = this.next();
      if (c === CLOSE_BRACE) return labels;
      if (c !== COMMA) throw new Unforeseen();
    }
  }

  /** A JSON number's characters, skipped: the timestamp, which nothing reads. */
  skipNumber(): void {
    this.ws();
    const s = this.s;
    const start = this.i;
    let j = start;
    for (let c = s.charCodeAt(j); (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2b || c === 0x65 || c === 0x45; c = s.charCodeAt(++j));
    if (j === start) throw new Unforeseen();
    this.i = j;
  }

  /** [<number>, "<value>"]: the value's text. */
  value(): string {
    this.expect(OPEN_BRACKET);
    this.skipNumber();
    this.expect(COMMA);
    this.ws();
    if (this.s.charCodeAt(this.i) !== QUOTE) throw new Unforeseen();
    const text = this.string(false);
    this.expect(CLOSE_BRACKET);
    return text;
  }
}

/**
 * The label sets of the same query's last answer, by position, each with the text it was read
 * from. A server answers a query's series in the same order refresh after refresh (sorted, or as
 * its index holds them), so sample k's `"metric":{…}` is most often the very text sample k had
 * last time: compared where it stands (no hashing, no copy), it gives back the same label object,
 * and nothing is allocated for it. A text that differs is read as usual and takes the place.
 */
export class LabelCache {
  readonly texts: string[] = [];
  readonly labels: Labels[] = [];
  /** Entries read anew in the last answer scanned: the tests' and the benchmark's measure. */
  misses = 0;
}

/**
 * The samples of the result list that starts at `start` (just past its `[`) and where the scan
 * ended (just past its `]`); undefined for anything but the plain shape. With `cache`, label sets
 * are looked up by position first (see LabelCache), and the cache is brought up to this answer.
 */
export function scanVectorResult(text: string, start: number, parseValue: (text: string) => number, cache?: LabelCache): { result: InstantSample[]; end: number } | undefined {
  const scan = new Scanner(text, start);
  const result: InstantSample[] = [];
  try {
    if (cache !== undefined) cache.misses = 0;
    let c = scan.next();
    if (c === CLOSE_BRACKET) {
      if (cache !== undefined) cache.texts.length = cache.labels.length = 0;
      return { result, end: scan.i };
    }
    scan.i--;
    for (;;) {
      scan.expect(OPEN_BRACE);
      let labels: Labels | undefined;
      let value: string | undefined;
      for (;;) {
        const key = scan.string();
        scan.expect(COLON);
        if (key === 'metric' && labels === undefined) labels = cache === undefined ? scan.labels() : cachedLabels(scan, text, cache, result.length);
        else if (key === 'value' && value === undefined) value = scan.value();
        else throw new Unforeseen();
        c = scan.next();
        if (c === CLOSE_BRACE) break;
        if (c !== COMMA) throw new Unforeseen();
      }
      if (value === undefined) throw new Unforeseen();
      result.push({ labels: labels ?? {}, value: parseValue(value) });
      c = scan.next();
      if (c === CLOSE_BRACKET) {
        if (cache !== undefined) cache.texts.length = cache.labels.length = result.length;
        return { result, end: scan.i };
      }
      if (c !== COMMA) throw new Unforeseen();
    }
  } catch (error) {
    if (error instanceof Unforeseen || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Sample k's labels: the cached set if its text stands at the scanner, else read and cached. */
function cachedLabels(scan: Scanner, text: string, cache: LabelCache, k: number): Labels {
  scan.ws();
  const at = scan.i;
  const known = cache.texts[k];
  if (known !== undefined && text.startsWith(known, at)) {
    scan.i = at + known.length;
    return cache.labels[k]!;
  }
  const labels = scan.labels();
  cache.texts[k] = ownCopy(text.slice(at, scan.i));
  cache.labels[k] = labels;
  cache.misses++;
  return labels;
}
