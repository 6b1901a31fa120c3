/**
 * The expression language of `--column`: a small PromQL subset evaluated per target on its latest
 * scrape. The grammar and its meaning are documented in docs/guide.md ("The expression language of `--column`").
 */
import { CtError, EXIT_USAGE } from '../util/errors.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
  /** For =~ and !~: the regex, fully anchored as Prometheus anchors it. */
  readonly regex?: RegExp;
}

export interface Selector {
  /** The sample name as exposed (`http_requests_total`), or a histogram's family name for histogram_quantile. */
  readonly name: string;
  readonly matchers: readonly Matcher[];
}

export const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count'] as const;
export type AggregateOp = (typeof AGGREGATIONS)[number];
export type BinaryOp = '+' | '-' | '*' | '/';

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'selector'; readonly selector: Selector }
  | { readonly kind: 'rate'; readonly selector: Selector }
  | { readonly kind: 'quantile'; readonly q: number; readonly selector: Selector }
  | { readonly kind: 'aggregate'; readonly op: AggregateOp; readonly by: readonly string[] | null; readonly expr: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr };

/** A bad expression: `position` is 0-based in the text that was parsed. */
export class ExprError extends CtError {
  readonly code = 'CT_ERR_EXPRESSION';
  readonly exitStatus = EXIT_USAGE;
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} at character ${position + 1}`);
    this.name = 'ExprError';
  }
}

/** Sample names an expression reads: what the parser's families filter must keep for it. */
export function sampleNames(expr: Expr, into: Set<string> = new Set()): Set<string> {
  switch (expr.kind) {
    case 'number':
      break;
    case 'selector':
    case 'rate':
      into.add(expr.selector.name);
      break;
    case 'quantile':
      into.add(`${expr.selector.name}_bucket`);
      break;
    case 'aggregate':
      sampleNames(expr.expr, into);
      break;
    case 'binary':
      sampleNames(expr.left, into);
      sampleNames(expr.right, into);
      break;
  }
  return into;
}
