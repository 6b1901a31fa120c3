/** `--replay <file>`, `--speed <x>` and `--at <time>`: a recording played back. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDuration } from '../../util/duration.js';

/** `--at`: a moment as an ISO time, or an offset from the recording's start (`+5m`). */
export interface ReplayAt {
  readonly text: string;
  readonly kind: 'time' | 'offset';
  readonly ms: number;
}

export interface ReplayFlags {
  readonly kind: 'replay';
  readonly path: string;
  /** Recorded seconds played per second. */
  readonly speed: number;
  readonly at?: ReplayAt;
}

/** As commander gives them. */
export interface RawReplayFlags {
  replay?: string;
  speed?: number;
  at?: ReplayAt;
}

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

export function addReplayFlags(program: Command): Command {
  return program
    // Recording a replay would only copy the file.
    .addOption(new Option('--replay <file>', 'play a recording back instead of scraping').conflicts('record'))
    .option('--speed <x>', 'with --replay: recorded seconds played per second (default: 1)', parseSpeed)
    .option('--at <time>', 'with --replay: the moment to show, an ISO time or an offset from the start such as +5m', parseAt);
}

/** What commander cannot say of these flags, as a usage message naming the flag; undefined when they fit. */
export function replayProblem(hasTargets: boolean, raw: RawReplayFlags): string | undefined {
  if (raw.speed !== undefined && raw.replay === undefined) return '--speed needs --replay';
  if (raw.at !== undefined && raw.replay === undefined) return '--at needs --replay';
  if (hasTargets && raw.replay !== undefined) return '--replay plays a recording: it takes no targets or --targets-file';
  return undefined;
}

export function replayFlags(raw: RawReplayFlags & { replay: string }): ReplayFlags {
  return { kind: 'replay', path: raw.replay, speed: raw.speed ?? 1, at: raw.at };
}
