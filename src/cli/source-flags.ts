/** The flags that pick a source other than scraping targets: --demo, --replay, and --record. */
import { InvalidArgumentError } from 'commander';
import type { ReplayAt } from '../sources/replay/replay-source.js';
import { parseDuration } from '../util/duration.js';

export interface SourceFlags {
  readonly demo?: { readonly nodes: number; readonly seed: number };
  readonly record?: { readonly path: string; readonly maxBytes: number };
  readonly replay?: { readonly path: string; readonly speed: number; readonly at?: ReplayAt };
}

/** As commander gives them: `--demo` alone is `true`. */
export interface RawSourceFlags {
  demo?: number | true;
  seed?: number;
  record?: string;
  recordMaxSize?: number;
  replay?: string;
  speed?: number;
  at?: ReplayAt;
}

export const DEMO_NODES = 24;
export const RECORD_MAX_BYTES = 100 * 1024 ** 2;

export function parseSpeed(text: string): number {
  const x = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(x > 0) || x > 1000) {
    throw new InvalidArgumentError(`--speed takes a number above 0 and at most 1000, such as 10, not "${text}"`);
  }
  return x;
}

/** An ISO time (`2026-11-21T05:03:00Z`) or an offset from the recording's start (`+5m`). */
export function parseAt(text: string): ReplayAt {
  const t = text.trim();
  const offset = t.startsWith('+') ? parseDuration(t.slice(1)) : null;
  if (offset !== null) return { text: t, kind: 'offset', ms: offset };
  const ms = /^\d{4}-\d\d-\d\d/.test(t) ? Date.parse(t) : NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`--at takes an ISO time or an offset such as +5m, not "${text}"`);
  return { text: t, kind: 'time', ms };
}

/** The first pair of flags that cannot go together, as a message; undefined when all fit. */
export function sourceFlagConflict(hasTargets: boolean, raw: RawSourceFlags): string | undefined {
  const needs: [keyof RawSourceFlags, string, keyof RawSourceFlags][] = [
    ['seed', '--seed', 'demo'],
    ['speed', '--speed', 'replay'],
    ['at', '--at', 'replay'],
    ['recordMaxSize', '--record-max-size', 'record'],
  ];
  for (const [flag, name, needed] of needs) {
    if (raw[flag] !== undefined && raw[needed] === undefined) return `${name} needs --${needed}`;
  }
  if (raw.replay !== undefined && raw.demo !== undefined) return '--replay and --demo cannot be used together';
  if (raw.replay !== undefined && raw.record !== undefined) return '--replay and --record cannot be used together';
  if (hasTargets && raw.demo !== undefined) return '--demo watches simulated nodes: it takes no targets or --targets-file';
  if (hasTargets && raw.replay !== undefined) return '--replay plays a recording: it takes no targets or --targets-file';
  return undefined;
}

export function sourceFlags(raw: RawSourceFlags): SourceFlags {
  return {
    demo: raw.demo === undefined ? undefined : { nodes: raw.demo === true ? DEMO_NODES : raw.demo, seed: raw.seed ?? 1 },
    record: raw.record === undefined ? undefined : { path: raw.record, maxBytes: raw.recordMaxSize ?? RECORD_MAX_BYTES },
    replay: raw.replay === undefined ? undefined : { path: raw.replay, speed: raw.speed ?? 1, at: raw.at },
  };
}
