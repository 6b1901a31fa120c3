/** Argument parsers for flags of every kind: each rejects a bad value with a message naming the flag. */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from './duration.js';

export function durationArg(flag: string, minMs: number) {
  return (text: string): number => {
    const ms = parseDuration(text);
    if (ms === null) throw new InvalidArgumentError(`${flag} takes a duration such as 500ms, 2s or 1m, not "${text}"`);
    if (ms < minMs) throw new InvalidArgumentError(`${flag} must be at least ${minMs}ms`);
    return ms;
  };
}

export function positiveIntArg(flag: string, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from 1 to ${max}, not "${text}"`);
    }
    return n;
  };
}

const SIZE = /^(\d+)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/i;
const SIZE_UNIT: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1e3, mb: 1e6, gb: 1e9 };

export function byteSizeArg(flag: string, minKiB: number, example: string) {
  return (text: string): number => {
    const m = SIZE.exec(text.trim());
    const n = m ? Number(m[1]) * (SIZE_UNIT[(m[2] ?? 'b').toLowerCase()] ?? NaN) : NaN;
    if (!Number.isFinite(n) || n < minKiB * 1024) throw new InvalidArgumentError(`${flag} takes a size of at least ${minKiB}KiB such as ${example}, not "${text}"`);
    return n;
  };
}

/** A repeatable flag: commander collects the values, in order. */
export function collect(text: string, previous: readonly string[]): string[] {
  return [...previous, text];
}
