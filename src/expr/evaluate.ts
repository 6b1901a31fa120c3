/** Evaluation of a parsed expression against one target's latest scrape. */
import type { Labels, Sample } from '../exposition/types.js';
import type { AggregateOp, BinaryOp, Expr, Matcher, Selector } from './ast.js';
import { bucketQuantile, parseBound, type Bucket } from './histogram.js';

/** What evaluation reads of a target: its latest samples by name, and counter rates. */
export interface SeriesView {
  samples(name: string): readonly Sample[];
  /** Per second over the last interval (CounterRates: sample timestamps, resets); null before two readings. */
  rate(sample: Sample): number | null;
}

export interface Element {
  readonly labels: Labels;
  readonly value: number;
}

/** A number, or series: the samples' label sets (the metric name dropped) with a value each. */
export type Value = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'series'; readonly elements: readonly Element[] };

export function evaluate(expr: Expr, view: SeriesView): Value {
  switch (expr.kind) {
    case 'number':
      return expr;
    case 'selector':
      return series(selected(expr.selector, view).map((s) => ({ labels: s.labels, value: s.value })));
    case 'rate': {
      const elements: Element[] = [];
      for (const s of selected(expr.selector, view)) {
        const rate = view.rate(s);
        if (rate !== null) elements.push({ labels: s.labels, value: rate });
      }
      return series(elements);
    }
    case 'quantile':
      return quantile(expr.q, expr.selector, view);
    case 'aggregate':
      return aggregate(expr.op, expr.by, evaluate(expr.expr, view));
    case 'binary':
      return binary(expr.op, evaluate(expr.left, view), evaluate(expr.right, view));
  }
}

const series = (elements: readonly Element[]): Value => ({ kind: 'series', elements });

function selected(selector: Selector, view: SeriesView): Sample[] {
  return view.samples(selector.name).filter((s) => matches(s.labels, selector.matchers));
}

/** A label that is absent has the value "", as in Prometheus. */
function matches(labels: Labels, matchers: readonly Matcher[]): boolean {
  for (const m of matchers) {
    const value = labels[m.label] ?? '';
    const ok = m.regex ? m.regex.test(value) : value === m.value;
    if (ok !== (m.op === '=' || m.op === '=~')) return false;
  }
  return true;
}

/**
 * `histogram_quantile(q, h)` is Prometheus's `histogram_quantile(q, sum by (le) (rate(h_bucket)))`:
 * one estimate over every series of the histogram that the matchers keep, from the buckets'
 * increase over the last interval. No value before two scrapes, nor when nothing was observed.
 */
function quantile(q: number, selector: Selector, view: SeriesView): Value {
  const byBound = new Map<number, number>();
  for (const s of selected({ ...selector, name: `${selector.name}_bucket` }, view)) {
    const bound = parseBound(s.labels.le);
    const rate = view.rate(s);
    if (bound === null || rate === null) continue;
    byBound.set(bound, (byBound.get(bound) ?? 0) + rate);
  }
  const buckets: Bucket[] = [...byBound].map(([upperBound, count]) => ({ upperBound, count }));
  const value = buckets.length === 0 ? NaN : bucketQuantile(q, buckets);
  return series(Number.isNaN(value) ? [] : [{ labels: {}, value }]);
}

/** Label values of `by`, as a key and as the group's labels. */
function groupOf(labels: Labels, by: readonly string[] | null): [string, Labels] {
  if (by === null || by.length === 0) return ['', {}];
  const kept: Record<string, string> = {};
  for (const name of by) {
    const v = labels[name];
    if (v !== undefined && v !== '') kept[name] = v;
  }
  return [labelsKey(kept), kept];
}

function aggregate(op: AggregateOp, by: readonly string[] | null, input: Value): Value {
  // The parser lets only series through; a number would aggregate as one unlabelled element.
  const elements = input.kind === 'series' ? input.elements : [{ labels: {}, value: input.value }];
  const groups = new Map<string, { labels: Labels; values: number[] }>();
  for (const e of elements) {
    const [key, labels] = groupOf(e.labels, by);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { labels, values: [] }));
    group.values.push(e.value);
  }
  return series([...groups.values()].map((g) => ({ labels: g.labels, value: reduce(op, g.values) })));
}

function reduce(op: AggregateOp, values: readonly number[]): number {
  switch (op) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'count':
      return values.length;
  }
}

function apply(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

/** Series with series match one to one on identical label sets, as in Prometheus; the left side's labels stay. */
function binary(op: BinaryOp, left: Value, right: Value): Value {
  if (left.kind === 'number') {
    if (right.kind === 'number') return { kind: 'number', value: apply(op, left.value, right.value) };
    return series(right.elements.map((e) => ({ labels: e.labels, value: apply(op, left.value, e.value) })));
  }
  if (right.kind === 'number') return series(left.elements.map((e) => ({ labels: e.labels, value: apply(op, e.value, right.value) })));
  const byKey = new Map(right.elements.map((e) => [labelsKey(e.labels), e.value] as const));
  const out: Element[] = [];
  for (const e of left.elements) {
    const other = byKey.get(labelsKey(e.labels));
    if (other !== undefined) out.push({ labels: e.labels, value: apply(op, e.value, other) });
  }
  return series(out);
}

/** A label set as a string that two equal sets share whatever their order. */
export function labelsKey(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length === 0) return '';
  if (names.length > 1) names.sort();
  let key = '';
  for (const name of names) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}
