import {
  BACKSLASH,
  BRACE_CLOSE,
  CHAR_CLASS,
  COMMA,
  CR,
  type Cursor,
  EQUALS,
  LABEL_CHAR,
  LABEL_START,
  LF,
  QUOTE,
  SPACE,
  TAB,
} from './cursor.js';

/** Reads `"..."` at cur.pos (which is on the quote) and leaves pos past the closing quote. */
export function scanQuoted(cur: Cursor, what: string): string {
  const text = cur.text;
  const len = cur.len;
  const open = cur.pos;
  let i = open + 1;
  let segment = i;
  let out: string | undefined;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) break;
    if (c === BACKSLASH) {
      const e = text.charCodeAt(i + 1);
      let replacement: string;
      if (e === BACKSLASH) replacement = '\\';
      else if (e === QUOTE) replacement = '"';
      else if (e === 110) replacement = '\n';
      else if (i + 1 >= len || e === LF || e === CR) cur.fail(open, `unterminated ${what}`);
      else {
        // Any other escape stays as written, backslash and all, as Prometheus keeps it (its lexers
        // take `\\.` for any character, and only \\, \" and \n are replaced). What follows the
        // backslash is read as any other character of the string.
        i++;
        continue;
      }
      // Concatenation builds a rope, so many escapes in a huge value stay linear.
      out = (out ?? '') + text.slice(segment, i) + replacement;
      i += 2;
      segment = i;
      continue;
    }
    // Past the end charCodeAt gives NaN, which fails every comparison but this one.
    // Other control characters (ESC, NUL, DEL) are kept: Prometheus scrapes such a value, and a
    // monitor must not mark down a target Prometheus takes. They are made visible where text
    // enters the store (util/visible-text.ts), never written to a terminal.
    if ((c < SPACE || c !== c) && (c === LF || c === CR || i >= len)) cur.fail(open, `unterminated ${what}`);
    i++;
  }
  cur.pos = i + 1;
  const tail = text.slice(segment, i);
  return out === undefined ? tail : out + tail;
}

const BLANK_IN_SET = 'blank in an OpenMetrics label set';

/** A bare or quoted label name at cur.pos; leaves pos after it. */
function scanLabelName(cur: Cursor): string {
  const text = cur.text;
  const start = cur.pos;
  let c = text.charCodeAt(start);
  if (c === QUOTE) {
    const name = scanQuoted(cur, 'label name');
    if (name.length === 0) cur.fail(start, 'empty label name');
    return name;
  }
  if (!(c < 128 && (CHAR_CLASS[c] as number) & LABEL_START)) cur.unexpected(start, 'invalid label name');
  let p = start + 1;
  for (c = text.charCodeAt(p); c < 128 && (CHAR_CLASS[c] as number) & LABEL_CHAR; c = text.charCodeAt(++p));
  cur.pos = p;
  return text.slice(start, p);
}

/**
 * Where a metric name may stand in a label set: `free` when the line has none yet, `set` when it
 * was written before the braces (or first in them), `none` in an exemplar.
 */
export type NameSlot = 'free' | 'set' | 'none';

/**
 * Reads a label set from just past its `{` to just past its `}` into `labels`. A quoted string
 * standing alone (followed by `,` or `}`) is the metric name of the Prometheus 3 UTF-8 syntax;
 * it is returned when the slot is free, else an error.
 *
 * `names` holds the bare label names of the previous line in order, and is updated to this
 * line's: lines of a family repeat them, and confirming a guess with one slice comparison beats
 * reading the name, and hands out the same string, which V8 then need not look up again as a key.
 *
 * `openMetrics`: as Prometheus reads OpenMetrics, no blank in the set and no comma before its `}`.
 */
export function scanLabelSet(
  cur: Cursor,
  labels: Record<string, string>,
  slot: NameSlot,
  names: string[],
  openMetrics: boolean,
): string | undefined {
  const text = cur.text;
  let metricName: string | undefined;
  // While every name so far was the previous line's, they cannot repeat (that line had none).
  let allGuessed = true;
  for (let k = 0; ; ) {
    let c = text.charCodeAt(cur.pos);
    if (c === SPACE || c === TAB) {
      if (openMetrics) cur.fail(cur.pos, BLANK_IN_SET);
      cur.skipBlanks();
      c = text.charCodeAt(cur.pos);
    }
    const start = cur.pos;
    if (c === BRACE_CLOSE) {
      cur.pos++;
      if (names.length > k) names.length = k;
      return metricName;
    }
    let name = names[k] ?? '';
    let end = start + name.length;
    c = text.charCodeAt(end);
    if (end > start && (c === EQUALS || c === SPACE || c === TAB) && text.slice(start, end) === name) {
      cur.pos = end;
    } else {
      name = scanLabelName(cur);
      end = cur.pos;
      c = text.charCodeAt(end);
      allGuessed = false;
    }
    if (c === SPACE || c === TAB) {
      if (openMetrics) cur.fail(cur.pos, BLANK_IN_SET);
      cur.skipBlanks();
      c = text.charCodeAt(cur.pos);
    }
    if (c === EQUALS) {
      cur.pos++;
      if (openMetrics) {
        c = text.charCodeAt(cur.pos);
        if (c === SPACE || c === TAB) cur.fail(cur.pos, BLANK_IN_SET);
      } else {
        cur.skipBlanks();
      }
      if (text.charCodeAt(cur.pos) !== QUOTE) cur.unexpected(cur.pos, 'expected a quoted label value');
      const value = scanQuoted(cur, 'label value');
      if (!allGuessed && Object.hasOwn(labels, name)) cur.fail(start, `duplicate label name "${name}"`);
      if (name === '__proto__') {
        // A plain assignment would go to the prototype setter and drop the label.
        Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
      } else {
        labels[name] = value;
      }
      // Quoted names are never guessed: a bare guess must only ever match a bare name.
      if (!allGuessed) names[k] = text.charCodeAt(start) === QUOTE ? '' : name;
      k++;
      c = text.charCodeAt(cur.pos);
      if (c === SPACE || c === TAB) {
        if (openMetrics) cur.fail(cur.pos, BLANK_IN_SET);
        cur.skipBlanks();
        c = text.charCodeAt(cur.pos);
      }
    } else if (text.charCodeAt(start) === QUOTE && (c === COMMA || c === BRACE_CLOSE)) {
      if (slot === 'none') cur.fail(start, 'expected a label name');
      if (slot === 'set' || metricName !== undefined) cur.fail(start, 'metric name already set');
      metricName = name;
    } else {
      cur.unexpected(cur.pos, 'expected "=" after label name');
    }
    if (c === COMMA) {
      cur.pos++;
      // Prometheus 2.42 takes no comma before the `}` in OpenMetrics (2.51 and later do).
      if (openMetrics && text.charCodeAt(cur.pos) === BRACE_CLOSE) cur.fail(cur.pos, 'expected a label name after ","');
    } else if (c !== BRACE_CLOSE) cur.unexpected(cur.pos, 'expected "," or "}" in label set');
  }
}
