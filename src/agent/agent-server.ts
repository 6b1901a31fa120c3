import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { MachineReader, MachineReading } from '../sources/local/machine-reading.js';
import { nodeFamilies, type Family } from '../sources/local/node-families.js';
import { processFamilies, type ProcessServing } from './process-families.js';
import { DEFAULT_CONNECTION_LIMITS, guardConnections, type ConnectionLimits } from './connection-guard.js';
import { renderExposition, TEXT_CONTENT_TYPE } from './exposition-text.js';
import { urlHost, type ListenAddress } from './listen-address.js';

const gzipAsync = promisify(gzip);

export interface AgentServerOptions extends ListenAddress {
  readonly reader: MachineReader;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** This machine's containers in cAdvisor's names (cgroup-containers.ts), served after the node's families. */
  readonly containers?: () => Promise<Family[]>;
  /** Defaults: DEFAULT_CONNECTION_LIMITS (tests shorten the deadlines). */
  readonly limits?: Partial<ConnectionLimits>;
  /** Serve the machine's processes too; none when undefined (or off with --processes 0). */
  readonly processes?: ProcessServing;
}

export interface RunningAgent {
  /** The metrics URL, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Limits that keep a slow or hostile client from holding the agent: a scrape is a small GET,
 * so anything bigger than one is cut off by Node's HTTP parser (431, 400). Node checks its own
 * timeouts only every 30 s, so the deadlines that matter are guardConnections' own, per connection;
 * these stay as a backstop.
 */
const SERVER_LIMITS = { maxHeaderSize: 16 * 1024, headersTimeout: 10_000, requestTimeout: 30_000 };
/** Time given to in-flight scrapes on stop before their connections are cut. */
const CLOSE_GRACE_MS = 2_000;

/** Serves this machine's metrics at /metrics in node_exporter's names, as Prometheus text 0.0.4. */
export async function startAgentServer(options: AgentServerOptions): Promise<RunningAgent> {
  const expected = options.token === undefined ? undefined : digest(options.token);
  let reading: Promise<Family[]> | undefined;
  // Scrapes that arrive together share one read of the machine.
  const readMachine = () => (reading ??= readFamilies(options.reader, options.processes).finally(() => (reading = undefined)));
  let containers: Promise<Family[]> | undefined;
  const readContainers = options.containers;
  const collect = async (): Promise<Family[]> => {
    const extra = readContainers ? (containers ??= readContainers().finally(() => (containers = undefined))) : Promise.resolve([]);
    const [machine, more] = await Promise.all([readMachine(), extra]);
    return [...machine, ...more];
  };

  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const server = createServer({ ...SERVER_LIMITS, keepAliveTimeout: limits.keepAliveTimeoutMs }, (req, res) => {
    handle(req, res, expected, collect).catch(() => res.destroy());
  });
  guardConnections(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(options.host)}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          options.processes?.table.close();
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** The machine's node families, and its processes' after them. */
async function readFamilies(reader: MachineReader, processes: ProcessServing | undefined): Promise<Family[]> {
  const machine: MachineReading = await reader.read();
  const families = nodeFamilies(machine);
  if (processes) families.push(...processFamilies(processes, processes.table.read()));
  return families;
}

async function handle(req: IncomingMessage, res: ServerResponse, expected: Buffer | undefined, collect: () => Promise<Family[]>): Promise<void> {
  req.resume(); // a scrape has no body; whatever was sent is drained, never buffered
  if (expected && !authorized(req.headers.authorization, expected)) {
    return reply(res, 401, 'unauthorized: send Authorization: Bearer <token>', { 'WWW-Authenticate': 'Bearer realm="cluster-top agent"' });
  }
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/metrics') return reply(res, 404, 'not found: the metrics are at /metrics');
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed: use GET', { Allow: 'GET, HEAD' });

  let text: string;
  try {
    text = renderExposition(await collect());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return reply(res, 500, `reading this machine failed: ${reason.replace(/\s+/g, ' ')}`);
  }
  const zipped = acceptsGzip(req.headers['accept-encoding']);
  const body = zipped ? await gzipAsync(text) : Buffer.from(text);
  res.writeHead(200, {
    'Content-Type': TEXT_CONTENT_TYPE,
    'Content-Length': body.byteLength,
    Vary: 'Accept-Encoding',
    ...(zipped ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = `${message}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Digests of equal length, so the comparison takes the same time whatever the token's length. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function authorized(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return timingSafeEqual(digest(m?.[1] ?? ''), expected);
}

/** gzip unless absent or refused with q=0. */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return (coding === 'gzip' || coding === 'x-gzip') && (q === undefined || Number(q) > 0);
  });
}
