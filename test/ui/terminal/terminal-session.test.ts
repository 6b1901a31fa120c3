import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  ENTER_ALT_SCREEN,
  EXIT_CRASH,
  HIDE_CURSOR,
  LEAVE_ALT_SCREEN,
  SHOW_CURSOR,
  enterFullScreen,
  installExitHooks,
  type ProcessLike,
} from '../../../src/ui/terminal/terminal-session.js';
import { WRAP_ON } from '../../../src/ui/terminal/line-writer.js';
import { DISABLE_MOUSE, ENABLE_MOUSE } from '../../../src/ui/input/mouse.js';
import { FakeStdin, FakeStdout } from '../fake-terminal.js';

class FakeProcess extends EventEmitter implements ProcessLike {
  readonly exit = vi.fn();
}

describe('enterFullScreen', () => {
  it('enters the alternate screen with a hidden cursor and restores once, raw mode off', () => {
    const stdout = new FakeStdout(80, 24);
    const stdin = new FakeStdin();
    const restore = enterFullScreen(stdout, stdin);
    expect(stdout.frames.join('')).toContain(ENTER_ALT_SCREEN + HIDE_CURSOR);
    stdin.setRawMode(true);
    restore();
    restore();
    const restores = stdout.frames.filter((f) => f === WRAP_ON + SHOW_CURSOR + LEAVE_ALT_SCREEN);
    expect(restores).toHaveLength(1);
    expect(stdin.isRaw).toBe(false);
  });

  it('with the mouse, asks for its reports and stops them on the way back', () => {
    const stdout = new FakeStdout(80, 24);
    const restore = enterFullScreen(stdout, new FakeStdin(), true);
    expect(stdout.frames.join('')).toMatch(new RegExp(`^${escape(ENTER_ALT_SCREEN)}.*${escape(ENABLE_MOUSE)}$`));
    restore();
    restore();
    expect(stdout.frames.filter((f) => f === DISABLE_MOUSE + WRAP_ON + SHOW_CURSOR + LEAVE_ALT_SCREEN)).toHaveLength(1);
    const without = new FakeStdout(80, 24);
    enterFullScreen(without, new FakeStdin())();
    expect(without.frames.join('')).not.toContain(ENABLE_MOUSE);
    expect(without.frames.join('')).not.toContain(DISABLE_MOUSE);
  });

  it('does not throw when the terminal is gone', () => {
    const restore = enterFullScreen({ write: vi.fn() }, {});
    const broken = enterFullScreen({ write: () => undefined }, { isTTY: true, isRaw: true, setRawMode: () => { throw new Error('EBADF'); } });
    expect(() => {
      restore();
      broken();
    }).not.toThrow();
  });
});

describe('installExitHooks', () => {
  function setup() {
    const proc = new FakeProcess();
    const handlers = { quit: vi.fn(), restore: vi.fn(), report: vi.fn(), teardown: vi.fn() };
    const uninstall = installExitHooks(proc, handlers);
    return { proc, handlers, uninstall };
  }

  it('quits on SIGTERM, SIGINT and SIGHUP; a second signal restores and exits', () => {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
      const { proc, handlers } = setup();
      proc.emit(signal);
      expect(handlers.quit).toHaveBeenCalledTimes(1);
      expect(proc.exit).not.toHaveBeenCalled();
      proc.emit(signal);
      expect(handlers.restore).toHaveBeenCalled();
      expect(proc.exit).toHaveBeenCalledWith(expect.any(Number));
      expect(proc.exit.mock.calls[0]?.[0]).toBeGreaterThan(128);
    }
  });

  it('on an uncaught exception or unhandled rejection: tears down, restores, one line, non-zero exit', () => {
    for (const event of ['uncaughtException', 'unhandledRejection']) {
      const { proc, handlers } = setup();
      proc.emit(event, new Error('boom\n  at somewhere'));
      expect(handlers.teardown).toHaveBeenCalled();
      expect(handlers.restore).toHaveBeenCalled();
      expect(handlers.teardown.mock.invocationCallOrder[0]).toBeLessThan(handlers.restore.mock.invocationCallOrder[0] ?? 0);
      expect(handlers.report).toHaveBeenCalledWith('cluster-top: boom at somewhere\n');
      expect(proc.exit).toHaveBeenCalledWith(EXIT_CRASH);
    }
  });

  it('still restores when the teardown itself throws', () => {
    const { proc, handlers } = setup();
    handlers.teardown.mockImplementation(() => {
      throw new Error('unmount failed');
    });
    proc.emit('unhandledRejection', 'plain reason');
    expect(handlers.restore).toHaveBeenCalled();
    expect(handlers.report).toHaveBeenCalledWith('cluster-top: plain reason\n');
  });

  it('restores on process exit, and removes every listener when uninstalled', () => {
    const { proc, handlers, uninstall } = setup();
    proc.emit('exit', 0);
    expect(handlers.restore).toHaveBeenCalledTimes(1);
    uninstall();
    for (const event of ['SIGTERM', 'SIGINT', 'SIGHUP', 'uncaughtException', 'unhandledRejection', 'exit']) {
      expect(proc.listenerCount(event)).toBe(0);
    }
  });
});

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
