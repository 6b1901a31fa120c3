import { describe, expect, it, vi } from 'vitest';
import { runInteractive } from '../../src/ui/run-interactive.js';
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, SHOW_CURSOR } from '../../src/ui/terminal/terminal-session.js';
import { buildStore, tick, WAIT } from './fixtures.js';
import { FakeStdin, FakeStdout } from './fake-terminal.js';

function start(onIntervalChange?: (ms: number) => void) {
  const stdout = new FakeStdout(100, 30);
  const stdin = new FakeStdin();
  const done = runInteractive({
    store: buildStore(),
    intervalMs: 2000,
    color: false,
    ...(onIntervalChange ? { onIntervalChange } : {}),
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
  });
  return { stdout, stdin, done, output: () => stdout.frames.join('') };
}

const listenerCounts = () => ['SIGTERM', 'SIGINT', 'SIGHUP', 'uncaughtException', 'unhandledRejection', 'exit'].map((e) => process.listenerCount(e));

describe('runInteractive', () => {
  for (const [name, key] of [['q', 'q'], ['Ctrl-C', '\u0003']] as const) {
    it(`resolves on ${name} with the terminal restored and raw mode off`, async () => {
      const { stdin, done, output } = start();
      // ink is loaded lazily: keys only count once it reads the terminal.
      await expect.poll(() => stdin.isRaw, WAIT).toBe(true);
      expect(output().startsWith(ENTER_ALT_SCREEN)).toBe(true);
      expect(output()).toContain('NODE▲');
      stdin.write(key);
      await done;
      expect(output().endsWith(SHOW_CURSOR + LEAVE_ALT_SCREEN)).toBe(true);
      expect(stdin.isRaw).toBe(false);
    });
  }

  it('leaves no process listener of its own behind', async () => {
    const run = async (): Promise<void> => {
      const { stdin, done } = start();
      await expect.poll(() => stdin.isRaw, WAIT).toBe(true);
      stdin.write('q');
      await done;
    };
    // The first run may leave ink's one-time, process-wide cursor-restore hook; count after it.
    await run();
    const before = listenerCounts();
    await run();
    expect(listenerCounts()).toEqual(before);
  });

  it('passes interval changes on and keeps quitting afterwards', async () => {
    const onIntervalChange = vi.fn();
    const { stdin, done, output } = start(onIntervalChange);
    await expect.poll(() => stdin.isRaw, WAIT).toBe(true);
    stdin.write('+');
    await tick();
    stdin.write('+');
    await tick();
    await expect.poll(output, WAIT).toContain('every 10s');
    stdin.write('q');
    await done;
    expect(onIntervalChange.mock.calls).toEqual([[5000], [10_000]]);
  });

  it('refuses to start without a terminal on stdin, leaving the screen alone', async () => {
    const stdout = new FakeStdout(80, 24);
    const stdin = new FakeStdin();
    stdin.isTTY = false;
    await expect(
      runInteractive({ store: buildStore(), intervalMs: 1000, color: false, stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream }),
    ).rejects.toThrow(/terminal/);
    expect(stdout.frames).toEqual([]);
  });
});
