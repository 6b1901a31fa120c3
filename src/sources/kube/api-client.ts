/**
 * GETs and watches on the API server with undici: lists and the metrics API as JSON, watches as
 * a stream of one JSON event per line. A 401 renews the credentials and tries once more (an exec
 * token that just expired); any other failure is an ApiError whose message is one line.
 */
import { StringDecoder } from 'node:string_decoder';
import { STATUS_CODES } from 'node:http';
import { Pool, ProxyAgent, type Dispatcher } from 'undici';
import { discard, readBody } from '../../scrape/read-body.js';
import { describeError, formatSeconds, ScrapeError } from '../../scrape/scrape-error.js';
import { VERSION } from '../../version.js';
import { sameTls, tlsConnectOptions } from './tls.js';
import { KubeAuthError, type Credentials, type RequestAuth, type TlsMaterial } from './credentials.js';
import { ReadError } from '../../util/errors.js';

/** `status` is the HTTP status, 0 when no answer came. */
export class ApiError extends ReadError {
  override readonly name = 'ApiError';
  readonly code = 'CT_ERR_KUBE_API';

  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export interface WatchEvent {
  readonly type: string;
  readonly object: unknown;
}

const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** A watch event is one object; a line this long is not one. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;
/** Lists, a watch and the metrics API at once; proxied scrapes have the Scraper's own pool. */
const CONNECTIONS = 4;

export class KubeApi {
  private pool: Pool | ProxyAgent | undefined;
  private poolTls: TlsMaterial | undefined;

  constructor(
    readonly credentials: Credentials,
    private readonly timeoutMs: number,
  ) {}

  get server(): URL {
    return this.credentials.config.server;
  }

  /** The URL of an API path under the server's base URL (which may have a path of its own). */
  url(path: string): URL {
    const base = this.server;
    return new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}${path}`);
  }

  async getJson(path: string): Promise<unknown> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const response = await this.send(path, { 'accept-encoding': 'gzip' }, { signal });
    try {
      const body = await readBody(response.body, response.headers, MAX_JSON_BYTES);
      return JSON.parse(body.text) as unknown;
    } catch (error) {
      throw this.failure(path, error, signal);
    }
  }

  /**
   * A watch's events until the server ends the stream; a failure throws ApiError. Leaving the
   * loop early closes the stream. `idleMs`: nothing received for that long is a dead connection.
   */
  async *watch(path: string, signal: AbortSignal, idleMs: number): AsyncGenerator<WatchEvent> {
    const response = await this.send(path, {}, { signal, bodyTimeout: idleMs });
    const decoder = new StringDecoder('utf8');
    let partial = '';
    const stream = response.body[Symbol.asyncIterator]();
    try {
      for (;;) {
        let events: WatchEvent[];
        try {
          const next = await stream.next();
          if (next.done) return;
          const lines = (partial + decoder.write(next.value as Buffer)).split('\n');
          partial = lines.pop() ?? '';
          if (partial.length > MAX_EVENT_BYTES) throw new ScrapeError('watch event too large');
          events = lines.filter((line) => line.trim() !== '').map(parseEvent);
        } catch (error) {
          throw this.failure(path, error, signal);
        }
        yield* events;
      }
    } finally {
      response.body.destroy();
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close().catch(() => undefined);
  }

  private async send(path: string, extra: Record<string, string>, options: { signal: AbortSignal; bodyTimeout?: number }): Promise<Dispatcher.ResponseData> {
    let auth = await authOrApiError(this.credentials.current());
    for (let attempt = 0; ; attempt++) {
      const response = await this.request(path, auth, extra, options);
      if (response.statusCode === 200) return response;
      if (response.statusCode !== 401 || attempt > 0) throw await this.statusError(path, response);
      await discard(response.body);
      auth = await authOrApiError(this.credentials.renew(auth));
    }
  }

  private async request(path: string, auth: RequestAuth, extra: Record<string, string>, options: { signal: AbortSignal; bodyTimeout?: number }): Promise<Dispatcher.ResponseData> {
    const url = this.url(path);
    try {
      return await this.poolFor(auth.tls).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { ...auth.headers, accept: 'application/json', 'user-agent': `cluster-top/${VERSION}`, ...extra },
        signal: options.signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: options.bodyTimeout ?? 0,
      });
    } catch (error) {
      throw this.failure(path, error, options.signal);
    }
  }

  private poolFor(tls: TlsMaterial): Pool | ProxyAgent {
    if (this.pool && this.poolTls && sameTls(this.poolTls, tls)) return this.pool;
    void this.pool?.close().catch(() => undefined);
    this.poolTls = tls;
    const connect = tlsConnectOptions(tls, this.timeoutMs);
    const proxy = this.credentials.config.proxyUrl;
    this.pool = proxy === undefined
      ? new Pool(this.server.origin, { connections: CONNECTIONS, connect })
      : new ProxyAgent({ uri: proxy, connections: CONNECTIONS, requestTls: connect });
    return this.pool;
  }

  /** The Status the server sent, as one line: `403 Forbidden: nodes is forbidden: User "x" cannot list ...`. */
  private async statusError(path: string, response: Dispatcher.ResponseData): Promise<ApiError> {
    const code = response.statusCode;
    let message = '';
    try {
      const status = JSON.parse((await readBody(response.body, response.headers, 64 * 1024)).text) as { message?: unknown };
      if (typeof status.message === 'string') message = status.message;
    } catch {
      await discard(response.body);
    }
    const head = `${code} ${STATUS_CODES[code] ?? ''}`.trim();
    const detail = code === 401 ? `the API server rejected the credentials of ${this.credentials.who}` : message.split('\n')[0];
    return new ApiError(`GET ${path}: ${head}${detail ? `: ${detail}` : ''}`, code);
  }

  private failure(path: string, error: unknown, signal: AbortSignal): ApiError {
    if (error instanceof ApiError) return error;
    if (signal.aborted && (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError') {
      return new ApiError(`GET ${path}: no answer within ${formatSeconds(this.timeoutMs)}`, 0);
    }
    // describeError's hints name the flags for scrape targets; here the kubeconfig decides.
    const why = error instanceof SyntaxError ? 'invalid JSON' : describeError(error).replace(/ \(use --[^)]*\)$/, '');
    return new ApiError(`${this.server.origin}: ${why}`, 0);
  }
}

/** Credentials that cannot be had fail the request like any other reason the server cannot be asked. */
function authOrApiError(auth: Promise<RequestAuth>): Promise<RequestAuth> {
  return auth.catch((error: unknown) => {
    throw error instanceof KubeAuthError ? new ApiError(error.message, 0) : error;
  });
}

function parseEvent(line: string): WatchEvent {
  const event = JSON.parse(line) as { type?: unknown; object?: unknown };
  if (typeof event.type !== 'string') throw new SyntaxError('watch event without a type');
  return { type: event.type, object: event.object };
}
