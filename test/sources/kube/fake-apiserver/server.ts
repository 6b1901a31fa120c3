import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { fileTempDir, removeTempDir } from '../../../helpers/temp-dir-core.js';
import { authenticate, authorize, type UserSpec } from './auth.js';
import { Cluster, FakeClock, type UsageTarget } from './cluster.js';
import { serveCore } from './core-routes.js';
import * as discovery from './discovery.js';
import type { Node, Pod } from './k8s-types.js';
import { writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { serveMetrics } from './metrics-routes.js';
import { aggregatedDiscoveryVersion } from './negotiation.js';
import type { NodeSpec } from './node-object.js';
import { makePki, type KeyPair } from './pki.js';
import type { PodSpec } from './pod-object.js';
import { requestInfo } from './request-info.js';
import { internalError, methodNotAllowed, noSuchResource, sendJson, sendStatus, StatusError, unauthorized } from './status.js';
import type { UsageSpec } from './usage.js';
import { WatchHub } from './watch.js';

export interface FakeApiServerOptions {
  nodes?: NodeSpec[];
  pods?: PodSpec[];
  /** Default: one cluster-admin, "admin", with the token "admin-token". */
  users?: UserSpec[];
  /** Whether metrics.k8s.io is served (metrics-server installed). Default true. */
  metricsApi?: boolean;
  /** Whether aggregated discovery is served when asked for; without it kubectl falls back. Default true. */
  aggregatedDiscovery?: boolean;
  /** The server's gitVersion, and every kubelet's unless its node says otherwise. Default v1.32.4. */
  version?: string;
  /** Where the test clock starts, in ms since the epoch. Default: now, in whole seconds. */
  startTime?: number;
  /** The kubelet's housekeeping interval: the window between the two collections each node starts with. */
  housekeepingMs?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  accept: string | undefined;
  /** Who the request authenticated as, and how. */
  user: string | undefined;
  via: 'token' | 'certificate' | undefined;
  status: number;
}

export interface FakeApiServer {
  readonly url: string;
  readonly port: number;
  readonly caPem: string;
  /** The admin client certificate (CN=admin, O=system:masters). */
  readonly adminCert: KeyPair;
  readonly clock: FakeClock;
  readonly requests: readonly RequestRecord[];
  readonly openWatches: number;
  resourceVersion(): string;
  addNode(spec: NodeSpec): Node;
  modifyNode(name: string, change: Partial<NodeSpec>): Node;
  deleteNode(name: string): void;
  addPod(spec: PodSpec): Pod;
  deletePod(name: string, namespace?: string): void;
  /** The pod rebuilt with `change` (restart counts, phase, resources): watches see MODIFIED. */
  modifyPod(name: string, change: Partial<Omit<PodSpec, 'name' | 'namespace' | 'node'>>, namespace?: string): Pod;
  setUsage(target: UsageTarget, usage: UsageSpec): void;
  /** A kubelet housekeeping pass: new samples stamped with the clock's time (see Cluster.collect). */
  collect(node?: string): void;
  setMetricsApi(enabled: boolean): void;
  /** Sends a BOOKMARK to every open watch that allowed them. */
  bookmark(): void;
  /** Ends every open watch; `abrupt` drops the connection instead of ending the stream. */
  breakWatches(options?: { abrupt?: boolean }): void;
  /** Forgets the watch history: watching from an older resourceVersion gets 410 Expired. */
  compact(): void;
  kubeconfig(options?: KubeconfigOptions): Promise<string>;
  close(): Promise<void>;
}

const MAX_RECORDS = 10_000;

export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const dir = fileTempDir('fake-apiserver');
  const pki = await makePki(dir);
  const users = options.users ?? [{ name: 'admin', token: 'admin-token' }];
  const version = options.version ?? 'v1.32.4';
  const clock = new FakeClock(options.startTime ?? Math.floor(Date.now() / 1000) * 1000);
  const cluster = new Cluster(clock, version, options.housekeepingMs ?? 10_000);
  for (const n of options.nodes ?? []) cluster.addNode(n);
  for (const p of options.pods ?? []) cluster.addPod(p);
  cluster.recollect();
  const watches = new WatchHub();
  const requests: RequestRecord[] = [];
  let metricsApi = options.metricsApi ?? true;
  let serverAddress = '';

  const serveNonResource = (path: string, req: IncomingMessage, res: ServerResponse): void => {
    const aggregated = (options.aggregatedDiscovery ?? true) ? aggregatedDiscoveryVersion(req.headers.accept) : undefined;
    const json = (body: object): void => sendJson(res, 200, body);
    if (path === '/version') return json(discovery.versionInfo(version));
    if (path === '/api' && aggregated) {
      return sendJson(res, 200, discovery.aggregatedCore(aggregated), discovery.aggregatedContentType(aggregated));
    }
    if (path === '/api') return json(discovery.apiVersions(serverAddress));
    if (path === '/apis' && aggregated) {
      return sendJson(res, 200, discovery.aggregatedGroups(aggregated, metricsApi), discovery.aggregatedContentType(aggregated));
    }
    if (path === '/apis') return json(discovery.apiGroupList(metricsApi));
    if (path === '/api/v1') return json(discovery.coreResources());
    if (metricsApi && path === `/apis/${discovery.METRICS_GROUP}`) return json(discovery.metricsApiGroup());
    if (metricsApi && path === `/apis/${discovery.METRICS_GROUP}/${discovery.METRICS_VERSION}`) return json(discovery.metricsResources());
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('ok');
    }
    throw new StatusError(noSuchResource());
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const record: RequestRecord = {
      method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, accept: req.headers.accept, user: undefined, via: undefined, status: 0,
    };
    if (requests.push(record) > MAX_RECORDS) requests.shift();
    res.once('close', () => (record.status = res.statusCode));
    // The apiserver's WithCacheControl filter marks every answer so.
    res.setHeader('Cache-Control', 'no-cache, private');
    try {
      const identity = authenticate(req, users);
      if (!identity) throw new StatusError(unauthorized());
      record.user = identity.name;
      record.via = identity.via;
      const info = requestInfo(record.method, url);
      const denied = authorize(identity, info, users);
      if (denied) throw new StatusError(denied);
      // Read-only: tests change the cluster through this module's API, not through HTTP.
      if (record.method !== 'GET') throw new StatusError(methodNotAllowed());
      const ctx = { cluster, watches, req, res, url, info };
      if (!info.isResourceRequest) serveNonResource(url.pathname, req, res);
      else if (info.apiGroup === '') serveCore(ctx);
      else if (info.apiGroup === discovery.METRICS_GROUP && metricsApi) serveMetrics(ctx);
      else throw new StatusError(noSuchResource());
    } catch (err) {
      if (res.headersSent) return void res.destroy();
      sendStatus(res, err instanceof StatusError ? err.status : internalError(err instanceof Error ? err.message : String(err)));
    }
  };

  const server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: [pki.caPem], requestCert: true, rejectUnauthorized: false }, handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  serverAddress = `127.0.0.1:${port}`;
  const url = `https://${serverAddress}`;

  return {
    url,
    port,
    caPem: pki.caPem,
    adminCert: pki.admin,
    clock,
    requests,
    get openWatches() {
      return watches.count;
    },
    resourceVersion: () => String(cluster.revision.current),
    addNode: (spec) => cluster.addNode(spec),
    modifyNode: (name, change) => cluster.modifyNode(name, change),
    deleteNode: (name) => cluster.deleteNode(name),
    addPod: (spec) => cluster.addPod(spec),
    deletePod: (name, namespace) => cluster.deletePod(name, namespace),
    modifyPod: (name, change, namespace) => cluster.modifyPod(name, change, namespace),
    setUsage: (target, usage) => cluster.setUsage(target, usage),
    collect: (node) => cluster.collect(node),
    setMetricsApi: (enabled) => void (metricsApi = enabled),
    bookmark: () => watches.bookmark(),
    breakWatches: (o) => watches.breakAll(o?.abrupt ?? false),
    compact: () => {
      cluster.nodes.compact();
      cluster.pods.compact();
      cluster.namespaces.compact();
    },
    kubeconfig: (o) => writeKubeconfig({ dir, url, pki, defaultToken: users.find((u) => u.token)?.token }, o),
    close: async () => {
      watches.breakAll(true);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      removeTempDir(dir);
    },
  };
}
