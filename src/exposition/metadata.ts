import { BLANK_AT_END, CHAR_CLASS, CR, Cursor, NAME_CHAR, NAME_START, QUOTE, SPACE, TAB } from './cursor.js';
import { scanQuoted } from './scan-labels.js';
import type { MetricType } from './types.js';

const UNDERSCORE = 95;
const U = 85;

const PROMETHEUS_TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
const OPENMETRICS_TYPES: readonly MetricType[] = [
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'unknown',
];

/**
 * Family names of the TYPE lines of earlier payloads, by position. Exporters of one version write
 * the same ones scrape after scrape and node after node: confirming a guess is one slice
 * comparison instead of reading the name, and the guessed string's hash is already computed, so
 * the types Map and the filter's Set take it at a fraction of the cost of a fresh string.
 */
const typeNameGuesses: string[] = [];
const MAX_TYPE_NAME_GUESSES = 4096;

/**
 * Comment lines: TYPE is recorded; HELP and UNIT are checked to start with a name and otherwise
 * skipped, text and all (nothing of them is kept); other comments are skipped.
 *
 * OpenMetrics comment lines are read as Prometheus (2.42) reads them: `# HELP`, `# TYPE`,
 * `# UNIT` or `# EOF`, one space between the tokens, nothing else, and a unit that ends the
 * metric name.
 */
export class MetadataReader extends Cursor {
  /** TYPE declarations of kept families in order, read into a Map only when someone asks. */
  readonly typeNames: string[] = [];
  readonly typeValues: MetricType[] = [];
  protected readonly openMetrics: boolean;
  /** Every sample name to keep, or undefined to keep all. */
  protected readonly kept: ReadonlySet<string> | undefined;
  protected sawEof = false;
  // Lines of one family are contiguous: the last name and its filter decision serve most sample
  // lines, and handing out one string per family spares consumers a hash per sample.
  protected lastName = '';
  protected lastKept = true;
  private typeLines = 0;
  /** The TYPE line just read, for the line cache; undefined after any other line. */
  protected declaredType: MetricType | undefined;
  protected declaredName = '';

  constructor(text: string, openMetrics: boolean, kept: ReadonlySet<string> | undefined) {
    super(text);
    this.openMetrics = openMetrics;
    this.kept = kept;
  }

  /** A line starting with `#`; leaves pos at the start of the next line. */
  protected comment(): void {
    if (this.openMetrics) return this.openMetricsComment();
    const afterHash = ++this.pos;
    this.skipBlanks();
    const p = this.pos;
    if (p === afterHash) return this.skipToNextLine();
    if (this.keywordAt(p, 'TYPE')) {
      this.pos = p + 5;
      this.skipBlanks();
      const nameStart = this.pos;
      this.typeDeclaration(nameStart, this.typeName());
    } else if (this.keywordAt(p, 'HELP')) {
      this.pos = p + 5;
      this.skipBlanks();
      const c = this.text.charCodeAt(this.pos);
      if (c !== QUOTE && !(c < 128 && (CHAR_CLASS[c] as number) & NAME_START)) this.unexpected(this.pos, 'invalid metric name');
      this.skipToNextLine();
    } else {
      this.skipToNextLine();
    }
  }

  /** An OpenMetrics comment line: `# HELP`, `# TYPE`, `# UNIT` or `# EOF`, as Prometheus reads them. */
  private openMetricsComment(): void {
    const text = this.text;
    const afterHash = this.pos + 1;
    if (text.charCodeAt(afterHash) !== SPACE) this.notSpace(afterHash, 'expected a blank after "#"');
    const p = afterHash + 1;
    this.noSecondBlank(p);
    const type = this.wordAt(p, 'TYPE');
    if (!type && !this.wordAt(p, 'HELP') && !this.wordAt(p, 'UNIT')) {
      if (!text.startsWith('EOF', p)) this.unexpected(p, 'expected HELP, TYPE, UNIT or EOF after "#"');
      this.pos = p + 3;
      this.endLine('unexpected text after # EOF');
      this.sawEof = true;
      return;
    }
    if (text.charCodeAt(p + 4) !== SPACE) this.notSpace(p + 4, `expected a blank after ${text.slice(p, p + 4)}`);
    this.pos = p + 5;
    this.noSecondBlank(this.pos);
    const nameStart = this.pos;
    const unit = !type && text.charCodeAt(p) === U;
    // A HELP line's name is checked, not kept: no string is made of it.
    const name = type ? this.typeName() : unit ? this.metadataName() : this.skipMetadataName();
    // Where the name ends: a blank, as both read it.
    if (text.charCodeAt(this.pos) !== SPACE) this.notSpace(this.pos, 'invalid metric name');
    this.pos++;
    if (type) {
      this.noSecondBlank(this.pos);
      return this.typeDeclaration(nameStart, name);
    }
    if (unit) this.unit(name);
    this.skipToNextLine();
  }

  /** The four letters of a keyword at `p`, whatever follows them. */
  private wordAt(p: number, word: string): boolean {
    const text = this.text;
    return (
      text.charCodeAt(p) === word.charCodeAt(0) &&
      text.charCodeAt(p + 1) === word.charCodeAt(1) &&
      text.charCodeAt(p + 2) === word.charCodeAt(2) &&
      text.charCodeAt(p + 3) === word.charCodeAt(3)
    );
  }

  /** The text of a UNIT line from pos to its end: empty, or the end of the metric name after a `_`. */
  private unit(name: string): void {
    const text = this.text;
    const start = this.pos;
    const lf = text.indexOf('\n', start);
    let end = lf < 0 ? this.len : lf;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    const n = end - start;
    if (n === 0) return;
    const suffix = name.length - n;
    if (suffix < 1 || name.charCodeAt(suffix - 1) !== UNDERSCORE || name.slice(suffix) !== text.slice(start, end)) {
      this.fail(start, 'unit is not the end of the metric name');
    }
  }

  /** A four-letter keyword and a blank after it. */
  private keywordAt(p: number, word: string): boolean {
    const c = this.text.charCodeAt(p + 4);
    return (c === SPACE || c === TAB) && this.wordAt(p, word);
  }

  /** The family name of a TYPE line, guessed from earlier payloads when possible; leaves pos after it. */
  private typeName(): string {
    const text = this.text;
    const start = this.pos;
    const index = this.typeLines++;
    const guess = typeNameGuesses[index];
    if (guess !== undefined) {
      const end = start + guess.length;
      const c = text.charCodeAt(end);
      if ((c === SPACE || c === TAB) && text.slice(start, end) === guess) {
        this.pos = end;
        return guess;
      }
    }
    const name = this.metadataName();
    // Only bare names are guesses: a guess must never vouch for a quoted name's characters.
    if (index >= MAX_TYPE_NAME_GUESSES || text.charCodeAt(start) === QUOTE) return name;
    // A slice would keep this whole payload alive from the module-level table; a copy does not.
    const copy = ` ${name}`.slice(1);
    typeNameGuesses[index] = copy;
    return copy;
  }

  /** As metadataName, but a bare name is only read, not made into a string ('' is returned). */
  private skipMetadataName(): string {
    const text = this.text;
    let c = text.charCodeAt(this.pos);
    if (c === QUOTE) return this.metadataName();
    if (!(c < 128 && (CHAR_CLASS[c] as number) & NAME_START)) this.unexpected(this.pos, 'invalid metric name');
    let p = this.pos + 1;
    for (c = text.charCodeAt(p); c < 128 && (CHAR_CLASS[c] as number) & NAME_CHAR; c = text.charCodeAt(++p));
    this.pos = p;
    if (c !== SPACE && c !== TAB) this.unexpected(p, 'invalid metric name');
    return '';
  }

  /** A bare or quoted metric name followed by a blank; leaves pos after it. */
  private metadataName(): string {
    const text = this.text;
    const start = this.pos;
    let c = text.charCodeAt(start);
    let name: string;
    if (c === QUOTE) {
      name = scanQuoted(this, 'metric name');
      if (name.length === 0) this.fail(start, 'invalid metric name');
    } else {
      if (!(c < 128 && (CHAR_CLASS[c] as number) & NAME_START)) this.unexpected(start, 'invalid metric name');
      let p = start + 1;
      for (c = text.charCodeAt(p); c < 128 && (CHAR_CLASS[c] as number) & NAME_CHAR; c = text.charCodeAt(++p));
      this.pos = p;
      name = text.slice(start, p);
    }
    c = text.charCodeAt(this.pos);
    if (c !== SPACE && c !== TAB) this.unexpected(this.pos, 'invalid metric name');
    return name;
  }

  /** The rest of a TYPE line from the blank after its name (OpenMetrics: from its type). */
  private typeDeclaration(nameStart: number, name: string): void {
    const text = this.text;
    if (!this.openMetrics) this.skipBlanks();
    const start = this.pos;
    let p = start;
    for (let c = text.charCodeAt(p); c > SPACE && c !== 127; c = text.charCodeAt(++p));
    const type = typeAt(text, start, p - start, this.openMetrics ? OPENMETRICS_TYPES : PROMETHEUS_TYPES);
    if (type === undefined) this.badToken(start, p === start ? 'expected a metric type' : 'invalid metric type');
    const kept = this.kept === undefined || this.kept.has(name);
    this.declare(name, type, kept);
    // A quoted name may hold characters a bare sample name cannot, so only a bare one may serve as
    // the guess for the next sample line's name.
    if (text.charCodeAt(nameStart) !== QUOTE) {
      this.lastName = name;
      this.lastKept = kept;
    }
    this.pos = p;
    if (this.openMetrics) {
      const c = text.charCodeAt(p);
      if (c === SPACE || c === TAB) this.fail(p, BLANK_AT_END);
    } else {
      this.skipBlanks();
    }
    this.endLine('unexpected text after metric type');
    this.declaredType = type;
    this.declaredName = name;
  }

  /** A TYPE line's effect, read or repeated from the line cache. */
  protected declare(name: string, type: MetricType, kept: boolean): void {
    // A family the filter drops is never read: its type would be an entry for nothing.
    if (kept) {
      this.typeNames.push(name);
      this.typeValues.push(type);
    }
  }
}

/** The type spelled by the `n` characters at `start`, compared in place rather than sliced out. */
function typeAt(text: string, start: number, n: number, types: readonly MetricType[]): MetricType | undefined {
  for (const candidate of types) {
    if (candidate.length !== n) continue;
    let i = 0;
    while (i < n && text.charCodeAt(start + i) === candidate.charCodeAt(i)) i++;
    if (i === n) return candidate;
  }
  return undefined;
}
