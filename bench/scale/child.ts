/**
 * A child process that speaks JSON lines on stdout, stopped by its own pid on every path.
 * Its stdin stays an open pipe: the benchmark's children stop when it closes, so they do not
 * outlive a benchmark that dies.
 */
import { spawn, type ChildProcessWithoutNullStreams, type SpawnOptionsWithoutStdio } from 'node:child_process';
import { killIfAlive } from './proc.js';

const STOP_GRACE_MS = 10_000;

export class JsonLinesChild<Line> {
  readonly pid: number;
  /** Every line received so far, in order. */
  readonly lines: Line[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<void>;
  private partial = '';
  private stderrTail = '';
  private waiters: (() => void)[] = [];

  constructor(command: string, args: readonly string[], options: SpawnOptionsWithoutStdio = {}) {
    this.child = spawn(command, args, options);
    if (this.child.pid === undefined) throw new Error(`cannot start ${command}`);
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    void this.exited.then(() => this.wake());
    this.child.stderr.on('data', (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString()).slice(-4000)));
    this.child.stdout.on('data', (d: Buffer) => this.receive(d.toString()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once `done(lines)` holds; rejects when the child exits first or time runs out. */
  async waitUntil(done: (lines: readonly Line[]) => boolean, timeoutMs: number): Promise<readonly Line[]> {
    const deadline = performance.now() + timeoutMs;
    while (!done(this.lines)) {
      if (!this.running) throw new Error(`child ${this.pid} exited: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`child ${this.pid}: no awaited output within ${timeoutMs} ms (${this.lines.length} lines)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.lines;
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace time. */
  async stop(): Promise<void> {
    if (!this.running) return;
    killIfAlive(this.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (this.running) killIfAlive(this.pid, 'SIGKILL');
    }, STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private receive(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') this.lines.push(JSON.parse(part) as Line);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
