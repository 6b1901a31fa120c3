import type { ClusterStore } from '../store/cluster-store.js';
import type { AppProps } from './app.js';
import type { AlertList } from '../alerts/monitor.js';
import { LineWriter } from './terminal/line-writer.js';
import { enterFullScreen, installExitHooks, installSuspend } from './terminal/terminal-session.js';
import { visible } from '../util/visible-text.js';
import { existsSync } from 'node:fs';

export interface InteractiveOptions {
  readonly store: ClusterStore;
  readonly intervalMs: number;
  readonly onIntervalChange?: (ms: number) => void;
  readonly color: boolean;
  /** Ask the terminal for wheel and click reports (see mouse.ts); default true. */
  readonly mouse?: boolean;
  /** The source's header line, asked again on every frame: a source's state moves while it runs. */
  readonly notice?: () => string | undefined;
  /** The moment shown, when not now (a replay's clock). */
  readonly now?: () => number;
  readonly onPause?: (paused: boolean) => void;
  readonly onSeek?: (deltaMs: number) => void;
  /** The alerts to show, evaluated elsewhere. */
  readonly alerts?: AlertList;
  /** What was said on stderr before the view took the screen. */
  readonly warnings?: readonly string[];
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
}

/**
 * ink reads CI / CONTINUOUS_INTEGRATION once, when first imported, and then draws nothing until
 * exit. Someone at a real terminal (tmux inside a CI job too) must see frames, so ink is imported
 * here, lazily, with those variables hidden for the import. (If something imported ink earlier,
 * its decision stands.)
 *
 * React picks its build from NODE_ENV when first imported, the development one when it is unset:
 * that build checks and records every render, which cost about 40 MB of RSS and 5 % of a core
 * drawing 1,000 nodes. So React is imported here too, with NODE_ENV=production unless it is set.
 *
 * The built program has all of it in one file (ui-modules.bundle.js, see ui-modules.ts), with
 * React's production build: that file is taken unless NODE_ENV names another build.
 */
export async function loadUi(terminal: boolean) {
  const hidden = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
  const saved = [...hidden, 'NODE_ENV'].map((name) => [name, process.env[name]] as const);
  if (terminal) for (const name of hidden) delete process.env[name];
  process.env.NODE_ENV ??= 'production';
  try {
    const bundled = process.env.NODE_ENV === 'production' && existsSync(BUNDLE);
    const ui = bundled ? ((await import(BUNDLE.href)) as UiModules) : await import('./ui-modules.js');
    return { createElement: ui.createElement, render: ui.render, App: ui.App };
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

type UiModules = typeof import('./ui-modules.js');
/** Written by the build next to ui-modules.js; absent when running the sources (tests, tsx). */
const BUNDLE = new URL('./ui-modules.bundle.js', import.meta.url);

/** Runs the full-screen UI until the user quits (q, Ctrl-C) or a signal asks it to stop. */
export async function runInteractive(options: InteractiveOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  if (!stdin.isTTY) throw new Error('the interactive view needs a terminal on stdin (use --once)');
  const { createElement, render, App } = await loadUi(stdout.isTTY === true);

  let intervalMs = options.intervalMs;
  // Frames are written by our own line writer, not by ink's cell grid: see line-writer.ts.
  const writer = new LineWriter(stdout);
  let instance: ReturnType<typeof render> | undefined;
  const quit = (): void => instance?.unmount();
  const element = () => {
    const props: AppProps = {
      store: options.store,
      intervalMs,
      onQuit: quit,
      color: options.color,
      ...(options.notice !== undefined ? { notice: options.notice } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
      ...(options.onPause !== undefined ? { onPause: options.onPause } : {}),
      ...(options.onSeek !== undefined ? { onSeek: options.onSeek } : {}),
      ...(options.alerts !== undefined ? { alerts: options.alerts } : {}),
      ...(options.warnings !== undefined ? { warnings: options.warnings } : {}),
      ...(options.onIntervalChange ? { onIntervalChange: changeInterval } : {}),
      onSuspend: () => jobControl.suspend(),
      writer,
    };
    return createElement(App, props);
  };
  const changeInterval = (ms: number): void => {
    intervalMs = ms;
    options.onIntervalChange?.(ms);
    instance?.rerender(element());
  };

  const mouse = options.mouse ?? true;
  let restore = enterFullScreen(stdout, stdin, mouse);
  const uninstall = installExitHooks(process, {
    quit,
    restore: () => restore(),
    teardown: quit,
    report: (line) => process.stderr.write(visible(line.replace(/\n$/, '')) + '\n'),
  });
  const jobControl = installSuspend(process, {
    leave: () => restore(),
    resume: () => {
      restore = enterFullScreen(stdout, stdin, mouse);
      // ink set raw mode once; the shell put the terminal back in line mode while we were stopped.
      if (stdin.isTTY) stdin.setRawMode(true);
      // The writer writes only what changed since its last frame, which the shell has drawn over.
      writer.invalidate();
      instance?.rerender(element());
    },
  });
  try {
    instance = render(element(), { stdout, stdin, exitOnCtrlC: false, patchConsole: false });
    await instance.waitUntilExit();
  } finally {
    jobControl.uninstall();
    uninstall();
    restore();
  }
}
