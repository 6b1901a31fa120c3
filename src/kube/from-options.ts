import { effectiveTimeoutMs, UsageError, type CliOptions } from '../cli/options.js';
import { KubeconfigError } from './kubeconfig-files.js';
import { loadKubeconfig } from './kubeconfig.js';
import { KubeSource } from './kube-source.js';

/** The --kubeconfig source from the command line; a kubeconfig that cannot be used is a usage error. */
export async function buildKubeSource(options: CliOptions, historyPoints: number): Promise<KubeSource> {
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
  });
}
