/**
 * What every record field of the format is checked with, writing and reading: the ranges, the
 * writer's fitting of a value to its range, and the reader's typed getters that fail with
 * FormatError naming the field.
 */
import { CtError, EXIT_USAGE } from '../util/errors.js';

/** A record that does not have the shape this version writes; the message says what is wrong. */
export class FormatError extends CtError {
  override readonly name = 'FormatError';
  readonly code = 'CT_ERR_RECORDING_FORMAT';
  readonly exitStatus = EXIT_USAGE;
}

/** The latest moment a JavaScript Date can hold: later times cannot be shown. */
export const MAX_TIME_MS = 8.64e15;
/** Longest interval: the longest a timer can wait. */
export const MAX_INTERVAL_MS = 2 ** 31 - 1;
/** Most CPUs of one node: Linux's largest NR_CPUS. */
export const MAX_CORES = 8192;
/** Largest figure (bytes, rates, load): a zettabyte, so sums over any cluster stay finite. */
export const MAX_FIGURE = 1e21;
/** Largest `--column` value: columns are the user's arithmetic, so only far from overflowing. */
export const MAX_COLUMN_VALUE = 1e300;
/** Longest text of a tick (an error, a part's labels), in UTF-16 code units. */
export const MAX_TEXT = 4096;

export type Check = (x: number) => boolean;

export const RANGES = {
  /** A moment, in ms since 1970. */
  time: (x: number) => x >= 0 && x <= MAX_TIME_MS,
  /** A count (of bytes, samples, failures) or a node number. */
  count: (x: number) => Number.isSafeInteger(x) && x >= 0,
  /** A figure that cannot be below zero (a total, a rate, a load, an uptime). */
  amount: (x: number) => x >= 0 && x <= MAX_FIGURE,
  /** A figure that is a difference and so may be below zero (used = total - available). */
  difference: (x: number) => Math.abs(x) <= MAX_FIGURE,
  percent: (x: number) => x >= 0 && x <= 100,
  cores: (x: number) => x >= 0 && x <= MAX_CORES,
  column: (x: number) => Math.abs(x) <= MAX_COLUMN_VALUE,
} satisfies Record<string, Check>;

export const { time, count, amount, difference, percent, cores, column } = RANGES;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `x` when it is a number in range, else null: what the writer puts where a value does not fit. */
export const fit = (x: number | null, inRange: Check): number | null => (x !== null && Number.isFinite(x) && inRange(x) ? x : null);
/** A group of figures, each in its range; null (left out whole) when any is not. */
export function group(values: (number | null)[], ranges: readonly Check[]): (number | null)[] | null {
  return values.every((x, i) => fit(x, ranges[i]!) !== null) ? values : null;
}
/** A text cut to `max` (MAX_TEXT unless told), not inside a surrogate pair. */
export function text(s: string, max = MAX_TEXT): string {
  if (s.length <= max) return s;
  const end = /[\uD800-\uDBFF]/.test(s[max - 1]!) ? max - 1 : max;
  return s.slice(0, end);
}

export function fail(what: string): never {
  throw new FormatError(what);
}

export function num(x: unknown, what: string, inRange?: Check, integer = false): number {
  if (typeof x !== 'number') fail(`${what} is not a number`);
  if (integer && !Number.isInteger(x)) fail(`${what} is not a whole number (${x})`);
  if (inRange && !inRange(x)) fail(`${what} is out of range (${x})`);
  return x;
}

export function numOrNull(x: unknown, what: string, inRange: Check, integer = false): number | null {
  return x === null ? null : num(x, what, inRange, integer);
}

export function str(x: unknown, what: string, max = Infinity): string {
  if (typeof x !== 'string') fail(`${what} is not a string`);
  if (x.length > max) fail(`${what} is longer than ${max} characters`);
  return x;
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function tuple(x: unknown, length: number, what: string): unknown[] | null {
  if (x === null) return null;
  if (!Array.isArray(x) || x.length !== length) fail(`${what} is not an array of ${length}`);
  return x;
}

