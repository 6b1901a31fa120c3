/**
 * The detail view's model of a target that is no node_exporter (source `app`): its metric
 * families with live figures. Counters show their rate per second, gauges their value,
 * histograms p50/p90/p99 over the last interval's bucket increases (as histogram_quantile over
 * rate() estimates them), summaries the quantiles they expose. Bounded: past APP_SERIES_CAP
 * samples a payload's series are left out, and the view says so.
 */
import type { Labels, MetricType, Sample } from '../exposition/types.js';
import { formatLabels } from '../expr/column.js';
import { labelsKey, type SeriesView } from '../expr/evaluate.js';
import { bucketQuantile, parseBound } from '../expr/histogram.js';
import { detach } from '../util/detach.js';

export const APP_SERIES_CAP = 2000;
export const HISTOGRAM_QUANTILES = [0.5, 0.9, 0.99] as const;

export interface AppSeries {
  /** `code=200 method=GET`; '' for a series without labels. */
  readonly labels: string;
  /** Counter: rate per second; gauge: value; histogram and summary: observations per second. Null before two scrapes. */
  readonly value: number | null;
  /** Histogram and summary series: [quantile, value] pairs. */
  readonly quantiles?: readonly (readonly [number, number | null])[];
}

export interface AppFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly series: readonly AppSeries[];
}

export interface AppView {
  readonly families: readonly AppFamily[];
  /** Samples in the payload, all of them. */
  readonly samples: number;
  /** More samples than APP_SERIES_CAP: only the first ones are modelled. */
  readonly capped: boolean;
}


const SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_gcount', '_gsum', '_info'];

/** The family a sample belongs to and its TYPE, from the payload's TYPE lines; untyped without one. */
function familyOf(name: string, types: ReadonlyMap<string, MetricType>): [string, MetricType] {
  const exact = types.get(name);
  if (exact) return [name, exact];
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const type = types.get(base);
    if (type) return [base, type];
  }
  return [name, 'untyped'];
}

/** Labels without the one that splits a histogram or summary into samples (`le`, `quantile`). */
function without(labels: Labels, drop: string): Labels {
  if (!(drop in labels)) return labels;
  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k !== drop) rest[k] = v;
  return rest;
}

/** One histogram or summary series being collected: its quantile inputs and its count. */
interface Group {
  readonly labels: Labels;
  readonly buckets: { upperBound: number; count: number }[];
  readonly quantiles: [number, number | null][];
  value: number | null;
}

interface Building {
  readonly name: string;
  readonly type: MetricType;
  readonly series: AppSeries[];
  readonly groups: Map<string, Group>;
}

export function buildAppView(samples: readonly Sample[], types: ReadonlyMap<string, MetricType>, view: SeriesView): AppView {
  const families = new Map<string, Building>();
  const modelled = Math.min(samples.length, APP_SERIES_CAP);
  for (let i = 0; i < modelled; i++) {
    const s = samples[i]!;
    const [name, type] = familyOf(s.name, types);
    let family = families.get(name);
    if (!family) families.set(name, (family = { name, type, series: [], groups: new Map() }));
    const suffix = s.name.slice(name.length);
    if (suffix === '_created' || suffix === '_sum' || suffix === '_gsum') continue;
    if (type === 'histogram' || type === 'gaugehistogram' || type === 'summary') collect(family, s, suffix, view);
    else family.series.push({ labels: formatLabels(s.labels), value: type === 'counter' ? view.rate(s) : s.value });
  }
  return {
    families: [...families.values()].map(finish),
    samples: samples.length,
    capped: samples.length > APP_SERIES_CAP,
  };
}

/** A sample of a histogram (bucket or count) or summary (quantile or count) into its series' group. */
function collect(family: Building, s: Sample, suffix: string, view: SeriesView): void {
  const gauge = family.type === 'gaugehistogram';
  const labels = without(without(s.labels, 'le'), 'quantile');
  const key = labelsKey(labels);
  let group = family.groups.get(key);
  if (!group) family.groups.set(key, (group = { labels, buckets: [], quantiles: [], value: null }));
  if (suffix === '_count' || suffix === '_gcount') {
    group.value = gauge ? s.value : view.rate(s);
  } else if (suffix === '_bucket') {
    const bound = parseBound(s.labels.le);
    const count = gauge ? s.value : view.rate(s);
    if (bound !== null && count !== null) group.buckets.push({ upperBound: bound, count });
  } else if (family.type === 'summary') {
    const q = parseBound(s.labels.quantile);
    if (q !== null) group.quantiles.push([q, Number.isNaN(s.value) ? null : s.value]);
  }
}

function finish(family: Building): AppFamily {
  const series = [...family.series];
  for (const g of family.groups.values()) {
    const quantiles: (readonly [number, number | null])[] =
      family.type === 'summary'
        ? g.quantiles
        : HISTOGRAM_QUANTILES.map((q) => {
            const v = g.buckets.length === 0 ? NaN : bucketQuantile(q, g.buckets);
            return [q, Number.isNaN(v) ? null : v] as const;
          });
    series.push({ labels: formatLabels(g.labels), value: g.value, quantiles });
  }
  return { name: detach(family.name), type: family.type, series };
}
