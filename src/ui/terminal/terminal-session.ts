/** Full-screen terminal state and the hooks that give it back on every way out of the process. */
import { DISABLE_MOUSE, ENABLE_MOUSE } from '../input/mouse.js';
import { EXIT_INTERNAL } from '../../util/errors.js';
import { WRAP_ON } from './line-writer.js';

export const ENTER_ALT_SCREEN = '\u001B[?1049h';
export const LEAVE_ALT_SCREEN = '\u001B[?1049l';
export const HIDE_CURSOR = '\u001B[?25l';
export const SHOW_CURSOR = '\u001B[?25h';
const CLEAR_HOME = '\u001B[2J\u001B[H';

interface Writable {
  write(chunk: string): unknown;
}

interface MaybeRawInput {
  readonly isTTY?: boolean;
  readonly isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/**
 * Switches to the alternate screen with the cursor hidden (the user's scrollback stays as it was),
 * with `mouse` asks for the mouse's reports (mouse.ts), and returns the way back: idempotent, synchronous and never throwing, so it is safe to call
 * from an 'exit' handler or after a crash.
 */
export function enterFullScreen(stdout: Writable, stdin: MaybeRawInput, mouse = false): () => void {
  stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_HOME + (mouse ? ENABLE_MOUSE : ''));
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    try {
      // ink turns raw mode off when it unmounts; a crash may never get there.
      if (stdin.isTTY && stdin.isRaw) stdin.setRawMode?.(false);
    } catch {
      // The terminal may already be gone; nothing left to restore on it.
    }
    try {
      // Autowrap too: the line writer turns it off while it draws, and a crash may stop it there.
      stdout.write((mouse ? DISABLE_MOUSE : '') + WRAP_ON + SHOW_CURSOR + LEAVE_ALT_SCREEN);
    } catch {
      // Same: a closed stdout has no screen to give back.
    }
  };
}

/** What installExitHooks needs of `process`, so tests can pass a stand-in. */
export interface ProcessLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code?: number): unknown;
}

export interface ExitHandlers {
  /** A signal asked us to stop: leave as after `q`. */
  readonly quit: () => void;
  /** Undo the terminal changes; must be idempotent. */
  readonly restore: () => void;
  /** Last words before exiting on an error: one line. */
  readonly report: (line: string) => void;
  /** Tear the UI down before the terminal is restored (unmount); failures are ignored. */
  readonly teardown?: () => void;
}

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The exit code for an internal error, as the command line uses. */
export const EXIT_CRASH = EXIT_INTERNAL;

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}

/**
 * Signals quit the UI (a second one exits at once, in case the first quit hangs); an uncaught
 * exception or unhandled rejection restores the terminal, prints one line and exits non-zero; and
 * process exit restores the terminal whatever happened. Returns the uninstaller.
 */
export function installExitHooks(proc: ProcessLike, handlers: ExitHandlers): () => void {
  let signalled = false;
  const listeners: [string, (...args: unknown[]) => void][] = [];
  for (const signal of Object.keys(SIGNAL_EXIT)) {
    listeners.push([
      signal,
      () => {
        if (signalled) {
          handlers.restore();
          proc.exit(SIGNAL_EXIT[signal]);
          return;
        }
        signalled = true;
        handlers.quit();
      },
    ]);
  }
  const crash = (error: unknown): void => {
    try {
      handlers.teardown?.();
    } catch {
      // The UI is what failed; the terminal still has to be given back.
    }
    handlers.restore();
    handlers.report(`cluster-top: ${oneLine(error)}\n`);
    proc.exit(EXIT_CRASH);
  };
  listeners.push(['uncaughtException', crash], ['unhandledRejection', crash], ['exit', () => handlers.restore()]);
  for (const [event, listener] of listeners) proc.on(event, listener);
  return () => {
    for (const [event, listener] of listeners) proc.off(event, listener);
  };
}

/** What installSuspend needs of `process`. */
export interface SuspendProcess {
  readonly pid: number;
  on(event: 'SIGTSTP', listener: () => void): unknown;
  off(event: 'SIGTSTP', listener: () => void): unknown;
  once(event: 'SIGCONT', listener: () => void): unknown;
  kill(pid: number, signal: 'SIGSTOP'): unknown;
}

export interface SuspendHandlers {
  /** Give the terminal back as on exit (cooked mode, main screen, cursor, no mouse reports). */
  readonly leave: () => void;
  /** Take it again and draw a whole frame. */
  readonly resume: () => void;
}

/**
 * Job control as btop, less and vim do it: Ctrl-Z (read as a key in raw mode, so the app calls
 * `suspend`) or a SIGTSTP from outside gives the terminal back and stops the process with
 * SIGSTOP, which cannot be caught; `fg` sends SIGCONT, and the terminal is taken again.
 */
export function installSuspend(proc: SuspendProcess, handlers: SuspendHandlers): { suspend: () => void; uninstall: () => void } {
  let stopped = false;
  const resume = (): void => {
    if (!stopped) return;
    stopped = false;
    handlers.resume();
  };
  const suspend = (): void => {
    if (stopped) return;
    stopped = true;
    handlers.leave();
    proc.once('SIGCONT', resume);
    proc.kill(proc.pid, 'SIGSTOP');
    // The process stops within that call and goes on from here once continued (fg): the terminal
    // is taken at once. Waiting for the SIGCONT event instead let a timer that came due meanwhile
    // (a frame, ink's throttled write) run first and draw on the shell's screen; the event then
    // finds nothing left to do.
    resume();
  };
  proc.on('SIGTSTP', suspend);
  return { suspend, uninstall: () => proc.off('SIGTSTP', suspend) };
}
