/** A `--column name=expression`: parsed once, evaluated per target on every scrape. */
import { ExprError, sampleNames, type Expr } from './ast.js';
import { evaluate, type SeriesView } from './evaluate.js';
import { parseExpression } from './parse.js';

export interface UserColumn {
  readonly name: string;
  readonly expr: Expr;
}

/** One series of a column's result, for the detail view (`code=500` → 2.5). */
export interface ColumnPart {
  readonly labels: string;
  readonly value: number;
}

export interface ColumnReading {
  /** The single number the table shows: the result's series summed; null when it has none or is not finite. */
  readonly value: number | null;
  /** The result's series when they carry labels (a `sum by`, a bare selector), at most MAX_PARTS of them. */
  readonly parts: readonly ColumnPart[];
  /** How many labelled series the result had, shown in parts or not. */
  readonly partCount: number;
}

export const NO_READING: ColumnReading = Object.freeze({ value: null, parts: [], partCount: 0 });

/** Enough for a `sum by (code)` breakdown in the detail view; a cap so a bare selector cannot flood it. */
export const MAX_PARTS = 20;

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Whether `name` may name a column. `__` names are Prometheus's reserved ones, and `__proto__`
 * would be no plain key; readings are plain objects keyed by column name, so an inherited member's
 * name would read as set.
 */
export function isColumnName(name: string): boolean {
  return NAME.test(name) && !name.startsWith('__') && !(name in Object.prototype);
}

/** Parses `name=expression`; an ExprError's position is in `spec` as the user wrote it. */
export function parseColumn(spec: string): UserColumn {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new ExprError('expected "=" after the column name', spec.length);
  const name = spec.slice(0, eq).trim();
  if (!NAME.test(name) || name.startsWith('__')) {
    throw new ExprError('a column name is letters, digits and _, not starting with a digit or __', Math.max(0, spec.search(/\S/)));
  }
  if (!isColumnName(name)) throw new ExprError(`"${name}" cannot be a column name`, Math.max(0, spec.search(/\S/)));
  const text = spec.slice(eq + 1);
  try {
    return { name, expr: parseExpression(text) };
  } catch (error) {
    if (error instanceof ExprError) throw new ExprError(error.reason, error.position + eq + 1);
    throw error;
  }
}

/** Sample names any of the columns reads: added to the parser's families filter of node_exporter targets. */
export function columnSampleNames(columns: readonly UserColumn[]): Set<string> {
  const names = new Set<string>();
  for (const c of columns) sampleNames(c.expr, names);
  return names;
}

/**
 * A column shows one number per target: a result of several series is their sum (as if wrapped in
 * `sum(...)`), and the series themselves are kept for the detail view.
 */
export function readColumn(column: UserColumn, view: SeriesView): ColumnReading {
  const result = evaluate(column.expr, view);
  if (result.kind === 'number') return { value: Number.isFinite(result.value) ? result.value : null, parts: [], partCount: 0 };
  const elements = result.elements;
  if (elements.length === 0) return NO_READING;
  const sum = elements.reduce((a, e) => a + e.value, 0);
  const labelled = elements.filter((e) => Object.keys(e.labels).length > 0);
  const parts = labelled
    .map((e) => ({ labels: formatLabels(e.labels), value: e.value }))
    .sort((a, b) => (a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0))
    .slice(0, MAX_PARTS);
  return { value: Number.isFinite(sum) ? sum : null, parts, partCount: labelled.length };
}

/** `code=500 method=GET`: label sets as the detail view shows them, names sorted. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`)
    .join(' ');
}
