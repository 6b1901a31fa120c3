import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';
import { makeTempDir, removeTempDir } from './temp-dir-core.js';

export const TMUX = '/usr/bin/tmux';

/** What waitFor's check throws while the screen is not there yet; any other error is tmux's. */
const NOT_YET = new Error('the screen is not there yet');

/**
 * A tmux server of its own (its own socket, in a temporary folder of its own rather than
 * tmux's /tmp/tmux-UID, where a killed server leaves its socket file behind), so tests never touch
 * a user's sessions, with one window running `command` at a fixed size. The pane stays after the
 * command exits so its final state (alternate screen, cursor) can be read. `kill` stops the server
 * and removes the folder; nothing else does (without its socket the server could not be told to
 * stop), so a session never killed shows as a ct-tmux-* folder left behind.
 */
export class TmuxSession {
  private readonly dir = makeTempDir('tmux');
  private readonly socket = join(this.dir, 'socket');
  private readonly name = 'ct';

  constructor(command: string, size: { width: number; height: number }, env: Record<string, string | undefined> = {}) {
    const envArgs = Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : ['-e', `${k}=${v}`]));
    try {
      this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.name, '-x', String(size.width), '-y', String(size.height), ...envArgs, command);
      this.tmux('set-option', '-t', this.name, 'remain-on-exit', 'on');
    } catch (err) {
      this.kill();
      throw err;
    }
  }

  /** Resizes the window (the program sees SIGWINCH), as a user dragging the terminal does. */
  resize(width: number, height: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(width), '-y', String(height));
  }

  /** The visible screen as text, one line per row. */
  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** Keys as tmux names them: 'j', 'Enter', 'Down', 'Escape', 'q', 'C-c'. */
  send(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Bytes as typed, not key names: an escape sequence such as a mouse report reaches the program as it is. */
  sendLiteral(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** A tmux format of the pane, e.g. '#{pane_dead}', '#{alternate_on}', '#{cursor_flag}'. */
  pane(format: string): string {
    return this.tmux('display-message', '-p', '-t', this.name, format).trim();
  }

  /**
   * Polls the screen (vi.waitFor) until `predicate` holds, for at most `tries` polls `everyMs`
   * apart; returns the last screen either way, for the caller's assertion to show.
   */
  async waitFor(predicate: (screen: string) => boolean, tries = 100, everyMs = 100): Promise<string> {
    let screen = '';
    try {
      await vi.waitFor(
        () => {
          screen = this.capture();
          if (!predicate(screen)) throw NOT_YET;
        },
        { timeout: tries * everyMs, interval: everyMs },
      );
    } catch (err) {
      if (err !== NOT_YET) throw err;
    }
    return screen;
  }

  /** Any tmux command on this session's own server (`list-buffers`, `set-option`, ...); its output. */
  command(...args: string[]): string {
    return this.tmux(...args);
  }

  /** Stops the server (and what runs in it) and removes its socket's folder; again is no error. */
  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    removeTempDir(this.dir);
  }

  private tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-S', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  }
}
