import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TRACE = fileURLToPath(new URL('../helpers/import-trace/register.mjs', import.meta.url));
const PREFIX = 'import-trace: ';

/**
 * Loads the built view's modules (dist/, as `npm test` builds it) in a fresh process, with every
 * module it resolves traced; says which, and which React build ran.
 */
function loadBuiltUi(nodeEnv: string | undefined): Promise<{ modules: string[]; react: string }> {
  const script = [
    "const { createRequire } = await import('node:module');",
    "const { loadUi } = await import('./dist/ui/run-interactive.js');",
    'const ui = await loadUi(false);',
    "if (typeof ui.render !== 'function' || typeof ui.createElement !== 'function' || typeof ui.App !== 'function') throw new Error('not the view');",
    // Bundled, React's build is inside the bundle; else the CommonJS cache says which file ran.
    'const cache = createRequire(import.meta.url).cache;',
    "const loaded = Object.keys(cache).filter((p) => cache[p]?.loaded === true && p.includes('/react/cjs/react.'));",
    "console.log(loaded.map((p) => p.split('/').pop()).join(',') || 'bundled');",
  ].join('\n');
  const env = { ...process.env };
  delete env.NODE_ENV;
  if (nodeEnv !== undefined) env.NODE_ENV = nodeEnv;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, '--input-type=module', '-e', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`exit ${code}: ${stderr.split('\n').filter((l) => !l.startsWith(PREFIX)).join('\n')}`));
      const modules = stderr.split('\n').filter((l) => l.startsWith(PREFIX)).map((l) => l.slice(PREFIX.length));
      resolve({ modules, react: stdout.trim() });
    });
  });
}

const fromPackage = (modules: readonly string[], name: string) => modules.some((url) => url.includes(`/node_modules/${name}/`));

describe('the built view\'s modules', () => {
  it('are one bundle: no module of React, ink or es-toolkit loads on its own', async () => {
    expect(existsSync(new URL('../../dist/ui/ui-modules.bundle.js', import.meta.url))).toBe(true);
    const { modules, react } = await loadBuiltUi(undefined);
    expect(modules.some((url) => url.endsWith('/dist/ui/ui-modules.bundle.js'))).toBe(true);
    for (const name of ['react', 'ink', 'es-toolkit', 'yoga-layout', 'react-reconciler']) expect(fromPackage(modules, name)).toBe(false);
    expect(react).toBe('bundled');
  });

  it('share our own modules outside the view with the rest of the program', async () => {
    const { modules } = await loadBuiltUi('production');
    // Imported by the bundle as modules of their own: the store the sources fill is the one the view reads.
    expect(modules.some((url) => url.endsWith('/dist/store/cluster-store.js'))).toBe(true);
    expect(modules.some((url) => url.endsWith('/dist/util/visible-text.js'))).toBe(true);
    expect(modules.some((url) => url.endsWith('/dist/ui/app.js'))).toBe(false);
  });

  it('are loaded one by one, with React\'s development build, when NODE_ENV asks for it', async () => {
    const { modules, react } = await loadBuiltUi('development');
    expect(modules.some((url) => url.endsWith('/dist/ui/ui-modules.bundle.js'))).toBe(false);
    expect(fromPackage(modules, 'ink')).toBe(true);
    expect(react).toBe('react.development.js');
  });
});
