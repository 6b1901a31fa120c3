import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npx cluster-top` must work from the published package, not only from this checkout, and install
 * nothing else: the package is the program bundled with every package it uses (dist/pkg/, see
 * scripts/bundle-cli.js). The install is offline: it must need nothing from the registry. The pack
 * skips `prepare`: `npm test` has just built dist/, and a rebuild here would rewrite files that
 * other test files are importing at the same moment.
 */
describe('the packed package', () => {
  const dir = tempDir('pack');

  it('installs from the tarball alone, with no dependency, and runs through npx', () => {
    const quiet = { encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { ...quiet, cwd: ROOT });
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    const app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
    const installed = execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, filename)], { ...quiet, cwd: app, timeout: 120_000 });
    expect(installed).toMatch(/added 1 package\b/);
    expect(readdirSync(join(app, 'node_modules')).filter((name) => name !== '.bin' && name !== '.package-lock.json')).toEqual(['cluster-top']);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/cluster-top/package.json'), 'utf8')) as { version: string; dependencies?: object };
    expect(manifest.dependencies).toBeUndefined();

    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const npx = (args: readonly string[]) => spawnSync('npx', ['--no-install', 'cluster-top', ...args], { ...quiet, cwd: app, timeout: 30_000 });
    expect(npx(['--version']).stdout.trim()).toBe(pkg.version);
    const help = npx(['--help']).stdout;
    expect(help).toMatch(/^Usage: cluster-top \[options\] \[command\] \[targets\.\.\.\]/);
    expect(help).toContain('agent');
    expect(help).toContain('--once');

    // This machine, and a simulated cluster scraped over HTTP: each a chunk of the bundle.
    const local = npx(['--once', '-o', 'json', '-i', '200ms']);
    expect(local.status).toBe(0);
    expect((JSON.parse(local.stdout) as { nodes: { source: string; up: boolean }[] }).nodes).toEqual([expect.objectContaining({ source: 'local', up: true })]);
    const demo = npx(['--demo', '3', '--once', '-o', 'json', '-i', '2s']);
    expect(demo.status).toBe(0);
    expect((JSON.parse(demo.stdout) as { nodes: { up: boolean }[] }).nodes.filter((n) => n.up)).toHaveLength(3);

    // The Kubernetes source's chunk: the usual one-line usage error.
    const kube = npx(['--kubeconfig', join(dir, 'no-such-kubeconfig'), '--once']);
    expect(kube.status).toBe(2);
    expect(kube.stderr).toMatch(/^cluster-top: --kubeconfig \S*no-such-kubeconfig: no such file\n$/);
  }, 180_000);
});
