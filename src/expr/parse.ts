/**
 * Recursive-descent parser of the `--column` expression language. Grammar (EBNF):
 *
 *   expr        = term , { ( "+" | "-" ) , term } ;
 *   term        = unary , { ( "*" | "/" ) , unary } ;
 *   unary       = "-" , unary | primary ;
 *   primary     = number | "(" , expr , ")" | aggregation | rate | quantile | selector ;
 *   aggregation = aggop , [ by ] , "(" , expr , ")" , [ by ] ;   aggop = sum | avg | min | max | count
 *   by          = "by" , "(" , [ label , { "," , label } ] , ")" ;
 *   rate        = "rate" , "(" , selector , ")" ;
 *   quantile    = "histogram_quantile" , "(" , number , "," , selector , ")" ;
 *   selector    = metric , [ "{" , [ matcher , { "," , matcher } , [ "," ] ] , "}" ] ;
 *   matcher     = label , ( "=" | "!=" | "=~" | "!~" ) , string ;
 *
 * Every node is typed as a number or as series while parsing, so `sum(5)` is an error here, with
 * its position, rather than an empty column later.
 */
import { AGGREGATIONS, ExprError, type AggregateOp, type BinaryOp, type Expr, type Matcher, type MatchOp, type Selector } from './ast.js';
import { tokenize, type Token } from './lexer.js';

type Typed = { readonly expr: Expr; readonly series: boolean };

const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Parses `text`; throws ExprError with the 0-based position of the first problem. */
export function parseExpression(text: string): Expr {
  const parser = new Parser(tokenize(text));
  const { expr } = parser.expression();
  parser.expectEnd();
  return expr;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private get token(): Token {
    return this.tokens[Math.min(this.index, this.tokens.length - 1)]!;
  }

  private peek(offset = 1): Token | undefined {
    return this.tokens[this.index + offset];
  }

  private isPunct(text: string, token: Token | undefined = this.token): boolean {
    return token?.kind === 'punct' && token.text === text;
  }

  private expect(text: string): Token {
    const token = this.token;
    if (!this.isPunct(text)) throw new ExprError(`expected "${text}"`, token.position);
    this.index++;
    return token;
  }

  expectEnd(): void {
    const token = this.token;
    if (token.kind !== 'end') throw new ExprError(`unexpected "${token.text}"`, token.position);
  }

  expression(): Typed {
    let left = this.term();
    while (this.isPunct('+') || this.isPunct('-')) left = this.binary(left, () => this.term());
    return left;
  }

  private term(): Typed {
    let left = this.unary();
    while (this.isPunct('*') || this.isPunct('/')) left = this.binary(left, () => this.unary());
    return left;
  }

  private binary(left: Typed, operand: () => Typed): Typed {
    const op = this.token.text as BinaryOp;
    this.index++;
    const right = operand();
    return { expr: { kind: 'binary', op, left: left.expr, right: right.expr }, series: left.series || right.series };
  }

  private unary(): Typed {
    if (!this.isPunct('-')) return this.primary();
    this.index++;
    const operand = this.unary();
    return { expr: { kind: 'binary', op: '*', left: { kind: 'number', value: -1 }, right: operand.expr }, series: operand.series };
  }

  private primary(): Typed {
    const token = this.token;
    if (token.kind === 'number') {
      this.index++;
      return { expr: { kind: 'number', value: Number(token.text) }, series: false };
    }
    if (this.isPunct('(')) {
      this.index++;
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (token.kind !== 'name') throw new ExprError(token.kind === 'end' ? 'expected an expression' : `unexpected "${token.text}"`, token.position);
    const next = this.peek();
    const called = this.isPunct('(', next);
    if ((AGGREGATIONS as readonly string[]).includes(token.text) && (called || (next?.kind === 'name' && next.text === 'by'))) {
      return this.aggregation(token.text as AggregateOp);
    }
    if (token.text === 'rate' && called) return this.rate();
    if (token.text === 'histogram_quantile' && called) return this.quantile();
    if (called) throw new ExprError(`unknown function "${token.text}"`, token.position);
    return { expr: { kind: 'selector', selector: this.selector() }, series: true };
  }

  private aggregation(op: AggregateOp): Typed {
    this.index++;
    let by = this.by();
    this.expect('(');
    const argAt = this.token.position;
    const inner = this.expression();
    if (!inner.series) throw new ExprError(`${op}() needs series, not a number`, argAt);
    this.expect(')');
    if (this.token.kind === 'name' && this.token.text === 'by') {
      if (by !== null) throw new ExprError('"by" given twice', this.token.position);
      by = this.by();
    }
    return { expr: { kind: 'aggregate', op, by, expr: inner.expr }, series: true };
  }

  /** `by (a, b)` when it comes next, else null. */
  private by(): string[] | null {
    if (this.token.kind !== 'name' || this.token.text !== 'by') return null;
    this.index++;
    this.expect('(');
    const labels: string[] = [];
    while (!this.isPunct(')')) {
      if (labels.length > 0) this.expect(',');
      labels.push(this.label());
    }
    this.index++;
    return labels;
  }

  private rate(): Typed {
    this.index += 2;
    const selector = this.selector();
    this.expect(')');
    return { expr: { kind: 'rate', selector }, series: true };
  }

  private quantile(): Typed {
    this.index += 2;
    const token = this.token;
    if (token.kind !== 'number') throw new ExprError('expected a quantile from 0 to 1', token.position);
    const q = Number(token.text);
    if (!(q >= 0 && q <= 1)) throw new ExprError('the quantile must be from 0 to 1', token.position);
    this.index++;
    this.expect(',');
    const selector = this.selector();
    this.expect(')');
    // `name_bucket` is what Prometheus users write: the family is meant either way.
    const name = selector.name.endsWith('_bucket') ? selector.name.slice(0, -'_bucket'.length) : selector.name;
    return { expr: { kind: 'quantile', q, selector: { ...selector, name } }, series: true };
  }

  private selector(): Selector {
    const token = this.token;
    if (token.kind !== 'name') throw new ExprError('expected a metric name', token.position);
    this.index++;
    const matchers: Matcher[] = [];
    if (this.isPunct('{')) {
      this.index++;
      while (!this.isPunct('}')) {
        matchers.push(this.matcher());
        if (!this.isPunct('}')) this.expect(',');
      }
      this.index++;
    }
    // Rates here are over the last scrape interval: a range would promise something else.
    if (this.isPunct('[')) throw new ExprError('no range selectors: rate() is over the last scrape interval', this.token.position);
    return { name: token.text, matchers };
  }

  private matcher(): Matcher {
    const label = this.label();
    const opToken = this.token;
    if (opToken.kind !== 'punct' || !['=', '!=', '=~', '!~'].includes(opToken.text)) throw new ExprError('expected "=", "!=", "=~" or "!~"', opToken.position);
    this.index++;
    const value = this.token;
    if (value.kind !== 'string') throw new ExprError('expected a quoted string', value.position);
    this.index++;
    const op = opToken.text as MatchOp;
    if (op === '=' || op === '!=') return { label, op, value: value.text };
    return { label, op, value: value.text, regex: anchored(value) };
  }

  private label(): string {
    const token = this.token;
    if (token.kind !== 'name' || !LABEL.test(token.text)) throw new ExprError('expected a label name', token.position);
    this.index++;
    return token.text;
  }
}

/** Prometheus anchors label regexes at both ends, and its `.` matches a newline too. */
function anchored(token: Token): RegExp {
  try {
    return new RegExp(`^(?:${token.text})$`, 's');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ExprError(`invalid regex: ${message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`, token.position);
  }
}
