import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, onTestFinished } from 'vitest';
import { fileTempDir, removeTempDir, tempDir, test } from './temp-dir.js';

let fromBeforeAll: string;
let fromFirstTest: string;
let fromFixture: string;
let fromFileTempDir: string;

beforeAll(() => {
  fromBeforeAll = tempDir('temp-dir-all');
});

afterAll(() => {
  // The setup file's afterAll, registered first, runs after this one and removes them.
  expect(existsSync(fromBeforeAll)).toBe(true);
  expect(existsSync(fromFileTempDir)).toBe(true);
});

describe('temporary folders', () => {
  test('tmp is a fresh folder under os.tmpdir(), named ct-<test file>-', ({ tmp }) => {
    fromFixture = tmp;
    expect(dirname(tmp)).toBe(tmpdir());
    expect(basename(tmp)).toMatch(/^ct-temp-dir-[A-Za-z0-9]{6}$/);
    writeFileSync(join(tmp, 'f'), 'x');
  });

  test('tempDir in a test is removed when the test is over, with what is in it', () => {
    fromFirstTest = tempDir('temp-dir-test');
    fromFileTempDir = fileTempDir('temp-dir-file');
    expect(basename(fromFirstTest)).toMatch(/^ct-temp-dir-test-/);
    writeFileSync(join(fromFirstTest, 'f'), 'x');
    onTestFinished(() => expect(existsSync(fromFirstTest)).toBe(true)); // runs first: stack order
  });

  test('... as is the fixture; a beforeAll folder and a fileTempDir one last for the whole file', () => {
    expect(existsSync(fromFixture)).toBe(false);
    expect(existsSync(fromFirstTest)).toBe(false);
    expect(existsSync(fromBeforeAll)).toBe(true);
    expect(existsSync(fromFileTempDir)).toBe(true);
  });

  test('removing one by hand first is no error', () => {
    const dir = tempDir('temp-dir-early');
    removeTempDir(dir);
    expect(existsSync(dir)).toBe(false);
  });
});
