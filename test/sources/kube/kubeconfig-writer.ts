import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FakeApiServer } from './fake-apiserver/index.js';
import { removeTempDir, tempDir } from '../../helpers/temp-dir.js';

/** Hand-made kubeconfigs for what the fake server's own writer does not cover: file fields, TLS options, merging. */

export interface Scratch {
  readonly dir: string;
  /** Writes `doc` (JSON is YAML too) or raw text to `name` in the scratch folder; returns its path. */
  write(name: string, doc: object | string, mode?: number): Promise<string>;
  remove(): Promise<void>;
}

export async function scratch(): Promise<Scratch> {
  const dir = tempDir('kubeconfig');
  return {
    dir,
    write: async (name, doc, mode = 0o600) => {
      const path = join(dir, name);
      await writeFile(path, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2), { mode });
      return path;
    },
    remove: async () => removeTempDir(dir),
  };
}

export const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** One context "main" on `server`, with the cluster and user fields given. */
export function config(server: Pick<FakeApiServer, 'url'> | string, cluster: object, user: object, extra: object = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: typeof server === 'string' ? server : server.url, ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'main', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'main',
    ...extra,
  };
}

/**
 * An exec credential plugin that hands out the tokens in $TOKENS one per run (counting runs in a
 * file next to it), with $EXPIRY as expirationTimestamp when set; it prints what it was told in
 * KUBERNETES_EXEC_INFO to $INFO_FILE.
 */
export async function execPlugin(s: Scratch): Promise<{ path: string; runs: () => Promise<number> }> {
  const counter = join(s.dir, 'runs');
  const path = await s.write('plugin.mjs', `import { readFileSync, writeFileSync } from 'node:fs';
let runs = 0;
try { runs = Number(readFileSync(${JSON.stringify(counter)}, 'utf8')); } catch {}
writeFileSync(${JSON.stringify(counter)}, String(runs + 1));
if (process.env.INFO_FILE) writeFileSync(process.env.INFO_FILE, process.env.KUBERNETES_EXEC_INFO ?? '');
const tokens = (process.env.TOKENS ?? '').split(',');
const status = { token: tokens[Math.min(runs, tokens.length - 1)] };
if (process.env.EXPIRY) status.expirationTimestamp = process.env.EXPIRY;
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
`);
  return {
    path,
    runs: async () => Number(await readFile(counter, 'utf8').catch(() => '0')),
  };
}

export function execUser(plugin: string, env: Record<string, string>, extra: object = {}): object {
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: [plugin],
      env: Object.entries(env).map(([name, value]) => ({ name, value })),
      interactiveMode: 'Never',
      ...extra,
    },
  };
}
