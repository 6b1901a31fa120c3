import { effectiveTimeoutMs } from '../../scrape/timeout.js';
import { UsageError } from '../../util/usage-error.js';
import type { KubeFlags } from './flags.js';
import { KubeconfigError } from './kubeconfig-files.js';
import { loadKubeconfig } from './kubeconfig.js';
import { KubeSource } from './kube-source.js';

/** What the Kubernetes source reads of the command line. */
export interface KubeSourceOptions extends KubeFlags {
  readonly intervalMs: number;
  readonly timeoutMs?: number;
  readonly concurrency: number;
  readonly maxBodyBytes: number;
  /** `--gpu-port`: a GPU exporter on every node, through the API server's node proxy. */
  readonly gpuPort?: number;
}

/** The --kubeconfig source from the command line; a kubeconfig that cannot be used is a usage error. */
export async function buildKubeSource(options: KubeSourceOptions, historyPoints: number): Promise<KubeSource> {
  let kubeconfig;
  try {
    kubeconfig = await loadKubeconfig({ path: options.kubeconfig ?? true, env: process.env }, options.context);
  } catch (error) {
    if (error instanceof KubeconfigError) throw new UsageError(error.message);
    throw error;
  }
  return new KubeSource({
    kubeconfig,
    intervalMs: options.intervalMs,
    timeoutMs: effectiveTimeoutMs(options),
    concurrency: options.concurrency,
    historyPoints,
    maxBodyBytes: options.maxBodyBytes,
    ...(options.nodeExporterPort === undefined ? {} : { nodeExporterPort: options.nodeExporterPort }),
    ...(options.gpuPort === undefined ? {} : { gpuPort: options.gpuPort }),
  });
}
