import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { missingCollector, missingCollectorMessage } from './collectors.js';
import { makeClusterSpecs } from './cluster-layout.js';
import { hash32 } from './random.js';
import { SIM_CONTENT_TYPE, SimNode, type SimNodeSpec } from './sim-node.js';

export { makeClusterSpecs, makeDemoSpecs } from './cluster-layout.js';

/** Keep idle scrape connections open across long scrape intervals, as Go's server does. */
const KEEP_ALIVE_MS = 120_000;
/**
 * Level 1: a 65 KB payload gzips in about 0.15 ms, a fifth of the default level's time, 15 % larger.
 * Synchronously: zlib's thread pool took about half as much CPU again in total (measured at 2,000
 * scrapes/s), CPU a benchmark's scraper on the same machine would lose.
 */
const GZIP_LEVEL = 1;

export interface SimClusterOptions {
  /** Node count when `specs` is not given. */
  readonly n: number;
  readonly seed: number;
  /** Loopback only: the simulator never listens on another address. */
  readonly host?: '127.0.0.1';
  /** Node i listens on basePort + i; default: ports chosen by the OS. */
  readonly basePort?: number;
  /** Default: makeClusterSpecs(n, seed). */
  readonly specs?: readonly SimNodeSpec[];
  /** Clock for the payloads; default Date.now. */
  readonly now?: () => number;
  /**
   * Gzip when the client asks, as node_exporter does (default). Off saves the simulator about
   * 0.2 ms of CPU per scrape, for benchmarks where its CPU competes with the scraper's.
   */
  readonly gzip?: boolean;
}

export interface SimCluster {
  /** One http://127.0.0.1:port/metrics per spec, in spec order. */
  readonly urls: string[];
  /** The specs served, boot moments and the cluster's start filled in. */
  readonly specs: SimNodeSpec[];
  close(): Promise<void>;
}

/**
 * Serves each node as its own node_exporter-like endpoint: GET /metrics (404 elsewhere), gzip when
 * asked, keep-alive, `collect[]=NAME` narrowing the payload to those collectors (400 for a name that
 * is none). A down node is a port nobody listens on, so connecting is refused, as with a
 * stopped exporter; with OS-chosen ports that port is found by binding and releasing it after all
 * others are bound, so another process could in principle take it meanwhile. A slow node answers
 * after slowMs. A flapping node, during its outages, drops each request's connection unanswered.
 *
 * File descriptors: one per listening node plus one per open connection; a scraper keeping one
 * keep-alive connection per node needs about 2 × n here (4,000 for 2,000 nodes).
 */
export async function startSimCluster(options: SimClusterOptions): Promise<SimCluster> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`the simulator listens on 127.0.0.1 only, not ${String(host)}`);
  const now = options.now ?? Date.now;
  const startMs = now();
  const specs = (options.specs ?? makeClusterSpecs(options.n, options.seed)).map((s) => ({
    ...s,
    bootTimeMs: s.bootTimeMs ?? startMs - defaultUptimeMs(s.seed),
    clusterStartMs: s.clusterStartMs ?? startMs,
  }));
  // Built first, so a bad spec throws before any port is bound.
  const nodes = specs.map((spec) => (spec.down ? undefined : new SimNode(spec)));
  const servers: Server[] = [];
  const pending = new Set<NodeJS.Timeout>();
  const closeAll = async (): Promise<void> => {
    await Promise.all(servers.map(closeServer));
    pending.forEach(clearTimeout);
  };

  // Settled, not all(): a failed listen must not leave others still starting, unseen by close.
  const started = await Promise.allSettled(
    specs.map((spec, i) => {
      const port = options.basePort === undefined ? 0 : options.basePort + i;
      const node = nodes[i];
      if (node === undefined) return port;
      const server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS }, handler(node, spec.slowMs ?? 0, options.gzip ?? true, now, pending));
      servers.push(server);
      return listen(server, port, host);
    }),
  );
  try {
    const ports = started.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    for (let i = 0; i < specs.length; i++) {
      if (specs[i]!.down && ports[i] === 0) ports[i] = await unusedPort(host);
    }
    return { urls: ports.map((p) => `http://${host}:${p}/metrics`), specs, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** Default uptimes: two hours to six weeks, so a demo shows plausible hosts. */
function defaultUptimeMs(seed: number): number {
  return Math.floor((2 + (hash32(seed, 0xb007) % 1000)) * 3_600_000);
}

function handler(node: SimNode, slowMs: number, gzip: boolean, now: () => number, pending: Set<NodeJS.Timeout>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    // URLSearchParams decodes the key too, so `collect%5B%5D` counts as `collect[]`, as in Go.
    const collectors = query < 0 ? undefined : new URLSearchParams(url.slice(query + 1)).getAll('collect[]');
    if (!node.answers(now())) {
      req.socket.destroy();
      return;
    }
    if (slowMs <= 0) {
      answer(node, collectors, gzip, req, res, now());
      return;
    }
    const timer = setTimeout(() => {
      pending.delete(timer);
      answer(node, collectors, gzip, req, res, now());
    }, slowMs);
    pending.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      pending.delete(timer);
    });
  };
}

function answer(node: SimNode, collectors: readonly string[] | undefined, gzip: boolean, req: IncomingMessage, res: ServerResponse, nowMs: number): void {
  if (res.destroyed) return;
  const missing = collectors && missingCollector(collectors);
  if (missing !== undefined) {
    // node_exporter writes this unencoded, without a newline, whatever Accept-Encoding says.
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(missingCollectorMessage(missing));
    return;
  }
  const body = node.renderBuffer(nowMs, collectors);
  const headers: Record<string, string> = { 'content-type': SIM_CONTENT_TYPE };
  if (gzip && acceptsGzip(req.headers['accept-encoding'])) {
    headers['content-encoding'] = 'gzip';
    res.writeHead(200, headers).end(gzipSync(body, { level: GZIP_LEVEL }));
  } else {
    res.writeHead(200, headers).end(body);
  }
}

/** True when the Accept-Encoding header lists gzip (or *) without q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function unusedPort(host: string): Promise<number> {
  const probe = createServer();
  const port = await listen(probe, 0, host);
  await closeServer(probe);
  return port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
