/**
 * Number tokens of the exposition formats, read in place: a token runs from `start` to the next
 * blank, line end or end of input, and is parsed in the same pass that finds its end.
 *
 * Both functions return the value, `undefined` when the token is not a number Prometheus accepts,
 * or `null` when it is well-formed but out of range (Go's ParseFloat/ParseInt report ErrRange and
 * Prometheus rejects the line). After a number is returned, `tokenEnd` is the offset past it.
 */

/** A second return value without allocating a pair per number. */
export let tokenEnd = 0;

// Every power of ten up to 1e22 is an exact double, so one multiplication or division by it is
// correctly rounded when the mantissa is exact too (Clinger's fast path).
const POW10 = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];
const MAX_EXACT_POW = 22;
// 15 decimal digits always fit below 2^53, so such a mantissa is accumulated without rounding.
const MAX_EXACT_DIGITS = 15;
// Longer exponents go to Number(), which handles them (and overflow) itself.
const MAX_FAST_EXPONENT_DIGITS = 4;

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const UPPER_E = 69;
const LOWER_E = 101;

function endsToken(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === SPACE || c === LF || c === TAB || c === CR || i >= text.length;
}

/**
 * Go's strconv.ParseFloat syntax minus what Prometheus refuses (hex floats, underscores):
 * `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, `[+-]? inf | infinity`, `nan`,
 * the words in any letter case.
 */
export function parseFloatAt(text: string, start: number): number | undefined | null {
  let i = start;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === PLUS || c === MINUS) {
    negative = c === MINUS;
    c = text.charCodeAt(++i);
  }
  if ((c < ZERO || c > NINE) && c !== DOT) return parseWord(text, i, i !== start, negative);

  let mantissa = 0;
  let digits = 0;
  let sawDigit = false;
  let fractionDigits = 0;
  while (c >= ZERO && c <= NINE) {
    sawDigit = true;
    if (mantissa !== 0 || c !== ZERO) {
      digits++;
      mantissa = mantissa * 10 + (c - ZERO);
    }
    c = text.charCodeAt(++i);
  }
  if (c === DOT) {
    c = text.charCodeAt(++i);
    while (c >= ZERO && c <= NINE) {
      sawDigit = true;
      fractionDigits++;
      if (mantissa !== 0 || c !== ZERO) {
        digits++;
        mantissa = mantissa * 10 + (c - ZERO);
      }
      c = text.charCodeAt(++i);
    }
  }
  if (!sawDigit) return undefined;

  let exponent = 0;
  let exponentDigits = 0;
  if (c === LOWER_E || c === UPPER_E) {
    let exponentNegative = false;
    c = text.charCodeAt(++i);
    if (c === PLUS || c === MINUS) {
      exponentNegative = c === MINUS;
      c = text.charCodeAt(++i);
    }
    while (c >= ZERO && c <= NINE) {
      exponentDigits++;
      if (exponentDigits <= MAX_FAST_EXPONENT_DIGITS) exponent = exponent * 10 + (c - ZERO);
      c = text.charCodeAt(++i);
    }
    if (exponentDigits === 0) return undefined;
    if (exponentNegative) exponent = -exponent;
  }
  if (!endsToken(text, i)) return undefined;
  tokenEnd = i;

  if (mantissa === 0) return negative ? -0 : 0;
  if (digits <= MAX_EXACT_DIGITS && exponentDigits <= MAX_FAST_EXPONENT_DIGITS) {
    const scale = exponent - fractionDigits;
    if (scale >= 0 && scale <= MAX_EXACT_POW) {
      const v = mantissa * (POW10[scale] as number);
      return negative ? -v : v;
    }
    if (scale < 0 && scale >= -MAX_EXACT_POW) {
      const v = mantissa / (POW10[-scale] as number);
      return negative ? -v : v;
    }
  }
  // The syntax was checked above and JS's StrDecimalLiteral accepts exactly that syntax, so
  // Number() rounds the way Go does.
  const v = Number(text.slice(start, i));
  return Number.isFinite(v) ? v : null;
}

function parseWord(text: string, i: number, signed: boolean, negative: boolean): number | undefined {
  let end = i;
  while (!endsToken(text, end)) end++;
  const n = end - i;
  tokenEnd = end;
  if ((n === 3 || n === 8) && matchesLower(text, i, 'infinity', n)) {
    return negative ? -Infinity : Infinity;
  }
  // Go takes no sign on NaN.
  if (n === 3 && !signed && matchesLower(text, i, 'nan', 3)) return NaN;
  return undefined;
}

/** Whether text[i, i+n) equals word[0, n) ignoring ASCII letter case (word is lower case). */
function matchesLower(text: string, i: number, word: string, n: number): boolean {
  for (let k = 0; k < n; k++) {
    if ((text.charCodeAt(i + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

const INT64_MAX = '9223372036854775807';
const INT64_MIN_ABS = '9223372036854775808';

/** A base-10 int64 as Go's strconv.ParseInt reads it: an optional sign, then digits only. */
export function parseIntAt(text: string, start: number): number | undefined | null {
  let i = start;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === PLUS || c === MINUS) {
    negative = c === MINUS;
    c = text.charCodeAt(++i);
  }
  const first = i;
  let firstSignificant = -1;
  let v = 0;
  while (c >= ZERO && c <= NINE) {
    if (firstSignificant < 0 && c !== ZERO) firstSignificant = i;
    v = v * 10 + (c - ZERO);
    c = text.charCodeAt(++i);
  }
  if (i === first || !endsToken(text, i)) return undefined;
  tokenEnd = i;
  if (firstSignificant < 0) return 0;
  const digits = i - firstSignificant;
  if (digits <= MAX_EXACT_DIGITS) return negative ? -v : v;
  if (digits > INT64_MAX.length) return null;
  // Same length, so comparing the strings compares the numbers.
  if (digits === INT64_MAX.length && text.slice(firstSignificant, i) > (negative ? INT64_MIN_ABS : INT64_MAX)) {
    return null;
  }
  return Number(text.slice(start, i));
}
