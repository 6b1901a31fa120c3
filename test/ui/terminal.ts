/**
 * ink-testing-library's terminal is always 100 columns with no row count; this is the same kind
 * of fake with a chosen size (and resizable), for frame-size tests of the whole App.
 */
import { FakeStdin, FakeStdout } from './fake-terminal.js';
import type { ReactElement } from 'react';
import { render } from 'ink';

export interface SizedRender {
  readonly stdout: FakeStdout;
  readonly stdin: FakeStdin;
  readonly lastFrame: () => string | undefined;
  readonly unmount: () => void;
}

/** Renders like ink-testing-library (debug mode: every frame written whole) at a given size. */
export function renderSized(tree: ReactElement, columns: number, rows: number): SizedRender {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { stdout, stdin, lastFrame: stdout.lastFrame, unmount: () => instance.unmount() };
}
