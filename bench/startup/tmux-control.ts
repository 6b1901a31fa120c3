/**
 * A tmux server of its own with one pane of a fixed size, watched through a control-mode client
 * (`tmux -C`): tmux tells the client the moment the pane writes anything (`%output`), and the
 * client then asks for the screen as drawn (`capture-pane`). So a frame is seen a capture's round
 * trip after it is written, without polling.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const TMUX = '/usr/bin/tmux';

interface Pending {
  resolve(lines: string[]): void;
  reject(error: Error): void;
}

export interface Watch {
  /** Ms from the pane's start to each predicate first holding on a captured screen; undefined: never, within the bound. */
  readonly ms: readonly (number | undefined)[];
  /** The last screen captured. */
  readonly screen: string;
}

export class TmuxControl {
  // A socket path of its own (-S) rather than a name (-L): tmux leaves its socket file behind, so it goes with this directory.
  private readonly dir = mkdtempSync(join(tmpdir(), 'ct-bench-tmux-'));
  private readonly socket = join(this.dir, 'socket');
  private readonly client: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  private block: string[] | undefined;
  private buffered = '';
  private outputSeen = 0;
  private onOutput: (() => void) | undefined;
  /** tmux's reason when it ends the control client (`%exit too far behind`, say). */
  private exitLine: string | undefined;

  constructor(size: { width: number; height: number }) {
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'ct', '-x', String(size.width), '-y', String(size.height), 'sleep 600');
    this.tmux('set-option', '-g', 'window-size', 'manual');
    this.tmux('set-option', '-g', 'remain-on-exit', 'on');
    this.client = spawn(TMUX, ['-S', this.socket, '-C', 'attach-session', '-t', 'ct'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.client.stdout.setEncoding('utf8');
    this.client.stdout.on('data', (text: string) => this.read(text));
    this.client.on('exit', () => {
      const why = this.exitLine ?? 'no %exit line';
      for (const p of this.pending.splice(0)) p.reject(new Error(`the tmux control client exited (${why})`));
    });
  }

  /**
   * Starts `command` in the pane (replacing what ran there) and captures the screen after each
   * burst of output until every predicate has held or `boundMs` has passed.
   */
  async watch(command: string, predicates: readonly ((screen: string) => boolean)[], boundMs: number): Promise<Watch> {
    const ms: (number | undefined)[] = predicates.map(() => undefined);
    let screen = '';
    let wake: () => void = () => {};
    this.onOutput = () => wake();
    const seenBefore = this.outputSeen;
    const t0 = performance.now();
    // The pane's terminal state outlives its program (a mode a program left set): reset it first (RIS).
    await this.command(`respawn-pane -k -t ct ${quote(`printf "\\033c"; ${command}`)}`);
    let captured = seenBefore;
    while (ms.includes(undefined) && performance.now() - t0 < boundMs) {
      if (this.outputSeen === captured) {
        // Wait for output, or a tick now and then: a screen may hold without new output.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 50);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = () => {};
      }
      captured = this.outputSeen;
      screen = (await this.command('capture-pane -p -t ct')).join('\n');
      const at = performance.now() - t0;
      predicates.forEach((holds, i) => {
        if (ms[i] === undefined && holds(screen)) ms[i] = at;
      });
    }
    this.onOutput = undefined;
    return { ms, screen };
  }

  /** Keys as tmux names them, to the pane. */
  async send(...keys: string[]): Promise<void> {
    await this.command(`send-keys -t ct ${keys.map(quote).join(' ')}`);
  }

  /** Whether the pane's program has exited, within `boundMs`. */
  async waitDead(boundMs: number): Promise<boolean> {
    const t0 = performance.now();
    while (performance.now() - t0 < boundMs) {
      if ((await this.command("display-message -p -t ct '#{pane_dead}'")).join('').trim() === '1') return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  close(): void {
    this.client.stdin.end();
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private command(line: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.client.stdin.write(`${line}\n`);
    });
  }

  private read(text: string): void {
    this.buffered += text;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (this.block !== undefined) {
      // A block's end names the same command number and flags as its %begin.
      if (/^%(end|error) \d+ \d+ \d+$/.test(line)) {
        const lines = this.block;
        const failed = line.startsWith('%error');
        const fromUs = line.endsWith(' 1');
        this.block = undefined;
        if (!fromUs) return; // the attach's own reply
        const p = this.pending.shift();
        if (failed) p?.reject(new Error(`tmux: ${lines.join(' ')}`));
        else p?.resolve(lines);
        return;
      }
      this.block.push(line);
      return;
    }
    if (line.startsWith('%exit')) this.exitLine = line;
    if (/^%begin \d+ \d+ \d+$/.test(line)) this.block = [];
    else if (line.startsWith('%output ')) {
      this.outputSeen++;
      this.onOutput?.();
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-S', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  }
}

/** A tmux command-line argument in single quotes (tmux's own syntax: no quote may be inside). */
function quote(arg: string): string {
  if (arg.includes("'")) throw new Error(`no single quotes in a tmux argument: ${arg}`);
  return `'${arg}'`;
}
