import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Metafile {
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** `name version` of every package whose files esbuild bundled (an input under node_modules/). */
function bundledPackageIds(meta: Metafile): string[] {
  const ids = new Set<string>();
  for (const input of Object.keys(meta.inputs)) {
    const dir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
    if (dir === undefined) continue;
    const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { name: string; version: string };
    ids.add(`${manifest.name} ${manifest.version}`);
  }
  return [...ids];
}

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

    // The bundled packages' licences ship with it: every package the bundle took code from, by
    // name and version, found here on its own from esbuild's metafile of the build just packed.
    const licences = readFileSync(join(app, 'node_modules/cluster-top/dist/THIRD-PARTY-LICENSES.txt'), 'utf8');
    const bundled = bundledPackageIds(JSON.parse(readFileSync(join(ROOT, 'dist/pkg-meta.json'), 'utf8')) as Metafile);
    expect(bundled).toEqual(expect.arrayContaining([expect.stringMatching(/^ink /), expect.stringMatching(/^react /), expect.stringMatching(/^undici /), expect.stringMatching(/^commander /)]));
    for (const id of bundled) expect(licences).toContain(`\n${id} (`);
    // A licence file verbatim: React's, as its package ships it.
    expect(licences).toContain(readFileSync(join(ROOT, 'node_modules/react/LICENSE'), 'utf8').trim());

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
