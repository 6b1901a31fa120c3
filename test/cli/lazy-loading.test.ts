import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const TRACE = fileURLToPath(new URL('../helpers/import-trace/register.mjs', import.meta.url));
const PREFIX = 'import-trace: ';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The launcher runs dist/pkg/ (the bundle that is published, scripts/bundle-cli.js) when the build wrote it. */
const BUNDLED = existsSync(resolvePath(ROOT, 'dist/pkg/cli/main.js'));

/**
 * A file of the bundle stands for the modules bundled into it, as esbuild's metafile lists them
 * (paths relative to the checkout): so `dist/cli/options.js` or `undici` below mean the same for
 * both builds.
 */
function bundledModules(): ReadonlyMap<string, readonly string[]> {
  const meta = JSON.parse(readFileSync(resolvePath(ROOT, 'dist/pkg-meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const url = (path: string) => pathToFileURL(resolvePath(ROOT, path)).href;
  return new Map(Object.entries(meta.outputs).map(([file, { inputs }]) => [url(file), Object.keys(inputs).map(url)]));
}
const BUNDLE = BUNDLED ? bundledModules() : new Map<string, readonly string[]>();

interface TracedRun {
  readonly code: number | null;
  readonly stdout: string;
  /** Every module URL the run resolved (for the bundle, the modules in each file it resolved). */
  readonly modules: readonly string[];
}

/** The built binary with every module it resolves traced (test/helpers/import-trace); bounded at 20 s. */
function runTraced(args: readonly string[]): Promise<TracedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const files = stderr.split('\n').filter((l) => l.startsWith(PREFIX)).map((l) => l.slice(PREFIX.length));
      resolve({ code, stdout, modules: files.flatMap((file) => BUNDLE.get(file) ?? [file]) });
    });
  });
}

/** Which of these names (a package, or a path under dist/) the run loaded. */
function loaded(run: TracedRun, names: readonly string[]): string[] {
  return names.filter((name) => run.modules.some((url) => url.includes(name.startsWith('dist/') ? `/${name}` : `/node_modules/${name}/`)));
}

// The flags' own modules (dist/sources/kube/flags.js and the like) are light and load with commander.
const HEAVY = ['undici', '@kubernetes/client-node', 'ink', 'react', 'dist/simulator/', 'dist/sources/node-list/pipeline.js', 'dist/sources/kube/from-options.js', 'dist/record/', 'dist/sources/replay/replay-source.js'];

describe('each run loads only the modules it uses', () => {
  it('--version loads neither commander nor any source', async () => {
    const run = await runTraced(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(loaded(run, ['dist/version.js'])).toEqual(['dist/version.js']); // the trace works
    expect(loaded(run, ['commander', 'dist/cli/options.js', ...HEAVY])).toEqual([]);
  });

  it.runIf(BUNDLED)('runs the bundle when the build wrote it, and only it', async () => {
    const run = await runTraced(['--help']);
    const files = run.modules.filter((url) => url.startsWith('file:') && !url.includes('/bin/'));
    expect(files.length).toBeGreaterThan(0);
    // Modules of the bundle name their source under dist/ or node_modules/; nothing is read from there.
    expect([...new Set(run.modules)].filter((url) => url.startsWith('file:') && !url.includes('/bin/') && ![...BUNDLE.values()].some((m) => m.includes(url)))).toEqual([]);
  });

  it('-V is --version, and --version among other arguments is still commander\'s', async () => {
    const short = await runTraced(['-V']);
    expect(short.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const mixed = await runTraced(['--no-color', '--version']);
    expect(mixed.stdout).toBe(short.stdout);
    expect(loaded(mixed, ['commander'])).toEqual(['commander']);
  });

  it('--help loads commander and the flags, no source', async () => {
    const run = await runTraced(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: cluster-top');
    expect(loaded(run, ['commander'])).toEqual(['commander']);
    expect(loaded(run, [...HEAVY, 'dist/sources/local/'])).toEqual([]);
  });

  it('this machine loads its reader, not undici, the simulator or the Kubernetes client', async () => {
    const run = await runTraced(['--once', '-i', '200ms']);
    expect(run.code).toBe(0);
    expect(loaded(run, ['dist/sources/local/local-source.js'])).toEqual(['dist/sources/local/local-source.js']);
    expect(loaded(run, HEAVY)).toEqual([]);
  });

  it('--demo scrapes plain HTTP without undici', async () => {
    const run = await runTraced(['--demo', '2', '--once', '-i', '2s']);
    expect(run.code).toBe(0);
    expect(loaded(run, ['dist/simulator/', 'dist/sources/node-list/pipeline.js'])).toEqual(['dist/simulator/', 'dist/sources/node-list/pipeline.js']);
    expect(loaded(run, ['undici', '@kubernetes/client-node', 'ink', 'react', 'dist/sources/kube/from-options.js'])).toEqual([]);
  });

  it('an https target loads undici when its first scrape needs it', async () => {
    // Nothing listens on port 1: refused at once, after undici was loaded to connect.
    const run = await runTraced(['--once', '-o', 'json', '-i', '200ms', '--timeout', '150ms', 'https://127.0.0.1:1/metrics']);
    expect(run.code).toBe(1);
    // Refused by the port, not failed in undici (the bundle once gave its module no Pool).
    expect((JSON.parse(run.stdout) as { nodes: { error: string }[] }).nodes.map((n) => n.error)).toEqual(['connection refused']);
    expect(loaded(run, ['undici'])).toEqual(['undici']);
    expect(loaded(run, ['@kubernetes/client-node', 'ink', 'dist/simulator/'])).toEqual([]);
  });

  it('--kubeconfig loads the Kubernetes client', async () => {
    const kubeconfig = join(tempDir('lazy-kube'), 'config');
    // Nothing listens on port 1: listing the nodes is refused at once.
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {token: t}}]\ncurrent-context: x\n');
    const run = await runTraced(['--kubeconfig', kubeconfig, '--once', '--timeout', '500ms']);
    expect(run.code).toBe(1);
    expect(loaded(run, ['@kubernetes/client-node', 'dist/sources/kube/from-options.js'])).toEqual(['@kubernetes/client-node', 'dist/sources/kube/from-options.js']);
    expect(loaded(run, ['ink', 'react', 'dist/simulator/'])).toEqual([]);
  });
});
