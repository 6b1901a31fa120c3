import { ReadError } from '../util/errors.js';

/** One sample line of a Prometheus text or OpenMetrics exposition. */
export interface Sample {
  /** Full metric name as written, including suffixes such as `_total` or `_bucket`. */
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch when the line carries a timestamp, else undefined. */
  readonly timestampMs: number | undefined;
}

export type Labels = Readonly<Record<string, string>>;

export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'untyped'
  | 'unknown';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export interface ParseResult {
  readonly format: ExpositionFormat;
  /** Samples of the kept families, in the order they appear. */
  readonly samples: Sample[];
  /** TYPE of every family declared in the payload, or with `families`, of every kept one. */
  readonly types: ReadonlyMap<string, MetricType>;
  /** Sample lines seen in total, kept or skipped. */
  readonly sampleLines: number;
}

/** A payload that is not valid exposition text; says where (1-based line and column) and what. */
export class ExpositionError extends ReadError {
  readonly code = 'CT_ERR_EXPOSITION';
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}
