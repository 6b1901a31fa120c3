/**
 * One kept-alive plain-HTTP connection to an origin, carrying one GET at a time: the scrape path
 * for `http:` targets, which is nearly every node_exporter.
 *
 * Why not undici here: every socket read there is a fresh ArrayBuffer, and undici's per-connection
 * parser keeps views of it in a header array that lives from one response to the next, long
 * enough to be in V8's old generation. The reads then survive every young GC until a full one: at
 * 1,000 nodes that held 30-60 MB of RSS. Here every connection reads into one shared buffer
 * (net's `onread`), and a response's bytes are handed on as ranges of it, used before the read
 * returns. undici still carries HTTPS and proxied scrapes.
 */
import * as net from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { ResponseReader } from './http1-response.js';
import { ScrapeError } from './scrape-error.js';

/** What a request's owner is told, in order: start, then the head, body ranges, and end or error. */
export interface ExchangeHandler {
  onExchangeStart(exchange: Exchange): void;
  onExchangeHead(statusCode: number, headers: IncomingHttpHeaders): void;
  /** `buffer[start, end)` is only valid during the call. */
  onExchangeData(buffer: Buffer, start: number, end: number): void;
  /** The read that brought these bytes ends with the response still incomplete. */
  onExchangeReadEnd(): void;
  onExchangeEnd(): void;
  onExchangeError(error: Error): void;
}

/** A connection that closed before any byte of the response, after carrying earlier ones: retry it. */
export class StaleConnectionError extends ScrapeError {
  readonly stale = true;
  override readonly code: string = 'CT_ERR_STALE_CONNECTION';
  constructor() {
    super('connection closed by the server');
  }
}

/** One read buffer for every connection: a read's bytes are used before the next read can land. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export interface Http1Options {
  /** Idle time after which a kept-alive connection is closed; the server's Keep-Alive hint may cut it. */
  readonly keepAliveMs: number;
}

interface Pending {
  readonly head: string;
  readonly handler: ExchangeHandler;
}

/** One request on the connection: its owner may abort it at any time. */
export class Exchange {
  settled = false;
  constructor(
    private readonly connection: Http1Connection,
    readonly handler: ExchangeHandler,
  ) {}

  abort(reason: Error): void {
    this.connection.abortExchange(this, reason);
  }
}

export class Http1Connection {
  private socket: net.Socket | undefined;
  /** Responses read on the current socket: a reused socket that dies is retried, a fresh one not. */
  private served = 0;
  private current: { exchange: Exchange; reader: ResponseReader } | undefined;
  private readonly queue: { pending: Pending; exchange: Exchange }[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private idleTimerMs = 0;
  private idleMs: number;
  private closing = false;
  /**
   * A read is being fed to a response: no request starts until it is, since bytes after the
   * response in the same read mean the connection must not carry another.
   */
  private reading = false;
  private closedResolve: (() => void) | undefined;
  readonly closed: Promise<void>;

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** The Host header: the URL's host, with its port when not the default. */
    private readonly authority: string,
    private readonly options: Http1Options,
  ) {
    this.idleMs = options.keepAliveMs;
    this.closed = new Promise((resolve) => (this.closedResolve = resolve));
  }

  /** Sends a GET for `path` once the connection is free; the handler hears the rest. */
  request(path: string, headers: Readonly<Record<string, string | string[]>>, handler: ExchangeHandler): Exchange {
    const exchange = new Exchange(this, handler);
    if (this.closing) {
      exchange.settled = true;
      handler.onExchangeError(new ScrapeError('scraper closed'));
      return exchange;
    }
    let head: string;
    try {
      head = requestHead(path, this.authority, headers);
    } catch (error) {
      exchange.settled = true;
      handler.onExchangeError(error as Error);
      return exchange;
    }
    this.queue.push({ pending: { head, handler }, exchange });
    handler.onExchangeStart(exchange);
    this.next();
    return exchange;
  }

  /** Closes once the request under way, if any, is done; queued ones fail. */
  close(): Promise<void> {
    this.closing = true;
    for (const { exchange } of this.queue.splice(0)) this.settle(exchange, new ScrapeError('scraper closed'));
    if (this.current === undefined) this.drop();
    return this.closed;
  }

  abortExchange(exchange: Exchange, reason: Error): void {
    if (exchange.settled) return;
    const queued = this.queue.findIndex((entry) => entry.exchange === exchange);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(exchange, reason);
      return;
    }
    if (this.current?.exchange !== exchange) return;
    // A response cut off midway leaves the connection unusable.
    this.current.reader.halt();
    this.current = undefined;
    this.settle(exchange, reason);
    this.drop();
    this.next();
  }

  private next(): void {
    if (this.current !== undefined || this.queue.length === 0 || this.reading) return;
    const { pending, exchange } = this.queue.shift() as { pending: Pending; exchange: Exchange };
    const reader = new ResponseReader({
      head: (statusCode, headers) => {
        this.idleMs = keepAliveHintMs(headers['keep-alive'], this.options.keepAliveMs);
        pending.handler.onExchangeHead(statusCode, headers);
      },
      body: (buffer, start, end) => pending.handler.onExchangeData(buffer, start, end),
      end: (keepAlive) => this.finished(exchange, keepAlive),
    });
    this.current = { exchange, reader };
    const socket = this.socket ?? this.connect();
    socket.write(pending.head, 'latin1');
  }

  private connect(): net.Socket {
    this.served = 0;
    const socket: net.Socket = net.connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        // Returning false would pause the socket: never wanted here.
        callback: (bytes: number): boolean => {
          this.onRead(socket, bytes);
          return true;
        },
      },
    });
    socket.on('error', (error: Error) => this.onSocketGone(socket, error));
    socket.on('close', () => this.onSocketGone(socket, undefined));
    socket.on('end', () => socket.end());
    this.socket = socket;
    return socket;
  }

  private onRead(socket: net.Socket, bytes: number): void {
    const current = this.current;
    if (socket !== this.socket || current === undefined) {
      // Bytes nobody asked for: a server that talks out of turn cannot be trusted with the next request.
      if (socket === this.socket) this.drop();
      else socket.destroy();
      return;
    }
    let stop: number;
    this.reading = true;
    try {
      stop = current.reader.feed(READ_BUFFER, 0, bytes);
    } catch (error) {
      this.reading = false;
      if (this.current === current) this.fail(current.exchange, error as Error);
      else this.next();
      return;
    }
    this.reading = false;
    if (this.current === current) {
      // The response goes on in a later read: what is kept of this one must be copied now.
      current.exchange.handler.onExchangeReadEnd();
      return;
    }
    // The response ended (or was aborted) in this read; bytes after its end are a server talking out of turn.
    if (stop < bytes && this.socket === socket) this.drop();
    this.next();
  }

  private finished(exchange: Exchange, keepAlive: boolean): void {
    this.current = undefined;
    this.served++;
    exchange.settled = true;
    exchange.handler.onExchangeEnd();
    if (!keepAlive || this.closing) this.drop();
    else if (this.queue.length === 0) this.armIdleTimer();
    this.next();
  }

  /**
   * One timer per connection, re-armed after each response rather than made anew: a timer made
   * per scrape outlives the young generation's GCs in the timer lists and goes to the old one.
   */
  private armIdleTimer(): void {
    const timer = this.idleTimer;
    if (timer !== undefined && this.idleTimerMs === this.idleMs) {
      timer.refresh();
      return;
    }
    clearTimeout(timer);
    this.idleTimerMs = this.idleMs;
    this.idleTimer = setTimeout(() => {
      if (this.current === undefined && this.queue.length === 0) this.drop();
    }, this.idleMs).unref();
  }

  private onSocketGone(socket: net.Socket, error: Error | undefined): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    const current = this.current;
    if (current !== undefined) {
      let failure: Error | undefined = error;
      try {
        if (error === undefined && !current.reader.closed()) failure = this.served > 0 ? new StaleConnectionError() : new ScrapeError('connection closed by the server');
      } catch (cut) {
        failure = cut as Error;
      }
      if (failure === undefined) {
        // A body delimited by the close: closed() ended it, which started the next request.
        return;
      }
      if (error !== undefined && this.served > 0 && !current.reader.started) failure = Object.assign(new StaleConnectionError(), { cause: error });
      this.current = undefined;
      this.settle(current.exchange, failure);
    }
    if (this.closing && this.current === undefined) this.closedResolve?.();
    else this.next();
  }

  private fail(exchange: Exchange, error: Error): void {
    this.current = undefined;
    this.settle(exchange, error);
    this.drop();
    this.next();
  }

  private settle(exchange: Exchange, error: Error): void {
    if (exchange.settled) return;
    exchange.settled = true;
    exchange.handler.onExchangeError(error);
  }

  /** Ends the socket, if any; when closing, the connection is then done. */
  private drop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    if (this.closing && this.current === undefined) this.closedResolve?.();
  }
}

/**
 * The request's head. Values that could end a header line early are refused: a header is not
 * the place to smuggle a second request through.
 */
function requestHead(path: string, authority: string, headers: Readonly<Record<string, string | string[]>>): string {
  if (!/^\/[\x21-\x7e]*$/.test(path)) throw new ScrapeError('invalid request path');
  let head = `GET ${path} HTTP/1.1\r\nhost: ${authority}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(one)) throw new ScrapeError(`invalid value for request header ${name}`);
      head += `${name}: ${one}\r\n`;
    }
  }
  return `${head}\r\n`;
}

/** The server's `Keep-Alive: timeout=N`, less a second of margin, capped by our own idle time. */
function keepAliveHintMs(header: string | string[] | undefined, ourMs: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value === undefined ? null : /timeout=(\d+)/i.exec(value);
  if (match === null) return ourMs;
  return Math.max(0, Math.min(ourMs, Number(match[1]) * 1000 - 1000));
}
