/**
 * A recording's `--column` names must be names: one whose name holds an escape sequence is
 * refused whole, and the one line that says so shows the name visible, not raw.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { hasUnsafe } from '../../src/util/visible-text.js';
import { HOSTILE, runMain } from './hostile.js';

const dir = tempDir('hostile-columns');

describe('a recording whose column name is hostile', () => {
  it('is refused with one line on stderr that holds no control character', async () => {
    const path = join(dir, 'columns.rec');
    const header = { format: 'cluster-top-recording', version: 1, startedAt: '2026-11-21T05:00:00.000Z', intervalMs: 1000, columns: [`rps${HOSTILE.oscTitle}`] };
    writeFileSync(path, `${JSON.stringify(header)}\n`);
    const r = await runMain(['--replay', path, '--once']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('not a cluster-top recording');
    expect(hasUnsafe(r.stderr.trimEnd())).toBe(false);
  });
});
