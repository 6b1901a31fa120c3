/**
 * The interactive UI as a user runs it: the built binary in a real pseudo terminal (tmux, 120x40),
 * drawing 1,000 nodes. Its CPU and RSS come from /proc for the node process alone. CI is removed
 * from its environment, as ink draws only the last frame when CI is set.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../../test/helpers/run-cli.js';
import { TmuxSession } from '../../test/helpers/tmux.js';
import { killIfAlive, sampleProc, sleep, Span, type ProcSample, type SpanFigures } from './proc.js';

const SIZE = { width: 120, height: 40 };
/** Polls of the screen (every 100 ms) until every node that can be up is. */
const FIRST_SCREEN_TRIES = 300;

export interface UiRunOptions {
  readonly targetsFile: string;
  readonly intervalMs: number;
  /** Nodes that should show as up: all but the simulator's down and slow ones. */
  readonly expectUp: number;
  readonly simulatorPid: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  /** Called with a /proc sample every `everyMs` of the measured span (the soak's RSS curve). */
  readonly onSample?: (sample: ProcSample) => void;
  readonly everyMs?: number;
}

export interface UiFigures extends SpanFigures {
  /** The header's "up" count when the measured span ended. */
  readonly upAtEnd: number;
}

export async function runUi(o: UiRunOptions): Promise<UiFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ct-bench-ui-'));
  const pidFile = join(dir, 'pid');
  // The inner shell writes its pid, then execs the program: that pid is the node process's.
  const inner = `echo \\$\\$ > ${pidFile}; exec env -u CI -u CONTINUOUS_INTEGRATION ${process.execPath} ${BIN} -f ${o.targetsFile} -i ${o.intervalMs}ms`;
  const tmux = new TmuxSession(`sh -c "${inner}"`, SIZE);
  let pid: number | undefined;
  try {
    const screen = await firstScreen(tmux, o.expectUp);
    pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (upCount(screen) < o.expectUp) throw new Error(`the UI showed ${upCount(screen)}/${o.expectUp} nodes up: ${screen.split('\n')[0] ?? ''}`);
    await sleep(o.warmupMs);
    const span = new Span(pid, o.simulatorPid);
    const every = o.everyMs ?? o.measureMs;
    for (let spent = 0; spent < o.measureMs; spent += every) {
      await sleep(Math.min(every, o.measureMs - spent));
      o.onSample?.(sampleProc(pid));
    }
    return { ...span.end(), upAtEnd: upCount(tmux.capture()) };
  } finally {
    if (pid !== undefined) await quit(tmux, pid);
    tmux.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The screen once `expectUp` nodes show as up, or the last one seen after FIRST_SCREEN_TRIES
 * polls. Not TmuxSession.waitFor: that is built on vi.waitFor, which needs the vitest runner.
 */
async function firstScreen(tmux: TmuxSession, expectUp: number): Promise<string> {
  let screen = tmux.capture();
  for (let i = 1; i < FIRST_SCREEN_TRIES && upCount(screen) < expectUp; i++) {
    await sleep(100);
    screen = tmux.capture();
  }
  return screen;
}

/** q, as a user quits; SIGKILL if the process is still there 5 s later. */
async function quit(tmux: TmuxSession, pid: number): Promise<void> {
  try {
    tmux.send('q');
  } catch {
    // The pane is gone, and the program with it.
  }
  for (let i = 0; i < 50 && existsSync(`/proc/${pid}`); i++) await sleep(100);
  if (existsSync(`/proc/${pid}`)) killIfAlive(pid, 'SIGKILL');
}

/** The header's "12/13 up", or 0 before the first frame. */
function upCount(screen: string): number {
  const match = /\b(\d+)\/\d+ up\b/.exec(screen);
  return match === null ? 0 : Number(match[1]);
}
