import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Loads the UI in a fresh process (React picks its build once) and says which React build came. */
function reactBuild(nodeEnv: string | undefined): { production: boolean; development: boolean; nodeEnvAfter: string | null } {
  const script = [
    "const { createRequire } = await import('node:module');",
    "const { loadUi } = await import('./src/ui/run-interactive.ts');",
    'await loadUi(false);',
    // The ESM loader lists both builds while reading react's exports; only the one run is loaded.
    'const cache = createRequire(import.meta.url).cache;',
    'const loaded = Object.keys(cache).filter((p) => cache[p]?.loaded === true);',
    'console.log(JSON.stringify({',
    "  production: loaded.some((p) => p.endsWith('react.production.js')),",
    "  development: loaded.some((p) => p.endsWith('react.development.js')),",
    '  nodeEnvAfter: process.env.NODE_ENV ?? null,',
    '}));',
  ].join('\n');
  const env = { ...process.env };
  delete env.NODE_ENV;
  if (nodeEnv !== undefined) env.NODE_ENV = nodeEnv;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { production: boolean; development: boolean; nodeEnvAfter: string | null };
}

describe('loading the UI', () => {
  it('takes React\'s production build when NODE_ENV is unset, and leaves NODE_ENV unset', () => {
    expect(reactBuild(undefined)).toEqual({ production: true, development: false, nodeEnvAfter: null });
  });

  it('keeps the build NODE_ENV asks for', () => {
    expect(reactBuild('development')).toEqual({ production: false, development: true, nodeEnvAfter: 'development' });
  });
});
