import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Cluster } from './cluster.js';
import { renderResourceMetrics, RESOURCE_METRICS_CONTENT_TYPE } from './resource-metrics.js';
import { badRequest, notFound, sendStatus, serviceUnavailable } from './status.js';

const KUBELET_PORT = '10250';

/** utilnet.SplitSchemeNamePort: "n1", "n1:9100", "https:n1:9100". */
function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  if (parts.length === 1) return { scheme: '', name: parts[0] ?? '', port: '' };
  if (parts.length === 2) return { scheme: '', name: parts[0] ?? '', port: parts[1] ?? '' };
  if (parts.length === 3 && (parts[0] === 'http' || parts[0] === 'https')) {
    return { scheme: parts[0], name: parts[1] ?? '', port: parts[2] ?? '' };
  }
  return undefined;
}

function unreachable(res: ServerResponse, ip: string, port: string, why: string): void {
  sendStatus(res, serviceUnavailable(`error trying to reach service: dial tcp ${ip}:${port}: connect: ${why}`));
}

/** What the fake kubelet serves behind `nodes/NAME/proxy/...`. */
function kubelet(cluster: Cluster, name: string, rest: string, res: ServerResponse): void {
  const runtime = cluster.runtime(name);
  const node = cluster.nodes.get(name);
  if (!runtime || !node) return sendStatus(res, notFound('', 'nodes', name));
  if (runtime.spec.ready === 'unknown') return unreachable(res, runtime.spec.internalIP ?? '', KUBELET_PORT, 'no route to host');
  if (rest === 'metrics/resource') {
    const text = renderResourceMetrics(runtime.latest, node.status.nodeInfo.kubeletVersion, runtime.spec.scrapeError ?? false);
    res.writeHead(200, { 'Content-Type': RESOURCE_METRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  } else if (rest === 'healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('ok');
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end('404 page not found\n');
  }
}

/**
 * The node proxy subresource. Without a port (or with the kubelet's) it reaches the fake kubelet; with another
 * port it forwards to the loopback URL the test registered for that node and port, as the apiserver would dial
 * the node's address. Nothing registered answers as a refused connection does.
 */
export function proxyToNode(cluster: Cluster, id: string, rest: string, req: IncomingMessage, url: URL, res: ServerResponse): void {
  const target = splitSchemeNamePort(id);
  if (!target) return sendStatus(res, badRequest(`invalid node request "${id}"`));
  if (target.port === '' || target.port === KUBELET_PORT) return kubelet(cluster, target.name, rest, res);
  const runtime = cluster.runtime(target.name);
  if (!runtime) return sendStatus(res, notFound('', 'nodes', target.name));
  const ip = runtime.spec.internalIP ?? '';
  const base = runtime.spec.exporters?.[Number(target.port)];
  if (!base) return unreachable(res, ip, target.port, 'connection refused');
  const upstream = new URL(`${base.replace(/\/$/, '')}/${rest}${url.search}`);
  const headers: Record<string, string> = {};
  for (const h of ['accept', 'accept-encoding', 'user-agent']) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  const out = send(upstream, { method: 'GET', headers, timeout: 10_000 }, (answer) => {
    const pass: Record<string, string> = {};
    for (const h of ['content-type', 'content-encoding', 'content-length']) {
      const v = answer.headers[h];
      if (typeof v === 'string') pass[h] = v;
    }
    res.writeHead(answer.statusCode ?? 502, pass);
    answer.pipe(res);
  });
  out.on('timeout', () => out.destroy(new Error('i/o timeout')));
  out.on('error', () => {
    if (!res.headersSent) unreachable(res, ip, target.port, 'connection refused');
    else res.destroy();
  });
  out.end();
}
