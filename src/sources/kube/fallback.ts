/**
 * Where node figures come from, best first, and what to tell people when the better ways are
 * closed: the kubelets through the API server's proxy (needs `get` on nodes/proxy), else the
 * metrics API (needs `list` on nodes.metrics.k8s.io and metrics-server installed), else none: the
 * nodes are still listed, with their status, and the message names the missing permission.
 */
import type { ApiError } from './api-client.js';

export type MetricsMode = 'kubelet' | 'metrics-api' | 'none';

const PROXY_FORBIDDEN = 'not allowed to get nodes/proxy (the kubelets)';

/** Why the metrics API cannot stand in either; undefined when it can (the failure is passing). */
export function metricsApiClosed(error: ApiError): string | undefined {
  if (error.status === 403) return `no metrics: ${PROXY_FORBIDDEN}, nor to list nodes.metrics.k8s.io (the metrics API)`;
  if (error.status === 404) return `no metrics: ${PROXY_FORBIDDEN}, and the metrics API is not installed (metrics-server)`;
  return undefined;
}

/** The header line: what is wrong now, the most fundamental first; undefined when all is well. */
export function kubeNotice(nodes: NodesProblem | undefined, mode: MetricsMode, noMetrics: string | undefined, pods?: ApiError): string | undefined {
  if (nodes) return nodesNotice(nodes);
  if (mode === 'metrics-api') return `metrics API figures: ${PROXY_FORBIDDEN}`;
  if (mode === 'none') return noMetrics;
  if (pods) return podsNotice(pods);
  return undefined;
}

/** Without the Pod objects the pods pane still has the kubelet's figures, but no GPUs held, restarts or pending pods. */
function podsNotice(error: ApiError): string {
  if (error.status === 403) return 'no GPUs allocated or restarts: not allowed to list and watch pods';
  return `cannot list pods: ${error.message}`;
}

export interface NodesProblem {
  readonly error: ApiError;
  /** The watch was refused; the nodes are re-listed now and then instead. */
  readonly relisting: boolean;
}

function nodesNotice({ error, relisting }: NodesProblem): string {
  if (relisting) return 'nodes re-listed now and then: not allowed to watch nodes';
  if (error.status === 403) return `cannot list nodes (needs list and watch on nodes): ${error.message}`;
  return `cannot list nodes: ${error.message}`;
}
