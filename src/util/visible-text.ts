/**
 * Text that other machines wrote (names, labels, errors, API answers, recordings) is shown, never
 * obeyed: a terminal acts on control characters and escape sequences (an OSC 52 writes the
 * clipboard, an OSC 0 the window title, a newline forges a row), and a bidi override makes one
 * name read as another. Every such character is replaced by a visible escape, as a Go `%q` or
 * `cat -v` would show it, so the text stays readable and two names that differ stay different.
 *
 * This runs where text enters the store (the one model every view, table, snapshot and recording
 * reads) and where the program writes its own lines to stdout and stderr, so that a new source
 * cannot forget it.
 */

/**
 * C0 controls (tab and newline included), DEL, C1 controls (U+0080–U+009F: U+009B alone is a
 * CSI on many terminals), and the invisible characters that reorder or hide text: the Arabic
 * letter mark, zero-width spaces and joiners, LRM/RLM, line and paragraph separators, the bidi
 * embeddings, overrides and isolates, word joiner and invisible operators, and the BOM.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\x1b' };

function escape(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Whether `text` holds a character that `visible` would replace. */
export function hasUnsafe(text: string): boolean {
  return UNSAFE.test(text);
}

/** `text` with every control, bidi and zero-width character as a visible escape; the same string when it has none. */
export function visible(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escape) : text;
}

/** As `visible`, for a value that may be absent. */
export function visibleOrNull<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? visible(text) : text) as T;
}

/** Every name and value of a label set made visible; the same object when nothing needs it. */
export function visibleRecord(record: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let unsafe = false;
  for (const key in record) {
    if (UNSAFE.test(key) || UNSAFE.test(record[key] ?? '')) {
      unsafe = true;
      break;
    }
  }
  if (!unsafe) return record;
  const out: Record<string, string> = {};
  for (const key in record) out[visible(key)] = visible(record[key] ?? '');
  return out;
}

/** A list of texts made visible; the same array when nothing needs it. */
export function visibleList(texts: readonly string[]): readonly string[] {
  return texts.some(hasUnsafe) ? texts.map(visible) : texts;
}

/**
 * The last line of defence where a screen line is written: any unsafe character still there
 * becomes U+FFFD, one cell for one, so the line keeps the width it was laid out for.
 */
export function replaceUnsafe(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, '\ufffd') : text;
}

/** JSON.stringify's replacer that makes every string visible, keys included. */
export function visibleJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? visible(v) : visibleKeys(v)), 2);
}

function visibleKeys(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  let unsafe = false;
  for (const key of Object.keys(v)) if (UNSAFE.test(key)) unsafe = true;
  if (!unsafe) return v;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) out[visible(key)] = value;
  return out;
}
