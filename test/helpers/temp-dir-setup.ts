/**
 * A vitest setup file (vitest.config.ts): after each test file, removes the folders that
 * test/helpers/temp-dir.ts `tempDir` made outside a test (beforeAll, module scope).
 */
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir-core.js';

afterAll(removeTempDirs);
