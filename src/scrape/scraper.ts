/**
 * Fetching metrics bodies over HTTP(S): one kept-alive connection per origin (our own for plain
 * HTTP, undici's Client, Pool or ProxyAgent otherwise), one deadline per scrape, size caps, and
 * failures as short sentences.
 *
 * Politeness to thousands of nodes: a single connection per node by default,
 * reused between scrapes (no TLS handshake every interval), gzip asked for.
 */
import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import type { Client, Pool, ProxyAgent, buildConnector, Dispatcher } from 'undici';
import type { ScrapeTls, Target } from '../targets/target.js';
import { VERSION } from '../version.js';
import { BodyFetch, type FetchedBody } from './fetch-body.js';
import { Http1Connection, StaleConnectionError } from './http1-connection.js';
import { BodyDecoder } from './inflate.js';
import { firstValue } from './read-body.js';
import { ScrapeError, describeError, formatSeconds } from './scrape-error.js';
import type { ScrapeFailure, ScrapeResult, ScrapeSuccess } from './types.js';

export interface ScraperOptions {
  /** Deadline for a whole scrape: connect, headers and the entire body. */
  readonly timeoutMs: number;
  /** Cap on the body, on the wire and after gzip; default 16 MiB. */
  readonly maxBodyBytes?: number;
  readonly tls?: ScrapeTls;
  /** Asked before every scrape, so a rotated token file is picked up. */
  readonly bearerToken?: () => string | undefined;
  /** Headers added to every scrape, asked before each one: credentials that expire (a Kubernetes exec plugin's). */
  readonly headers?: () => Readonly<RequestHeaders> | Promise<Readonly<RequestHeaders>>;
  readonly userAgent?: string;
  /** Connections kept to each origin; default 1. */
  readonly connectionsPerOrigin?: number;
  /** A proxy (http, https or socks5) every scrape goes through, as a kubeconfig's proxy-url asks. */
  readonly proxy?: string;
  /**
   * Asked before every scrape: a path and query to ask the target's origin for instead of its URL's,
   * or undefined for the URL's own. The result says which was used (ScrapeResult.requestPath).
   */
  readonly requestPath?: (target: Target) => string | undefined;
  /**
   * What carries plain-HTTP scrapes with one connection per origin: our own reader (the default,
   * see http1-connection.ts) or undici's Client, as before it. Only the scale benchmark asks for
   * undici (`npm run bench -- scale --transport undici`), to keep measuring why we have our own.
   */
  readonly plainHttpTransport?: PlainHttpTransport;
}

export type PlainHttpTransport = 'own' | 'undici';

/** A header sent more than once (Impersonate-Group) has one value per line. */
export type RequestHeaders = Record<string, string | string[]>;

// As Prometheus sends it: OpenMetrics accepted, the classic text format preferred.
const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1';
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
// Longer than any sensible scrape interval, so the socket survives between scrapes;
// both transports still honour a shorter `Keep-Alive: timeout=` hint from the server.
const KEEP_ALIVE_MS = 60_000;
// Codes of a request that died before any response: typically a kept-alive socket
// the server closed just as we reused it.
const STALE_SOCKET_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * For plain HTTP with one connection per origin (the default, and nearly every node_exporter) our
 * own connection (see http1-connection.ts), unless ScraperOptions.plainHttpTransport asks for undici; otherwise undici: a Client for one connection per
 * origin, a Pool for more (a Pool of one would cost a 2,048-slot request queue, 16 KB, per target).
 */
type OriginDispatcher = Http1Connection | Client | Pool | ProxyAgent;

type Undici = typeof import('undici');
/**
 * undici, once a scrape needs it. Loading it costs about as much CPU as starting Node, and plain
 * HTTP (the demo, nearly every node_exporter) never does: the view comes up that much sooner.
 */
let undici: Undici | undefined;
let loadingUndici: Promise<Undici> | undefined;

function loadUndici(): Promise<Undici> {
  return (loadingUndici ??= import('undici').then((module) => (undici = module)));
}

interface OriginPool {
  readonly pool: OriginDispatcher;
  /** Ids of the targets scraped through this pool; it closes when none is left. */
  readonly users: Set<string>;
}

export class Scraper {
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly userAgent: string;
  private readonly bearerToken: (() => string | undefined) | undefined;
  private readonly extraHeaders: ScraperOptions['headers'];
  private readonly proxy: string | undefined;
  private readonly requestPathOf: ScraperOptions['requestPath'];
  private readonly plainHttpTransport: PlainHttpTransport;
  private readonly poolOptions: Pool.Options & { readonly connect: buildConnector.BuildOptions };
  private readonly pools = new Map<string, OriginPool>();
  private readonly closing = new Set<Promise<void>>();
  /** One per target scraped, by target id (see Deadline). */
  private readonly deadlines = new Map<string, Deadline>();
  /** Every body is decoded synchronously at its end, so one decoder's scratch space serves all. */
  private readonly decoder = new BodyDecoder();
  private closed = false;

  constructor(options: ScraperOptions) {
    this.timeoutMs = options.timeoutMs;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.userAgent = options.userAgent ?? `cluster-top/${VERSION}`;
    this.bearerToken = options.bearerToken;
    this.extraHeaders = options.headers;
    this.proxy = options.proxy;
    this.requestPathOf = options.requestPath;
    this.plainHttpTransport = options.plainHttpTransport ?? 'own';
    this.poolOptions = {
      connections: options.connectionsPerOrigin ?? 1,
      keepAliveTimeout: KEEP_ALIVE_MS,
      // Our own deadline covers headers and body as a whole; undici's are per phase or per chunk.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: connectOptions(options.timeoutMs, options.tls),
    };
  }

  /** Fetches one target's body. Never rejects: every failure is a ScrapeFailure. */
  async scrape(target: Target, signal?: AbortSignal): Promise<ScrapeResult> {
    const startedAtMs = Date.now();
    const t0 = performance.now();
    const requestPath = this.requestPathOf?.(target);
    const asked = requestPath === undefined ? {} : { requestPath };
    const failure = (error: string, status?: number): ScrapeFailure => ({
      ok: false,
      target,
      error,
      ...(status === undefined ? {} : { status }),
      ...asked,
      startedAtMs,
      durationMs: performance.now() - t0,
    });
    if (this.closed) return failure('scraper closed');
    if (signal?.aborted) return failure('scrape cancelled');

    const deadline = this.deadlineFor(target);
    deadline.start(signal);
    try {
      const fetched = await this.request(target, requestPath, deadline);
      return success(target, fetched, requestPath, startedAtMs, performance.now() - t0);
    } catch (err) {
      this.replaceWedgedClient(target, err);
      if (err instanceof ScrapeError) return failure(err.message, err.status);
      if (deadline.timedOut) return failure(`timed out after ${formatSeconds(deadline.timeoutMs)}`);
      if (deadline.cancelled) return failure('scrape cancelled');
      return failure(describeError(err));
    } finally {
      // Kept for the target's next scrape, unless the target was forgotten or the scraper closed meanwhile.
      if (!this.closed && this.deadlines.get(target.id) === deadline) deadline.end();
      else deadline.dispose();
    }
  }

  /**
   * The target's kept deadline (for the target's own timeout, a scrape job's, else the scraper's),
   * or a one-off while it is busy with another scrape of the target.
   */
  private deadlineFor(target: Target): Deadline {
    const timeoutMs = target.scrape?.timeoutMs ?? this.timeoutMs;
    let deadline = this.deadlines.get(target.id);
    if (deadline?.busy) return new Deadline(timeoutMs);
    if (deadline?.timeoutMs !== timeoutMs) {
      deadline?.dispose();
      this.deadlines.set(target.id, (deadline = new Deadline(timeoutMs)));
    }
    return deadline;
  }

  /** The target is no longer scraped: close its origin's pool once no other target uses it. */
  forget(target: Target): void {
    const deadline = this.deadlines.get(target.id);
    this.deadlines.delete(target.id);
    // A scrape under way keeps its deadline until it ends, and disposes of it then.
    if (deadline?.busy === false) deadline.dispose();
    const key = poolKey(target);
    const entry = this.pools.get(key);
    if (entry === undefined) return;
    entry.users.delete(target.id);
    if (entry.users.size > 0) return;
    this.pools.delete(key);
    this.closePool(entry.pool);
  }

  /** Closes every pool; requests in flight finish first (their deadline bounds them). */
  async close(): Promise<void> {
    this.closed = true;
    for (const deadline of this.deadlines.values()) if (!deadline.busy) deadline.dispose();
    this.deadlines.clear();
    for (const { pool } of this.pools.values()) this.closePool(pool);
    this.pools.clear();
    await Promise.all(this.closing);
  }

  private async request(target: Target, requestPath: string | undefined, deadline: Deadline): Promise<FetchedBody> {
    const url = target.url;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ScrapeError('unsupported URL scheme (use http or https)');
    }
    const options: Dispatcher.DispatchOptions = {
      // The path alone: the origin is the pool's, and credentials travel only in Authorization.
      path: requestPath ?? `${url.pathname}${url.search}`,
      // What a proxy connects to; a pool has its own origin and ignores it.
      origin: url.origin,
      method: 'GET',
      headers: await this.headersFor(target),
    };
    if (undici === undefined && this.needsUndici(target)) await loadUndici();
    const pool = this.poolFor(target);
    const first = this.dispatch(pool, options, deadline);
    try {
      return await first.done;
    } catch (err) {
      // GET is idempotent, so like Go's net/http we retry once on a fresh connection.
      if (deadline.over || first.responded || !isStaleSocket(err)) throw err;
      return await this.dispatch(pool, options, deadline).done;
    }
  }

  private dispatch(pool: OriginDispatcher, options: Dispatcher.DispatchOptions, deadline: Deadline): BodyFetch {
    const fetch = new BodyFetch(this.maxBodyBytes, this.decoder);
    deadline.watch(fetch);
    if (pool instanceof Http1Connection) pool.request(options.path, options.headers as RequestHeaders, fetch);
    else pool.dispatch(options, fetch);
    return fetch;
  }

  private async headersFor(target: Target): Promise<RequestHeaders> {
    const url = target.url;
    const headers: RequestHeaders = {
      accept: ACCEPT,
      'accept-encoding': 'gzip',
      'user-agent': this.userAgent,
      ...(await this.extraHeaders?.()),
    };
    // Credentials in the URL or the target's own belong to this one target, so they win over the global token.
    const own = target.scrape?.authorization?.();
    if (url.username !== '' || url.password !== '') {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    } else if (own) {
      headers.authorization = own;
    } else {
      const token = this.bearerToken?.();
      if (token) headers.authorization = `Bearer ${token}`;
    }
    return headers;
  }

  /**
   * Whether the target's connection is undici's (HTTPS, a proxy, more than one connection, or the
   * benchmark's plainHttpTransport 'undici'), not our own.
   */
  private needsUndici(target: Target): boolean {
    return this.proxy !== undefined || this.poolOptions.connections !== 1 || target.url.protocol !== 'http:' || this.plainHttpTransport === 'undici';
  }

  /** The target's origin's connection; undici is loaded when needsUndici(target). */
  private poolFor(target: Target): OriginDispatcher {
    const key = poolKey(target);
    let entry = this.pools.get(key);
    if (entry === undefined) {
      const tls = target.scrape?.tls;
      const options = tls === undefined ? this.poolOptions : { ...this.poolOptions, connect: connectOptions(this.timeoutMs, tls.options) };
      const url = target.url;
      const pool = !this.needsUndici(target)
        ? new Http1Connection(url.hostname.replace(/^\[(.*)\]$/, '$1'), Number(url.port || 80), url.host, { keepAliveMs: KEEP_ALIVE_MS })
        : undiciPool(url, options, this.proxy);
      entry = { pool, users: new Set() };
      this.pools.set(key, entry);
    }
    entry.users.add(target.id);
    return entry.pool;
  }

  /**
   * undici 7's Client stays busy for good after a certificate not valid for the host name (the
   * failed request is left counted as running): later scrapes would wait out their deadline
   * instead of failing at once, and close() would never settle. Its origin gets a fresh one.
   */
  private replaceWedgedClient(target: Target, err: unknown): void {
    if ((err as { code?: unknown } | null)?.code !== 'ERR_TLS_CERT_ALTNAME_INVALID') return;
    const key = poolKey(target);
    const entry = this.pools.get(key);
    if (undici === undefined || !(entry?.pool instanceof undici.Client)) return;
    this.pools.delete(key);
    this.closePool(entry.pool, 'destroy');
  }

  private closePool(pool: OriginDispatcher, how: 'close' | 'destroy' = 'close'): void {
    // Closing can only fail if the pool is already closed or destroyed, which is the goal anyway.
    const done = (how === 'close' || pool instanceof Http1Connection ? pool.close() : pool.destroy()).catch(() => undefined);
    this.closing.add(done);
    void done.then(() => this.closing.delete(done));
  }
}

function undiciPool(url: URL, options: Pool.Options & { readonly connect: buildConnector.BuildOptions }, proxy: string | undefined): Client | Pool | ProxyAgent {
  if (undici === undefined) throw new Error('undici is not loaded');
  if (proxy !== undefined) return new undici.ProxyAgent({ ...options, uri: proxy, requestTls: options.connect });
  return options.connections !== 1 ? new undici.Pool(url.origin, options) : new undici.Client(url.origin, options);
}

/** Pools are per origin, and per TLS settings when a target brings its own. */
function poolKey(target: Target): string {
  const tls = target.scrape?.tls;
  return tls === undefined ? target.url.origin : `${target.url.origin} ${tls.name}`;
}

/** How a connection is made and its certificate checked: shared with the Prometheus client. */
export function connectOptions(timeoutMs: number, tls: ScraperOptions['tls']): buildConnector.BuildOptions {
  const { insecure = false, ca, caOnly = false, cert, key, servername } = tls ?? {};
  return {
    timeout: timeoutMs,
    rejectUnauthorized: !insecure,
    // Node's `ca` replaces the system roots; the extra CA is meant to add to them.
    ...(ca === undefined ? {} : { ca: caOnly ? ca : [...rootCertificates, ca] }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(servername === undefined ? {} : { servername }),
  };
}

/**
 * One timer for the whole scrape, and the caller's signal: either ends the request under way.
 * No AbortController of our own: the transport's abort, reached through the BodyFetch, is enough.
 *
 * Each target keeps its deadline from scrape to scrape: a timer and an abort listener made anew
 * for every scrape live as long as it does, past V8's young-generation collections, and filled the
 * old generation by 0.5 MB a second at 1,000 scrapes a second. The kept timer is re-armed with
 * refresh(); one that fires after its scrape ended finds nothing to end.
 */
class Deadline {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private outer: AbortSignal | undefined;
  private current: BodyFetch | undefined;
  busy = false;
  timedOut = false;
  cancelled = false;
  private readonly onOuterAbort = (): void => {
    if (!this.busy) return;
    this.cancelled = true;
    this.current?.abort(new ScrapeError('scrape cancelled'));
  };
  private readonly onTimeout = (): void => {
    if (!this.busy) return;
    this.timedOut = true;
    this.current?.abort(new Error('deadline'));
  };

  constructor(readonly timeoutMs: number) {}

  get over(): boolean {
    return this.timedOut || this.cancelled;
  }

  start(outer: AbortSignal | undefined): void {
    this.busy = true;
    this.timedOut = false;
    this.cancelled = false;
    this.current = undefined;
    if (this.timer === undefined) this.timer = setTimeout(this.onTimeout, this.timeoutMs);
    else this.timer.ref().refresh();
    if (outer !== this.outer) {
      this.outer?.removeEventListener('abort', this.onOuterAbort);
      this.outer = outer;
      outer?.addEventListener('abort', this.onOuterAbort);
    }
  }

  /** The request the deadline now ends; one that comes after the end is ended at once. */
  watch(fetch: BodyFetch): void {
    this.current = fetch;
    if (this.timedOut) fetch.abort(new Error('deadline'));
    else if (this.cancelled) fetch.abort(new ScrapeError('scrape cancelled'));
  }

  /** The scrape is over: the timer may still fire, but holds the process no longer. */
  end(): void {
    this.busy = false;
    this.current = undefined;
    this.timer?.unref();
  }

  dispose(): void {
    this.end();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.outer?.removeEventListener('abort', this.onOuterAbort);
    this.outer = undefined;
  }
}

function isStaleSocket(err: unknown): boolean {
  if (err instanceof StaleConnectionError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_SOCKET_CODES.has(code);
}

/**
 * The result of a scrape that got its body. Made here, after the request, so that no frame or
 * promise made before it holds the text (see FetchedBody.takeText).
 */
function success(target: Target, fetched: FetchedBody, requestPath: string | undefined, startedAtMs: number, durationMs: number): ScrapeSuccess {
  return {
    ok: true,
    target,
    takeBody: () => fetched.takeText(),
    contentType: firstValue(fetched.headers['content-type']),
    wireBytes: fetched.wireBytes,
    bodyBytes: fetched.bodyBytes,
    ...(requestPath === undefined ? {} : { requestPath }),
    startedAtMs,
    durationMs,
  };
}
