import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { FakeApiServer } from './fake-apiserver/index.js';

/** A plain HTTPS client for the fake apiserver that trusts its CA, as a kubeconfig's certificate-authority-data does. */

export interface Credentials {
  token?: string;
  /** Present the admin client certificate. */
  cert?: boolean;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const BOUND_MS = 10_000;

function options(server: FakeApiServer, creds: Credentials, accept: string | undefined) {
  const headers: Record<string, string> = {};
  if (creds.token !== undefined) headers.authorization = `Bearer ${creds.token}`;
  if (accept) headers.accept = accept;
  return {
    ca: server.caPem,
    headers,
    ...(creds.cert ? { cert: server.adminCert.certPem, key: server.adminCert.keyPem } : {}),
    // A fresh connection each time: the certificate a request presents belongs to its TLS session.
    agent: false as const,
  };
}

export function get(server: FakeApiServer, path: string, creds: Credentials = { token: 'admin-token' }, accept?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, options(server, creds, accept), (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(BOUND_MS, () => req.destroy(new Error(`no answer to ${path} within ${BOUND_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function getJson<T>(server: FakeApiServer, path: string, creds?: Credentials, accept?: string): Promise<T> {
  const answer = await get(server, path, creds, accept);
  if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.body}`);
  return JSON.parse(answer.body) as T;
}

export function send(server: FakeApiServer, method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { ...options(server, { token: 'admin-token' }, undefined), method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

export interface WatchEvent<T = unknown> {
  type: string;
  object: T;
}

/** An open watch stream, read one event (line) at a time. */
export interface WatchStream<T> {
  status: number;
  /** The next event, or undefined once the server has ended the stream. Bounded: rejects after 10 s. */
  next(): Promise<WatchEvent<T> | undefined>;
  close(): void;
}

export function watch<T = unknown>(server: FakeApiServer, path: string, accept?: string): Promise<WatchStream<T>> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, options(server, { token: 'admin-token' }, accept), (res) => {
      const lines: string[] = [];
      let partial = '';
      let ended = false;
      let wake: (() => void) | undefined;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        lines.push(...parts.filter((l) => l !== ''));
        wake?.();
      });
      const finish = (): void => {
        ended = true;
        wake?.();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      const next = async (): Promise<WatchEvent<T> | undefined> => {
        const deadline = Date.now() + BOUND_MS;
        while (lines.length === 0 && !ended) {
          if (Date.now() > deadline) throw new Error(`no watch event on ${path} within ${BOUND_MS} ms`);
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 200);
          });
        }
        const line = lines.shift();
        return line === undefined ? undefined : (JSON.parse(line) as WatchEvent<T>);
      };
      resolve({ status: res.statusCode ?? 0, next, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}
