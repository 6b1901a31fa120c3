/**
 * A vitest setup file (vitest.config.ts): after each test file, after the file's own hooks, removes
 * the folders still there that test/helpers/temp-dir.ts `tempDir` made outside a test (beforeAll,
 * module scope) and `fileTempDir` made anywhere.
 */
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir-core.js';

afterAll(removeTempDirs);
