import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from './cluster.js';
import type { Namespace, Node, Pod } from './k8s-types.js';
import { paginate, selected } from './list-options.js';
import { tableVersion } from './negotiation.js';
import { proxyToNode } from './proxy.js';
import type { RequestInfo } from './request-info.js';
import { noSuchResource, notFound, sendJson, StatusError } from './status.js';
import type { ObjectStore, StoredObject } from './store.js';
import { toTable, type TableKind } from './tables.js';
import type { WatchHub } from './watch.js';

export interface RequestContext {
  cluster: Cluster;
  watches: WatchHub;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
}

type Fields<T> = Record<string, (o: T) => string>;

interface Resource<T extends StoredObject> {
  kind: TableKind;
  store: ObjectStore<T>;
  /** The field labels the apiserver lets this resource be selected by. */
  fields: Fields<T>;
}

const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const meta: Fields<StoredObject> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

function resources(cluster: Cluster): { nodes: Resource<Node>; pods: Resource<Pod>; namespaces: Resource<Namespace> } {
  return {
    nodes: { kind: 'Node', store: cluster.nodes, fields: { ...meta, 'spec.unschedulable': (n) => String(n.spec.unschedulable ?? false) } },
    pods: {
      kind: 'Pod', store: cluster.pods,
      fields: { ...meta, 'spec.nodeName': (p) => p.spec.nodeName, 'status.phase': (p) => p.status.phase },
    },
    namespaces: { kind: 'Namespace', store: cluster.namespaces, fields: { ...meta, 'status.phase': (n) => n.status.phase } },
  };
}

function sendObject<T extends StoredObject>(ctx: RequestContext, r: Resource<T>, object: T): void {
  if (tableVersion(ctx.req.headers.accept)) {
    const table = toTable(r.kind, [object], { resourceVersion: object.metadata.resourceVersion }, ctx.cluster.clock.now());
    sendJson(ctx.res, 200, table, TABLE_CONTENT_TYPE);
  } else {
    sendJson(ctx.res, 200, { kind: r.kind, apiVersion: 'v1', ...object });
  }
}

/** list and watch, over the whole resource or one namespace of it. */
function serveCollection<T extends StoredObject>(ctx: RequestContext, r: Resource<T>): void {
  const { cluster, url, info } = ctx;
  const query = url.searchParams;
  const bySelectors = selected(query, r.fields);
  const inNamespace = (o: T): boolean => info.namespace === '' || o.metadata.namespace === info.namespace;
  const matches = (o: T): boolean => inNamespace(o) && bySelectors(o);
  const asTable = tableVersion(ctx.req.headers.accept) !== undefined;
  if (info.verb === 'watch') {
    const timeout = query.get('timeoutSeconds');
    ctx.watches.serve(ctx.res, {
      store: r.store,
      kind: r.kind,
      matches,
      resourceVersion: query.get('resourceVersion'),
      allowBookmarks: query.get('allowWatchBookmarks') === 'true',
      timeoutSeconds: timeout === null ? undefined : Number(timeout),
      encode: (o, first) => (asTable
        ? toTable(r.kind, [o], { resourceVersion: o.metadata.resourceVersion }, cluster.clock.now(), first)
        : { kind: r.kind, apiVersion: 'v1', ...o }),
      currentRevision: () => cluster.revision.current,
    });
    return;
  }
  const filtered = query.has('labelSelector') || query.has('fieldSelector');
  const page = paginate(r.store.list().filter(matches), query, String(cluster.revision.current), filtered, (rv) => r.store.isExpired(rv));
  if (asTable) {
    sendJson(ctx.res, 200, toTable(r.kind, page.items, page.metadata, cluster.clock.now()), TABLE_CONTENT_TYPE);
  } else {
    sendJson(ctx.res, 200, { kind: `${r.kind}List`, apiVersion: 'v1', metadata: page.metadata, items: page.items });
  }
}

function serveResource<T extends StoredObject>(ctx: RequestContext, r: Resource<T>, namespaced: boolean): void {
  const { info } = ctx;
  if (info.verb !== 'get') return serveCollection(ctx, r);
  if (info.subresource && !(info.subresource === 'status' && r.kind !== 'Namespace')) throw new StatusError(noSuchResource());
  const object = r.store.get(info.name, namespaced ? info.namespace : undefined);
  if (!object) throw new StatusError(notFound('', info.resource, info.name));
  sendObject(ctx, r, object);
}

/** GET on the core group (/api/v1): nodes (with the proxy and status subresources), pods and namespaces. */
export function serveCore(ctx: RequestContext): void {
  const { cluster, info } = ctx;
  if (info.apiVersion !== 'v1') throw new StatusError(noSuchResource());
  const all = resources(cluster);
  // For /api/v1/namespaces/NAME the "namespace" is the object's own name; other cluster-scoped paths have none.
  const clusterScoped = info.namespace === '' || info.resource === 'namespaces';
  if (info.resource === 'nodes' && clusterScoped) {
    if (info.subresource === 'proxy') return proxyToNode(cluster, info.name, info.rest, ctx.req, ctx.url, ctx.res);
    return serveResource(ctx, all.nodes, false);
  }
  if (info.resource === 'namespaces') return serveResource(ctx, all.namespaces, false);
  if (info.resource === 'pods') return serveResource(ctx, all.pods, true);
  throw new StatusError(noSuchResource());
}
