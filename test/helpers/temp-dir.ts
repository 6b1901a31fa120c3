/**
 * Temporary folders that the tests leave nothing of. Every folder is made under os.tmpdir() (which
 * follows $TMPDIR) with a name starting `ct-`, so .ci/run can name any that were left behind.
 *
 * - `test` / `it`: vitest's, with a `tmp` fixture: `it('...', ({ tmp }) => ...)` gets a fresh
 *   folder `ct-<test file name>-XXXXXX`, removed when the test is over, passed or failed.
 *   (`it.each` passes no context; `it.for` does, as its second argument.)
 * - `tempDir(name)`: a folder `ct-<name>-XXXXXX` made anywhere: in a test or a beforeEach it is
 *   removed when the test is over, in a beforeAll, at module scope or in a helper called from
 *   them, when the file's tests are over (the setup file temp-dir-setup.ts, named in
 *   vitest.config.ts, removes them after all).
 * - `fileTempDir(name)`: the same, but removed when the file's tests are over even if made in a
 *   test: for a server's folder, when the server may outlive the test that started it.
 * - `removeTempDir(dir)`: removes one now (a helper's stop() after its server exited).
 */
import { basename } from 'node:path';
import { test as base } from 'vitest';
import { makeTempDir, removeTempDir } from './temp-dir-core.js';

export { TEMP_PREFIX, fileTempDir, removeTempDir, tempDir } from './temp-dir-core.js';

/** vitest's `test` with `tmp`: a folder of the test's own, named after its file, removed after it. */
export const test = base.extend<{ tmp: string }>({
  tmp: async ({ task }, use) => {
    const dir = makeTempDir(basename(task.file.name).replace(/\.test\.tsx?$/, ''));
    try {
      await use(dir);
    } finally {
      removeTempDir(dir);
    }
  },
});

export const it = test;
