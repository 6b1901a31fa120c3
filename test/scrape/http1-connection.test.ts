/**
 * The plain-HTTP connection's state machine (src/scrape/http1-connection.ts), driven directly
 * against raw loopback servers: requests one at a time, aborts, close(), bytes nobody asked
 * for, stale and cut-short connections, and the server's Keep-Alive hint. No timed assertions:
 * every wait is for an event (a response, an error, a socket closing), bounded by the test's timeout.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Connection, StaleConnectionError, type Exchange, type ExchangeHandler } from '../../src/scrape/http1-connection.js';
import { ScrapeError } from '../../src/scrape/scrape-error.js';
import { startRaw, type TestServer } from './servers.js';

interface Outcome {
  readonly status?: number;
  readonly headers?: IncomingHttpHeaders;
  readonly body: string;
  readonly error?: Error;
}

/** Hears one exchange; `outcome` settles at its end or error. */
class Heard implements ExchangeHandler {
  exchange: Exchange | undefined;
  body = '';
  readonly outcome: Promise<Outcome>;
  /** Settles at the first body bytes. */
  readonly data: Promise<void>;
  private status: number | undefined;
  private headers: IncomingHttpHeaders | undefined;
  private settle!: (outcome: Outcome) => void;
  private firstData!: () => void;

  constructor(private readonly onData?: (heard: Heard) => void) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    this.data = new Promise((resolve) => (this.firstData = resolve));
  }

  onExchangeStart(exchange: Exchange): void {
    this.exchange = exchange;
  }
  onExchangeHead(statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    this.headers = headers;
  }
  onExchangeData(buffer: Buffer, start: number, end: number): void {
    this.body += buffer.toString('latin1', start, end);
    this.firstData();
    this.onData?.(this);
  }
  onExchangeReadEnd(): void {}
  onExchangeEnd(): void {
    this.settle({ status: this.status, headers: this.headers, body: this.body });
  }
  onExchangeError(error: Error): void {
    this.settle({ body: this.body, error });
  }
}

interface Raw {
  readonly server: TestServer;
  /** The server's side of each connection, in order, and a promise of its close. */
  readonly sockets: { socket: Socket; closed: Promise<void> }[];
  /** Request heads received, across connections. */
  readonly requests: string[];
}

const servers: TestServer[] = [];
const connections: Http1Connection[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A raw server: `answer(n, socket)` for the n-th request head (from 0, across connections). */
async function raw(answer: (request: number, socket: Socket) => void): Promise<Raw> {
  const sockets: Raw['sockets'] = [];
  const requests: string[] = [];
  const server = await startRaw((socket) => {
    sockets.push({ socket, closed: new Promise((resolve) => socket.once('close', () => resolve())) });
    let buffered = '';
    socket.on('data', (data: Buffer) => {
      buffered += data.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        requests.push(buffered.slice(0, end + 4));
        buffered = buffered.slice(end + 4);
        answer(requests.length - 1, socket);
      }
    });
  });
  servers.push(server);
  return { server, sockets, requests };
}

function connect(server: TestServer, keepAliveMs = 60_000): Http1Connection {
  const url = new URL(server.url);
  const connection = new Http1Connection(url.hostname, Number(url.port), url.host, { keepAliveMs });
  connections.push(connection);
  return connection;
}

function get(connection: Http1Connection, path = '/metrics', heard = new Heard()): Heard {
  connection.request(path, { accept: 'text/plain' }, heard);
  return heard;
}

const response = (body: string, headers = ''): string => `HTTP/1.1 200 OK\r\n${headers}Content-Length: ${body.length}\r\n\r\n${body}`;

describe('Http1Connection', () => {
  it('carries requests one at a time, in order, on one kept-alive connection', async () => {
    const { server, requests } = await raw((n, socket) => socket.write(response(`body ${n}`)));
    const connection = connect(server);
    const heard = [get(connection, '/a'), get(connection, '/b'), get(connection, '/c')];
    const outcomes = await Promise.all(heard.map((h) => h.outcome));
    expect(outcomes.map((o) => o.body)).toEqual(['body 0', 'body 1', 'body 2']);
    expect(requests.map((r) => r.split(' ')[1])).toEqual(['/a', '/b', '/c']);
    expect(requests[0]).toMatch(/^GET \/a HTTP\/1\.1\r\nhost: 127\.0\.0\.1:\d+\r\naccept: text\/plain\r\n\r\n$/);
    expect(server.connections.accepted).toBe(1);
  });

  it('aborting mid-body ends the exchange at once and drops the connection; the next request connects anew', async () => {
    const { server, sockets } = await raw((n, socket) => socket.write(n === 0 ? 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc' : response('next')));
    const connection = connect(server);
    const first = get(connection);
    await first.data;
    const reason = new ScrapeError('deadline');
    first.exchange?.abort(reason);
    expect(await first.outcome).toEqual({ body: 'abc', error: reason });
    await sockets[0]?.closed;
    expect((await get(connection).outcome).body).toBe('next');
    expect(server.connections.accepted).toBe(2);
  });

  it('aborting from inside a body callback (as the size cap does) hands a queued request a fresh connection', async () => {
    const { server } = await raw((n, socket) => socket.write(n === 0 ? `HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'x'.repeat(50)}` : response('second')));
    const connection = connect(server);
    const tooLarge = new ScrapeError('response larger than 10 B');
    const first = get(connection, '/', new Heard((heard) => heard.exchange?.abort(tooLarge)));
    const second = get(connection);
    expect((await first.outcome).error).toBe(tooLarge);
    expect(await second.outcome).toMatchObject({ status: 200, body: 'second' });
    expect(server.connections.accepted).toBe(2);
  });

  it('aborting a queued request takes it off the queue; the one under way goes on', async () => {
    const { server, requests } = await raw((_n, socket) => socket.write(response('only')));
    const connection = connect(server);
    const first = get(connection, '/first');
    const second = get(connection, '/second');
    const reason = new ScrapeError('scrape cancelled');
    second.exchange?.abort(reason);
    expect((await second.outcome).error).toBe(reason);
    expect((await first.outcome).body).toBe('only');
    expect(requests.map((r) => r.split(' ')[1])).toEqual(['/first']);
  });

  it('close() fails queued requests at once, lets the one under way finish, then closes the socket', async () => {
    let arrived!: (answer: () => void) => void;
    const firstArrived = new Promise<() => void>((resolve) => (arrived = resolve));
    const { server, sockets, requests } = await raw((_n, socket) => arrived(() => socket.write(response('first'))));
    const connection = connect(server);
    const first = get(connection);
    const queued = get(connection);
    // The first request is under way (at the server) when close() comes.
    const answerFirst = await firstArrived;
    let closed = false;
    const closing = connection.close().then(() => (closed = true));
    expect((await queued.outcome).error?.message).toBe('scraper closed');
    expect(closed).toBe(false);
    answerFirst();
    expect((await first.outcome).body).toBe('first');
    await closing;
    await sockets[0]?.closed;
    expect(requests).toHaveLength(1);
    // A request after close() fails at once, and connects nowhere.
    expect((await get(connection).outcome).error?.message).toBe('scraper closed');
    expect(server.connections.accepted).toBe(1);
  });

  it('close() with nothing under way closes the idle socket at once', async () => {
    const { server, sockets } = await raw((_n, socket) => socket.write(response('ok')));
    const connection = connect(server);
    await get(connection).outcome;
    await connection.close();
    await sockets[0]?.closed;
    expect(server.connections.open).toBe(0);
  });

  it('bytes that arrive with no request outstanding: the connection is dropped, not reused', async () => {
    const { server, sockets } = await raw((_n, socket) => socket.write(response('ok')));
    const connection = connect(server);
    expect((await get(connection).outcome).body).toBe('ok');
    sockets[0]?.socket.write(response('nobody asked'));
    await sockets[0]?.closed;
    expect((await get(connection).outcome).body).toBe('ok');
    expect(server.connections.accepted).toBe(2);
  });

  it('bytes after a response in the same read: the connection is dropped, and a queued request goes on a fresh one', async () => {
    const { server } = await raw((n, socket) => socket.write(n === 0 ? `${response('first')}HTTP/1.1 200 OK\r\n` : response('second')));
    const connection = connect(server);
    const first = get(connection);
    const second = get(connection);
    expect((await first.outcome).body).toBe('first');
    expect(await second.outcome).toMatchObject({ status: 200, body: 'second' });
    expect(server.connections.accepted).toBe(2);
  });

  it('a response that says Connection: close is not reused', async () => {
    const { server, sockets } = await raw((_n, socket) => socket.write(response('ok', 'Connection: close\r\n')));
    const connection = connect(server);
    await get(connection).outcome;
    await sockets[0]?.closed;
    expect((await get(connection).outcome).body).toBe('ok');
    expect(server.connections.accepted).toBe(2);
  });

  it('Keep-Alive: timeout=1 leaves no idle time (less a second of margin): the connection closes once the response is read', async () => {
    const { server, sockets } = await raw((_n, socket) => socket.write(response('ok', 'Keep-Alive: timeout=1, max=100\r\n')));
    const connection = connect(server);
    expect((await get(connection).outcome).body).toBe('ok');
    // Nothing else closes it: not the server, not us.
    await sockets[0]?.closed;
    expect((await get(connection).outcome).body).toBe('ok');
    expect(server.connections.accepted).toBe(2);
  });

  it('a longer Keep-Alive hint, or none, keeps the connection for the next request', async () => {
    const { server } = await raw((n, socket) => socket.write(response('ok', n === 0 ? 'Keep-Alive: timeout=30\r\n' : '')));
    const connection = connect(server);
    for (let i = 0; i < 3; i++) expect((await get(connection).outcome).body).toBe('ok');
    expect(server.connections.accepted).toBe(1);
  });

  it('our own idle time closes a kept-alive connection nobody uses', async () => {
    const { server, sockets } = await raw((_n, socket) => socket.write(response('ok')));
    const connection = connect(server, 1);
    await get(connection).outcome;
    await sockets[0]?.closed;
    expect(server.connections.open).toBe(0);
  });

  it('a reused connection the server closed before any byte of the response is stale (retryable); a fresh one is not', async () => {
    const { server } = await raw((n, socket) => (n === 0 ? socket.write(response('ok')) : socket.destroy()));
    const connection = connect(server);
    await get(connection).outcome;
    const reused = await get(connection).outcome;
    expect(reused.error).toBeInstanceOf(StaleConnectionError);
    const fresh = await get(connection).outcome;
    expect(fresh.error).toBeInstanceOf(ScrapeError);
    expect(fresh.error).not.toBeInstanceOf(StaleConnectionError);
    expect(fresh.error?.message).toBe('connection closed by the server');
  });

  it('a response cut short by the close fails, and is not stale', async () => {
    const { server } = await raw((n, socket) => (n === 0 ? socket.write(response('ok')) : socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')));
    const connection = connect(server);
    await get(connection).outcome;
    const cut = await get(connection).outcome;
    expect(cut.error).not.toBeInstanceOf(StaleConnectionError);
    expect(cut.error?.message).toBe('connection closed by the server before the response ended');
  });

  it('an invalid response fails its request and drops the connection; the next connects anew', async () => {
    const { server, sockets } = await raw((n, socket) => socket.write(n === 0 ? 'HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok' : response('fine')));
    const connection = connect(server);
    expect((await get(connection).outcome).error?.message).toBe('invalid HTTP response');
    await sockets[0]?.closed;
    expect((await get(connection).outcome).body).toBe('fine');
    expect(server.connections.accepted).toBe(2);
  });

  it('a body delimited by the close ends with it, and the next request connects anew', async () => {
    const { server } = await raw((n, socket) => socket.end(`HTTP/1.1 200 OK\r\n\r\nuntil the close ${n}`));
    const connection = connect(server);
    expect((await get(connection).outcome).body).toBe('until the close 0');
    expect((await get(connection).outcome).body).toBe('until the close 1');
    expect(server.connections.accepted).toBe(2);
  });

  it('refuses a request head that could end early, without connecting', async () => {
    const { server } = await raw(() => undefined);
    const connection = connect(server);
    expect((await get(connection, '/a b').outcome).error?.message).toBe('invalid request path');
    const heard = new Heard();
    connection.request('/', { 'x-evil': 'a\r\nHost: elsewhere' }, heard);
    expect((await heard.outcome).error?.message).toBe('invalid value for request header x-evil');
    expect(server.connections.accepted).toBe(0);
  });
});
