/**
 * Hostile text for the tests of issue #13 (text from the network must never drive the terminal):
 * the strings every source is fed, the checks every output must pass, and ways to run the program
 * in-process: `main` for the `--once` table and `-o json`, and the source `main` would build, for
 * the interactive view.
 */
import { buildProgram, cliOptions, type CliOptions } from '../../src/cli/options.js';
import { buildSource, main, type MainIo } from '../../src/cli/main.js';
import type { Source } from '../../src/sources/source.js';
import { hasUnsafe, visible } from '../../src/util/visible-text.js';

/**
 * What a terminal would obey: window titles, the clipboard (OSC 52), colours, a newline that forges
 * a row of the table, a one-byte CSI (U+009B), a right-to-left override that shows `gnp.exe` as
 * `exe.png`, an invisible zero-width space, tab, carriage return and DEL.
 */
export const HOSTILE = {
  oscTitle: '\u001b]0;pwned\u0007',
  osc52: '\u001b]52;c;cHduZWQ=\u0007',
  sgr: '\u001b[31m',
  forgedRow: 'evil\nFAKE-ROW   up   0.0%',
  csi: '\u009b',
  bidi: 'admin\u202Egnp.exe',
  zeroWidth: '\u200b',
  tab: '\t',
  cr: '\r',
  del: '\u007f',
} as const;

export type HostileName = keyof typeof HOSTILE;
export const HOSTILE_NAMES = Object.keys(HOSTILE) as HostileName[];

/** Where a program's text ends up; `store` is what the store holds once the source has collected. */
export type Channel = 'store' | 'table' | 'json' | 'stderr' | 'frames';

/**
 * A string fed to a source, and the outputs that must show it in its visible form (as
 * util/visible-text.ts writes it); `as` when an output shows it otherwise (a column title is upper case).
 */
export interface Probe {
  readonly text: string;
  readonly in: readonly Channel[];
  readonly as?: Partial<Record<Channel, string>>;
}

export function expectedForm(probe: Probe, channel: Channel): string {
  return probe.as?.[channel] ?? visible(probe.text);
}

/** The characters visible() replaces (as util/visible-text.ts lists them), for messages. */
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function codes(text: string): string {
  return [...text.matchAll(UNSAFE_ALL)].map((m) => `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`).join(' ');
}

/**
 * The lines of screen text (a frame, the table, stderr) that hold an unsafe character: any of the
 * set but the newline that separates the lines. Each as `line N: U+001B …: the line`.
 */
export function unsafeLines(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (hasUnsafe(line)) found.push(`line ${i + 1}: ${codes(line)}: ${JSON.stringify(line)}`);
  });
  return found;
}

/** Every string in a parsed JSON value, object keys included. */
export function jsonStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      out.push(key);
      jsonStrings(v, out);
    }
  }
  return out;
}

/** The UI's own colour, bold, dim and inverse sequences, which are the only escapes a colour frame may hold. */
export const UI_SGR = /\u001b\[[0-9;]*m/g;

/** A stdout or stderr stand-in that keeps what is written; not a terminal. */
export class Capture {
  text = '';
  readonly isTTY = false;
  write = (chunk: string | Uint8Array): boolean => {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
}

export interface Captured {
  readonly stdout: Capture;
  readonly stderr: Capture;
  readonly io: MainIo;
}

export function capture(): Captured {
  const stdout = new Capture();
  const stderr = new Capture();
  // Only write() and isTTY are used by main(); the streams' other members are never reached.
  return { stdout, stderr, io: { stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WritableStream, env: {} } };
}

export interface MainRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `cluster-top <args>` in this process, its output captured. */
export async function runMain(args: readonly string[]): Promise<MainRun> {
  const { io, stdout, stderr } = capture();
  const code = await main(['node', 'cluster-top', ...args], io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The options and the source `main` would build from `args` (as main parses them), its lines to `io`. */
export async function sourceFrom(args: readonly string[], io: MainIo): Promise<{ options: CliOptions; source: Source }> {
  const program = buildProgram().exitOverride();
  program.parse(['node', 'cluster-top', ...args]);
  const options = cliOptions(program, io.env);
  return { options, source: await buildSource(options, io) };
}
