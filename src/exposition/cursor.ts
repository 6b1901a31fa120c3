import { ExpositionError } from './types.js';

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const HASH = 35;
export const COMMA = 44;
export const EQUALS = 61;
export const BACKSLASH = 92;
export const BRACE_OPEN = 123;
export const BRACE_CLOSE = 125;
const DEL = 127;

/**
 * Where an ASCII code may stand in a bare metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`) or label name
 * (`[a-zA-Z_][a-zA-Z0-9_]*`): one table lookup beats chained range tests in the hot loops.
 */
export const NAME_START = 1;
export const NAME_CHAR = 2;
export const LABEL_START = 4;
export const LABEL_CHAR = 8;
export const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= 48 && c <= 57;
  let bits = 0;
  if (letter || c === 58) bits |= NAME_START | NAME_CHAR;
  if (digit) bits |= NAME_CHAR | LABEL_CHAR;
  if (letter) bits |= LABEL_START | LABEL_CHAR;
  CHAR_CLASS[c] = bits;
}

/** A control character other than tab; LF and CR count, so callers test for line ends first. */
export function isControl(c: number): boolean {
  return (c < SPACE && c !== TAB) || c === DEL;
}

const MAX_QUOTED_TOKEN = 40;

/** OpenMetrics, as Prometheus reads it, has no blank before a line end. */
export const BLANK_AT_END = 'blank at end of line';

/** Position in the payload plus the line bookkeeping that errors need. */
export class Cursor {
  pos = 0;
  line = 1;
  lineStart = 0;
  readonly len: number;

  constructor(readonly text: string) {
    this.len = text.length;
  }

  fail(at: number, reason: string): never {
    throw new ExpositionError(this.line, at - this.lineStart + 1, reason);
  }

  /** Fails at `at` with the most telling reason: end of input, end of line, binary, else `reason`. */
  unexpected(at: number, reason: string): never {
    if (at >= this.len) this.fail(at, 'unexpected end of input');
    const c = this.text.charCodeAt(at);
    if (c === LF || (c === CR && this.isLineEnd(at))) this.fail(at, 'unexpected end of line');
    if (isControl(c)) this.fail(at, 'binary data');
    this.fail(at, reason);
  }

  /** The token text for an error message, cut short so a huge token cannot make a huge message. */
  private excerpt(start: number, end: number): string {
    const cut = end - start > MAX_QUOTED_TOKEN;
    return this.text.slice(start, cut ? start + MAX_QUOTED_TOKEN : end) + (cut ? '…' : '');
  }

  skipBlanks(): void {
    const text = this.text;
    let p = this.pos;
    let c = text.charCodeAt(p);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++p);
    this.pos = p;
  }

  /** LF, or CR before LF or at the end of input: a CR LF payload is read like an LF one. */
  isLineEnd(at: number): boolean {
    const c = this.text.charCodeAt(at);
    if (c === LF || at >= this.len) return true;
    return c === CR && (at + 1 === this.len || this.text.charCodeAt(at + 1) === LF);
  }

  /** Consumes the line end at pos (or accepts the end of input); anything else is an error. */
  endLine(reason: string): void {
    let p = this.pos;
    if (p >= this.len) return;
    let c = this.text.charCodeAt(p);
    if (c === CR && this.isLineEnd(p)) c = this.text.charCodeAt(++p);
    if (c === LF) {
      this.pos = p + 1;
      this.nextLine();
    } else if (p < this.len) {
      this.unexpected(p, reason);
    } else {
      this.pos = p;
    }
  }

  /** Fails at `at`, where OpenMetrics wants a space and something else stands: `reason` unless a tab or a line end. */
  notSpace(at: number, reason: string): never {
    if (this.text.charCodeAt(at) === TAB) this.fail(at, 'tab where OpenMetrics has a space');
    this.unexpected(at, reason);
  }

  /** Fails when a blank stands at `at`, just after a space: OpenMetrics has one between tokens. */
  noSecondBlank(at: number): void {
    const c = this.text.charCodeAt(at);
    if (c === SPACE || c === TAB) this.fail(at, 'more than one blank');
  }

  /** Call with pos just past an LF. */
  nextLine(): void {
    this.line++;
    this.lineStart = this.pos;
  }

  /** Jumps past the next LF without reading what comes before it. */
  skipToNextLine(): void {
    const lf = this.text.indexOf('\n', this.pos);
    if (lf < 0) {
      this.pos = this.len;
    } else {
      this.pos = lf + 1;
      this.nextLine();
    }
  }

  /**
   * Fails on the token at `start` (up to the next blank or line end) with `reason` and the token
   * quoted, or with the reason for what stands there instead of a token.
   */
  badToken(start: number, reason: string): never {
    const text = this.text;
    let end = start;
    for (let c = text.charCodeAt(end); c !== SPACE && c !== TAB && !this.isLineEnd(end); c = text.charCodeAt(++end)) {
      if (isControl(c)) this.fail(end, 'binary data');
    }
    if (end === start) this.unexpected(start, reason);
    this.fail(start, `${reason} "${this.excerpt(start, end)}"`);
  }
}
