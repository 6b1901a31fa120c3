/** Loopback test servers for the scraper and scheduler tests, and a Target maker. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Target } from '../../src/targets/target.js';
import { removeTempDir, tempDir } from '../helpers/temp-dir-core.js';

const LOOPBACK = '127.0.0.1';

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** Connections accepted so far, and those still open. */
  readonly connections: { accepted: number; open: number };
  close(): Promise<void>;
}

export function targetFor(urlText: string): Target {
  const url = new URL(urlText);
  const bare = new URL(urlText);
  bare.username = '';
  bare.password = '';
  return { id: bare.href, url, displayUrl: bare.href, host: url.hostname, labels: {} };
}

export async function startHttp(handler: RequestListener): Promise<TestServer> {
  return listenHttp(createHttpServer(handler), 'http');
}

export async function startHttps(handler: RequestListener, cert: SelfSignedCert): Promise<TestServer> {
  return listenHttp(createHttpsServer({ key: cert.key, cert: cert.cert }, handler), 'https');
}

/** A TCP server speaking whatever `onSocket` writes: for broken HTTP. */
export async function startRaw(onSocket: (socket: Socket) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  const connections = countConnections(server);
  const port = await listen(server);
  return {
    url: `http://${LOOPBACK}:${port}`,
    connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on which nothing listens: a port that was just open and is closed again. */
export async function refusedUrl(): Promise<string> {
  const server = await startHttp(() => undefined);
  await server.close();
  return server.url;
}

/** Answers headers then one byte every 200 ms, never ending. */
export const slowDrip: RequestListener = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const timer = setInterval(() => res.write('#'), 200);
  res.on('close', () => clearInterval(timer));
};

export interface SelfSignedCert {
  readonly key: string;
  readonly cert: string;
}

export function makeSelfSignedCert(): SelfSignedCert {
  const dir = tempDir('cert');
  try {
    const keyPath = join(dir, 'k');
    const certPath = join(dir, 'c');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', keyPath, '-out', certPath],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    removeTempDir(dir);
  }
}

async function listenHttp(server: Server, scheme: 'http' | 'https'): Promise<TestServer> {
  const connections = countConnections(server);
  const port = await listen(server);
  return {
    url: `${scheme}://${LOOPBACK}:${port}`,
    connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function countConnections(server: Server | NetServer): { accepted: number; open: number } {
  const counts = { accepted: 0, open: 0 };
  server.on('connection', (socket: Socket) => {
    counts.accepted += 1;
    counts.open += 1;
    socket.on('close', () => (counts.open -= 1));
  });
  return counts;
}

async function listen(server: Server | NetServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
