/** The recording file itself: readable by its owner only, and never written through a symbolic link. */
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { Recorder } from '../../src/record/recorder.js';
import { RecordingError } from '../../src/record/reader.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { runCli } from '../helpers/run-cli.js';
import { recordScenario } from './scenario.js';

let dir: string;
let umask: number;

beforeAll(() => {
  dir = tempDir('record-file');
  // What a login shell usually has: files would be created 0644.
  umask = process.umask(0o022);
});

afterAll(() => {
  process.umask(umask);
});

const mode = (path: string) => statSync(path).mode & 0o777;
const SYMLINK = 'is a symbolic link, which --record does not follow';

describe('--record file', () => {
  it('is created 0600 under umask 022, and so is the file begun at the size cap', () => {
    const path = join(dir, 'mode.rec');
    recordScenario(path, 60, { maxBytes: 8 * 1024 });
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}.1`)).toBe(0o600);
  });

  it('refuses a dangling symbolic link at its path, creating nothing where it points', () => {
    const path = join(dir, 'dangling.rec');
    const pointee = join(dir, 'not-there.rec');
    symlinkSync(pointee, path);
    const open = () => Recorder.open({ path, maxBytes: 1 << 20, store: new ClusterStore(10), intervalMs: 1000 });
    expect(open).toThrow(new RecordingError(`--record ${path}: ${SYMLINK}`));
    expect(existsSync(pointee)).toBe(false);
  });

  it.each([
    ['a file', 'precious\n'],
    ['an earlier recording', undefined],
  ])('refuses a symbolic link to %s, leaving it untouched', (_what, content) => {
    const path = join(dir, `link-${content === undefined ? 'rec' : 'file'}.rec`);
    const pointee = join(dir, `pointee-${content === undefined ? 'rec' : 'file'}`);
    if (content === undefined) recordScenario(pointee, 3);
    else writeFileSync(pointee, content);
    const before = readFileSync(pointee);
    const beforeStat = statSync(pointee);
    symlinkSync(pointee, path);
    const open = () => Recorder.open({ path, maxBytes: 1 << 20, store: new ClusterStore(10), intervalMs: 1000 });
    expect(open).toThrow(new RecordingError(`--record ${path}: ${SYMLINK}`));
    expect(readFileSync(pointee)).toEqual(before);
    expect(statSync(pointee).mtimeMs).toBe(beforeStat.mtimeMs);
    expect(existsSync(`${path}.1`)).toBe(false);
  });

  it('on the command line, a symbolic link is a usage error: exit 2, one line naming the flag and path', async () => {
    const path = join(dir, 'cli-link.rec');
    const pointee = join(dir, 'cli-pointee');
    symlinkSync(pointee, path);
    const r = await runCli(['--once', '--record', path, '127.0.0.1:9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cluster-top: --record ${path}: ${SYMLINK}\n`);
    expect(r.stdout).toBe('');
    expect(existsSync(pointee)).toBe(false);
  });
});
