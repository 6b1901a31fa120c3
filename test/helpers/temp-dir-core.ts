/**
 * The part of test/helpers/temp-dir.ts that works outside vitest too: the benchmarks run
 * test/helpers/tmux.ts and prometheus-server.ts under plain node, where no test runner is there
 * to extend `test` or to remove folders after a test (they remove their folders themselves).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** What every test folder's name starts with: .ci/run fails if one is left behind. */
export const TEMP_PREFIX = 'ct-';

const pending = new Set<string>();

/** A new folder `$TMPDIR/ct-<name>-XXXXXX`, not registered for removal. */
export function makeTempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${name}-`));
}

/** Removes a folder and whatever is in it; one already gone is no error. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  pending.delete(dir);
}

/**
 * A new folder `$TMPDIR/ct-<name>-XXXXXX`, removed when the running test is over (made in a test
 * or a beforeEach), or else when the file's tests are over (made in a beforeAll, at module scope,
 * or in a helper called from them: the setup file test/helpers/temp-dir-setup.ts calls
 * `removeTempDirs` after all). Outside vitest nothing removes it but `removeTempDir`.
 */
export function tempDir(name: string): string {
  const dir = makeTempDir(name);
  pending.add(dir);
  try {
    onTestFinished(() => removeTempDir(dir));
  } catch {
    // Not inside a test (beforeAll, module scope, or not under vitest at all).
  }
  return dir;
}

/**
 * A new folder `$TMPDIR/ct-<name>-XXXXXX` for a server that may outlive the test that started it
 * (one started in a test and stopped in an afterAll): removed when the file's tests are over,
 * after every hook of the file, wherever it was made. The server's stop() should remove it sooner.
 */
export function fileTempDir(name: string): string {
  const dir = makeTempDir(name);
  pending.add(dir);
  return dir;
}

/** Removes every folder `tempDir` and `fileTempDir` made that is still there. */
export function removeTempDirs(): void {
  for (const dir of [...pending]) removeTempDir(dir);
}
