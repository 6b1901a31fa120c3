import { buildSnapshot, type SnapshotNode } from '../../../src/cli/snapshot.js';
import { loadKubeconfig } from '../../../src/sources/kube/kubeconfig.js';
import { KubeSource, type KubeSourceOptions } from '../../../src/sources/kube/kube-source.js';
import type { FakeApiServer, KubeconfigOptions } from './fake-apiserver/index.js';

/** Where the fake cluster's clock starts: the kubelets' samples carry times from here on. */
export const T = 1_700_000_000_000;

export type SourceOverrides = Partial<Omit<KubeSourceOptions, 'kubeconfig'>> & { readonly config?: KubeconfigOptions };

/** A KubeSource on the fake server's kubeconfig (token auth unless `config` says otherwise). */
export async function kubeSource(server: FakeApiServer, overrides: SourceOverrides = {}): Promise<KubeSource> {
  const { config, ...options } = overrides;
  const kubeconfig = await loadKubeconfig({ path: await server.kubeconfig(config), env: {} });
  return new KubeSource({
    kubeconfig,
    intervalMs: 1000,
    timeoutMs: 5000,
    concurrency: 4,
    historyPoints: 10,
    maxBodyBytes: 16 * 2 ** 20,
    rateWaitMs: 0,
    ...options,
  });
}

export function snapshot(source: KubeSource): SnapshotNode[] {
  return buildSnapshot(source.store, Date.now()).nodes;
}

export function nodeNamed(source: KubeSource, name: string): SnapshotNode {
  const node = snapshot(source).find((n) => n.name === name);
  if (!node) throw new Error(`no node ${name} in the store (${snapshot(source).map((n) => n.name).join(', ')})`);
  return node;
}

/** expect.poll's bounds for a running source: bounded, so a broken source fails the test instead of hanging it. */
export const WAIT = { timeout: 10_000, interval: 20 } as const;
