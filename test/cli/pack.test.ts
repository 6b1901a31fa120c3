import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npx cluster-top` must work from the published package, not only from this checkout. The pack
 * skips `prepare`: `npm test` has just built dist/, and a rebuild here would rewrite files that
 * other test files are importing at the same moment.
 */
describe('the packed package', () => {
  const dir = tempDir('pack');

  it('installs from the tarball and runs --version and --help through npx', () => {
    const quiet = { encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { ...quiet, cwd: ROOT });
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    const app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', join(dir, filename)], { ...quiet, cwd: app, timeout: 240_000 });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const version = execFileSync('npx', ['--no-install', 'cluster-top', '--version'], { ...quiet, cwd: app });
    expect(version.trim()).toBe(pkg.version);
    const help = execFileSync('npx', ['--no-install', 'cluster-top', '--help'], { ...quiet, cwd: app });
    expect(help).toMatch(/^Usage: cluster-top \[options\] \[command\] \[targets\.\.\.\]/);
    expect(help).toContain('agent');
    expect(help).toContain('--once');
  }, 300_000);
});
