import { effectiveTimeoutMs } from '../../scrape/timeout.js';
import { UsageError } from '../../util/usage-error.js';
import { historyPoints, type SourceContext } from '../source.js';
import type { KubeFlags } from './flags.js';
import { KubeconfigError } from './kubeconfig-files.js';
import { loadKubeconfig } from './kubeconfig.js';
import { KubeSource } from './kube-source.js';

/** The --kubeconfig source from the command line; a kubeconfig that cannot be used is a usage error. */
export async function buildKubeSource(flags: KubeFlags, context: Pick<SourceContext, 'historyMs'>): Promise<KubeSource> {
  let kubeconfig;
  try {
    kubeconfig = await loadKubeconfig({ path: flags.kubeconfig, env: process.env }, flags.context);
  } catch (error) {
    if (error instanceof KubeconfigError) throw new UsageError(error.message);
    throw error;
  }
  return new KubeSource({
    kubeconfig,
    intervalMs: flags.intervalMs,
    timeoutMs: effectiveTimeoutMs(flags),
    concurrency: flags.concurrency,
    historyPoints: historyPoints(context.historyMs, flags.intervalMs),
    maxBodyBytes: flags.maxBodyBytes,
    ...(flags.nodeExporterPort === undefined ? {} : { nodeExporterPort: flags.nodeExporterPort }),
  });
}
