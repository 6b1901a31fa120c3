import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BASE_DESCRIPTORS, descriptorShortage, openFilesLimit } from '../../src/util/open-files.js';
import { BIN } from '../helpers/run-cli.js';

describe('open files against the limit', () => {
  it('reads the soft limit this process runs under', () => {
    const shell = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim();
    // Node raises its soft limit to the hard one at start: at least what a shell started by it sees.
    const limit = openFilesLimit();
    if (shell === 'unlimited') expect(limit).toBeUndefined();
    else expect(limit).toBeGreaterThanOrEqual(Number(shell));
  });

  it('says in one line how far to raise it, and nothing when there is room', () => {
    expect(descriptorShortage(900, 1024)).toBeUndefined();
    expect(descriptorShortage(5000, 1024)).toBe(`5000 targets need about ${5000 + BASE_DESCRIPTORS} open files (a connection each) but the limit is 1024: raise it with ulimit -n 10240`);
    expect(descriptorShortage(5000, undefined)).toBeUndefined();
  });

  it('the built binary says it once on stderr instead of failing targets one by one', () => {
    // 300 targets under a limit of 256: every one a port nobody listens on, so the run is short.
    const targets = Array.from({ length: 300 }, (_, i) => `127.0.0.1:${1 + i}`).join(' ');
    const run = spawnSync('sh', ['-c', `ulimit -n 256 && exec "${process.execPath}" ${BIN} --once -o json -i 1s --timeout 500ms ${targets}`], { encoding: 'utf8', timeout: 60_000 });
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    expect(lines, run.stderr).toEqual([`cluster-top: 300 targets need about ${300 + BASE_DESCRIPTORS} open files (a connection each) but the limit is 256: raise it with ulimit -n 1024`]);
  });
});
