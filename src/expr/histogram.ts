/**
 * Quantiles from cumulative histogram buckets, estimated as Prometheus's histogram_quantile does
 * (promql/quantile.go, bucketQuantile): linear interpolation inside the bucket the rank falls in,
 * a lower bound of 0 for the first bucket when its upper bound is positive, and the second-highest
 * bound when the rank falls in the +Inf bucket.
 */

export interface Bucket {
  /** The `le` label as a number; +Inf for the last bucket. */
  readonly upperBound: number;
  /** Observations at or below the bound: a cumulative count, or its rate. */
  readonly count: number;
}

/** Prometheus's tolerance for float noise that makes summed counts look non-monotonic. */
const PRECISION_TOLERANCE = 1e-12;

/** The q-quantile (0..1), or NaN where Prometheus gives NaN: no +Inf bucket, fewer than 2 buckets, no observations. */
export function bucketQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
  if (sorted.length === 0 || sorted[sorted.length - 1]!.upperBound !== Infinity) return NaN;
  const buckets = monotonic(coalesce(sorted));
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // The first bucket (the +Inf one excluded) whose count reaches the rank.
  let b = buckets.findIndex((bucket, i) => i < buckets.length - 1 && bucket.count >= rank);
  if (b < 0) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upperBound;
  const bucket = buckets[b]!;
  if (b === 0 && bucket.upperBound <= 0) return bucket.upperBound;
  let start = 0;
  let count = bucket.count;
  if (b > 0) {
    const below = buckets[b - 1]!;
    start = below.upperBound;
    count -= below.count;
    rank -= below.count;
  }
  return start + (bucket.upperBound - start) * (rank / count);
}

/** Buckets with the same bound (the same histogram from several series) are one bucket. */
function coalesce(sorted: readonly Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.upperBound === b.upperBound) out[out.length - 1] = { upperBound: b.upperBound, count: last.count + b.count };
    else out.push(b);
  }
  return out;
}

/**
 * Counts never go down from one bound to the next in a sound histogram; float noise first, then
 * any real dip, are flattened as Prometheus does, so the search for the rank stays meaningful.
 */
function monotonic(buckets: Bucket[]): Bucket[] {
  let prev = buckets[0]!.count;
  const denoised = buckets.map((b, i) => {
    if (i === 0 || b.count === prev) return b;
    if (Math.abs(b.count - prev) / b.count <= PRECISION_TOLERANCE) return { ...b, count: prev };
    prev = b.count;
    return b;
  });
  let max = denoised[0]!.count;
  return denoised.map((b) => {
    if (b.count >= max) {
      max = b.count;
      return b;
    }
    return { ...b, count: max };
  });
}

/** The `le` label's value as a number ("+Inf" included); null when it is not one. */
export function parseBound(le: string | undefined): number | null {
  if (le === undefined) return null;
  const t = le.trim();
  if (/^\+?inf$/i.test(t)) return Infinity;
  if (/^-inf$/i.test(t)) return -Infinity;
  const n = t === '' ? NaN : Number(t);
  return Number.isNaN(n) ? null : n;
}
