/**
 * Decoding the Prometheus HTTP API's JSON (`/api/v1/query`, `/api/v1/query_range`), as Prometheus,
 * Thanos, Mimir and VictoriaMetrics all answer it: {status, data: {resultType, result}, warnings}
 * on success, {status: "error", errorType, error} on failure. Values are strings so that NaN and
 * ±Inf survive JSON; they are decoded to numbers, and readers treat non-finite ones as absent.
 *
 * An answer may be incomplete and still a success. Prometheus (and Mimir, which answers as it
 * does) puts "errors that do not inhibit the request execution" in `warnings`, returning "all of
 * the data that was successfully collected" (prometheus.io/docs/prometheus/latest/querying/api);
 * Thanos puts a StoreAPI that failed under partial_response there too (thanos
 * docs/components/query.md, "Partial Response"); VictoriaMetrics's cluster marks an answer served
 * without some vmstorage nodes with `"isPartial": true` (docs/victoriametrics/
 * Cluster-VictoriaMetrics.md). `infos` ("potential query issues that may or may not be false
 * positives") say nothing of completeness and are not read.
 */
import { ReadError } from '../../util/errors.js';

import { scanVectorResult, type LabelCache } from './fast-vector.js';

export type Labels = Readonly<Record<string, string>>;

export interface InstantSample {
  readonly labels: Labels;
  readonly value: number;
}

export interface RangeSeries {
  readonly labels: Labels;
  /** [seconds since epoch, value], oldest first. */
  readonly points: readonly (readonly [number, number])[];
}

export interface Decoded<T> {
  readonly result: T[];
  /** Why the answer may be incomplete: the server's warnings, fit for one line, isPartial's first. */
  readonly warnings: string[];
}

/** Said for VictoriaMetrics's `"isPartial": true`, which comes without a reason. */
export const PARTIAL_ANSWER = 'the server marked its answer partial (isPartial: some storage nodes did not answer)';
/** Warnings kept per answer: one is shown; a server may send thousands. */
const MAX_WARNINGS = 5;

/** The server's own account of a failure (errorType, error), or a response that is not the API's. */
export class PrometheusApiError extends ReadError {
  override readonly name = 'PrometheusApiError';
  readonly code = 'CT_ERR_PROMETHEUS_API';
}

/** Longest piece of server text shown: a header line has no room for a query echoed back whole. */
const MAX_SERVER_TEXT = 160;

/** Server text made fit for one line on a terminal: no control characters, bounded length. */
export function oneLine(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > MAX_SERVER_TEXT ? `${flat.slice(0, MAX_SERVER_TEXT - 1)}…` : flat;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorMessage(body: Record<string, unknown>): string {
  const type = typeof body.errorType === 'string' ? body.errorType : 'error';
  const reason = typeof body.error === 'string' ? body.error : 'no reason given';
  return oneLine(`${type}: ${reason}`);
}

/** The server's reason when `text` is an API error body ({status: "error", …}), else undefined. */
export function apiError(text: string): string | undefined {
  const body = parse(text);
  return isRecord(body) && body.status === 'error' ? errorMessage(body) : undefined;
}

/** Parses a body and returns its `data`, or throws PrometheusApiError with the server's reason. */
function unwrap(text: string): { data: Record<string, unknown>; warnings: string[] } {
  const body = parse(text);
  if (body === undefined) throw new PrometheusApiError('the answer is not JSON (is this a Prometheus API URL?)');
  if (!isRecord(body)) throw new PrometheusApiError('the answer is not a Prometheus API response');
  if (body.status === 'error') throw new PrometheusApiError(errorMessage(body));
  if (body.status !== 'success' || !isRecord(body.data)) throw new PrometheusApiError('the answer is not a Prometheus API response');
  const warnings = Array.isArray(body.warnings) ? body.warnings.filter((w): w is string => typeof w === 'string').slice(0, MAX_WARNINGS).map(oneLine) : [];
  if (body.isPartial === true) warnings.unshift(PARTIAL_ANSWER);
  return { data: body.data, warnings };
}

function resultOf(data: Record<string, unknown>, type: 'vector' | 'matrix'): unknown[] {
  if (data.resultType !== type) {
    throw new PrometheusApiError(`expected a ${type} result, got ${oneLine(String(data.resultType))}`);
  }
  if (!Array.isArray(data.result)) throw new PrometheusApiError(`the ${type} result is not a list`);
  return data.result;
}

function labelsOf(item: Record<string, unknown>): Labels {
  const metric = item.metric;
  if (!isRecord(metric)) return {};
  // The parsed object itself when every value is a string, as the API writes them: a copy per
  // series was a tenth of a 10,000-node refresh's CPU, and more again in collections.
  let allStrings = true;
  for (const k in metric) if (typeof metric[k] !== 'string') allStrings = false;
  if (allStrings) return metric as Labels;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(metric)) if (typeof v === 'string') labels[k] = v;
  return labels;
}

/** Go's float formatting, as the API writes values: "NaN", "+Inf", "-Inf" or a decimal. */
export function parseValue(text: unknown): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
}

function point(x: unknown): [number, number] | null {
  if (!Array.isArray(x) || x.length !== 2 || typeof x[0] !== 'number') return null;
  return [x[0], parseValue(x[1])];
}

const RESULT_KEY = '"result":[';

/**
 * An instant vector; a sample without a float value (a native histogram) is left out. The result
 * list is scanned without JSON.parse's tree (fast-vector.ts) when it has the plain shape, the rest
 * of the answer parsed as usual; anything else is parsed whole.
 */
export function decodeVector(text: string, cache?: LabelCache): Decoded<InstantSample> {
  const at = text.indexOf(RESULT_KEY);
  const scanned = at === -1 ? undefined : scanVectorResult(text, at + RESULT_KEY.length, parseValue, cache);
  if (scanned !== undefined) {
    const envelope = unwrap(`${text.slice(0, at + RESULT_KEY.length - 1)}[]${text.slice(scanned.end)}`);
    // The list scanned was data.result itself only if the envelope's is now the empty one.
    if (resultOf(envelope.data, 'vector').length === 0) return { result: scanned.result, warnings: envelope.warnings };
  }
  return decodeVectorSlowly(text);
}

function decodeVectorSlowly(text: string): Decoded<InstantSample> {
  const { data, warnings } = unwrap(text);
  const result: InstantSample[] = [];
  for (const item of resultOf(data, 'vector')) {
    if (!isRecord(item)) continue;
    const p = point(item.value);
    if (p) result.push({ labels: labelsOf(item), value: p[1] });
  }
  return { result, warnings };
}

/** A range matrix: one series per label set, its points oldest first. */
export function decodeMatrix(text: string): Decoded<RangeSeries> {
  const { data, warnings } = unwrap(text);
  const result: RangeSeries[] = [];
  for (const item of resultOf(data, 'matrix')) {
    if (!isRecord(item) || !Array.isArray(item.values)) continue;
    const points: [number, number][] = [];
    for (const v of item.values) {
      const p = point(v);
      if (p) points.push(p);
    }
    result.push({ labels: labelsOf(item), points });
  }
  return { result, warnings };
}
