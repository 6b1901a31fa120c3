import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TMUX = '/usr/bin/tmux';

/**
 * A tmux server of its own (its own socket), so tests never touch a user's sessions, with one
 * window running `command` at a fixed size. The pane stays after the command exits so its
 * final state (alternate screen, cursor) can be read.
 */
export class TmuxSession {
  // A socket path (-S) in a directory of its own, not a name (-L): tmux leaves its socket file
  // behind when the server ends, and a test leaves nothing in /tmp.
  private readonly dir = mkdtempSync(join(tmpdir(), 'ct-test-tmux-'));
  private readonly socket = join(this.dir, 'socket');
  private readonly name = 'ct';

  constructor(command: string, size: { width: number; height: number }, env: Record<string, string | undefined> = {}) {
    const envArgs = Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : ['-e', `${k}=${v}`]));
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.name, '-x', String(size.width), '-y', String(size.height), ...envArgs, command);
    this.tmux('set-option', '-t', this.name, 'remain-on-exit', 'on');
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

  /** Polls the screen until `predicate` holds; bounded in tries, returns the last screen either way. */
  async waitFor(predicate: (screen: string) => boolean, tries = 100, everyMs = 100): Promise<string> {
    let screen = '';
    for (let i = 0; i < tries; i++) {
      screen = this.capture();
      if (predicate(screen)) return screen;
      await new Promise((r) => setTimeout(r, everyMs));
    }
    return screen;
  }

  /** Any tmux command on this session's own server (`list-buffers`, `set-option`, ...); its output. */
  command(...args: string[]): string {
    return this.tmux(...args);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-S', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  }
}
