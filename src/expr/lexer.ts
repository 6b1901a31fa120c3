/** Tokens of the `--column` expression language, each with its 0-based position for error messages. */
import { ExprError } from './ast.js';

export type TokenKind = 'number' | 'name' | 'string' | 'punct' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written; for a string, its value with escapes resolved. */
  readonly text: string;
  readonly position: number;
}

const PUNCT = ['!=', '=~', '!~', '(', ')', '{', '}', '[', ']', ',', '=', '+', '-', '*', '/'] as const;
const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'" };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const c = text.charAt(pos);
    if (c === ' ' || c === '\t') {
      pos++;
      continue;
    }
    NUMBER.lastIndex = pos;
    NAME.lastIndex = pos;
    const number = /[\d.]/.test(c) ? NUMBER.exec(text) : null;
    const name = number ? null : NAME.exec(text);
    if (number || name) {
      const t = (number ?? name)![0];
      tokens.push({ kind: number ? 'number' : 'name', text: t, position: pos });
      pos += t.length;
    } else if (c === '"' || c === "'" || c === '`') {
      const [value, end] = quoted(text, pos);
      tokens.push({ kind: 'string', text: value, position: pos });
      pos = end;
    } else {
      const punct = PUNCT.find((p) => text.startsWith(p, pos));
      if (!punct) throw new ExprError(`unexpected character "${c}"`, pos);
      tokens.push({ kind: 'punct', text: punct, position: pos });
      pos += punct.length;
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

/**
 * A string as PromQL writes them: in double or single quotes with escapes, or raw in backticks
 * (handy for regexes: `5\d\d`). Returns its value and the position after it.
 */
function quoted(text: string, start: number): [string, number] {
  const quote = text.charAt(start);
  let value = '';
  for (let pos = start + 1; pos < text.length; pos++) {
    const c = text.charAt(pos);
    if (c === quote) return [value, pos + 1];
    if (c === '\\' && quote !== '`') {
      const escaped = ESCAPES[text.charAt(pos + 1)];
      if (escaped === undefined) throw new ExprError('unknown escape in string', pos);
      value += escaped;
      pos++;
    } else {
      value += c;
    }
  }
  throw new ExprError('unterminated string', start);
}
