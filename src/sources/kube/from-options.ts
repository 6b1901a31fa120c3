import { effectiveTimeoutMs } from '../../scrape/timeout.js';
import { historyPoints, type SourceContext } from '../source.js';
import type { KubeFlags } from './flags.js';
import { loadKubeconfig } from './kubeconfig.js';
import { KubeSource } from './kube-source.js';

/** The --kubeconfig source from the command line. */
export async function buildKubeSource(flags: KubeFlags, context: Pick<SourceContext, 'historyMs'>): Promise<KubeSource> {
  // A kubeconfig that cannot be used throws KubeconfigError: exit status 2, as a usage error.
  const kubeconfig = await loadKubeconfig({ path: flags.kubeconfig, env: process.env }, flags.context);
  return new KubeSource({
    kubeconfig,
    intervalMs: flags.intervalMs,
    timeoutMs: effectiveTimeoutMs(flags),
    concurrency: flags.concurrency,
    historyPoints: historyPoints(context.historyMs, flags.intervalMs),
    maxBodyBytes: flags.maxBodyBytes,
    ...(flags.nodeExporterPort === undefined ? {} : { nodeExporterPort: flags.nodeExporterPort }),
    ...(flags.gpuPort === undefined ? {} : { gpuPort: flags.gpuPort }),
    ...(flags.processPort === undefined ? {} : { processPort: flags.processPort }),
  });
}
