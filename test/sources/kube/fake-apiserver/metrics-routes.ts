import type { RequestContext } from './core-routes.js';
import { METRICS_VERSION } from './discovery.js';
import { labelSelector } from './list-options.js';
import { getNodeMetrics, listNodeMetrics, listPodMetrics, METRICS_API_VERSION } from './metrics-api.js';
import { methodNotAllowed, noSuchResource, notFound, sendJson, StatusError } from './status.js';

/** GET on /apis/metrics.k8s.io/v1beta1, answered as metrics-server does behind the aggregator. */
export function serveMetrics(ctx: RequestContext): void {
  const { cluster, info, res } = ctx;
  if (info.apiVersion !== METRICS_VERSION) throw new StatusError(noSuchResource());
  // metrics-server's resources support get and list only.
  if (info.verb === 'watch') throw new StatusError(methodNotAllowed());
  const byLabel = labelSelector<{ metadata: { labels?: Record<string, string> } }>(ctx.url.searchParams.get('labelSelector'));
  const notFoundMetrics = (resource: string): StatusError => new StatusError(notFound('metrics.k8s.io', resource, info.name));
  if (info.resource === 'nodes' && info.namespace === '' && info.subresource === '') {
    if (info.verb === 'get') {
      const m = getNodeMetrics(cluster, info.name);
      if (!m) throw notFoundMetrics('nodemetrics');
      return sendJson(res, 200, { kind: 'NodeMetrics', apiVersion: METRICS_API_VERSION, ...m });
    }
    const items = listNodeMetrics(cluster).filter((m) => byLabel?.(m) ?? true);
    return sendJson(res, 200, { kind: 'NodeMetricsList', apiVersion: METRICS_API_VERSION, metadata: {}, items });
  }
  if (info.resource === 'pods' && info.subresource === '') {
    const items = listPodMetrics(cluster, info.namespace || undefined);
    if (info.verb === 'get') {
      const m = items.find((p) => p.metadata.name === info.name);
      if (!m) throw notFoundMetrics('podmetrics');
      return sendJson(res, 200, { kind: 'PodMetrics', apiVersion: METRICS_API_VERSION, ...m });
    }
    const selected = items.filter((m) => byLabel?.(m) ?? true);
    return sendJson(res, 200, { kind: 'PodMetricsList', apiVersion: METRICS_API_VERSION, metadata: {}, items: selected });
  }
  throw new StatusError(noSuchResource());
}
