/**
 * The Prometheus HTTP API over undici, by the scraper's conventions: one keep-alive Pool, a
 * deadline per request covering headers and body, a size cap on the wire and after gzip, and
 * failures as short sentences that never quote a URL, a header or a credential.
 *
 * Queries go as POST form bodies (all four servers accept them): the interface regex alone makes
 * some queries too long to be comfortable in a URL.
 */
import { STATUS_CODES } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { VERSION } from '../../version.js';
import { readBody } from '../../scrape/read-body.js';
import { ScrapeError, describeError, formatSeconds } from '../../scrape/scrape-error.js';
import { connectOptions } from '../../scrape/scraper.js';
import { LabelCache } from './fast-vector.js';
import { apiError, decodeMatrix, decodeVector, PrometheusApiError, type Decoded, type InstantSample, type RangeSeries } from './decode.js';
import { ReadError } from '../../util/errors.js';

export interface PrometheusAuth {
  readonly basic?: { readonly user: string; readonly password: string };
  /** Asked before every request, so a rotated token file is picked up. */
  readonly bearer?: () => string | undefined;
}

export interface PrometheusClientOptions {
  /** Base URL, with any path prefix (Mimir's /prometheus). */
  readonly baseUrl: URL;
  readonly timeoutMs: number;
  /** Cap on a response, on the wire and after gzip: 10,000 nodes' per-core CPU is several MB. */
  readonly maxBodyBytes?: number;
  readonly tls?: { readonly insecure?: boolean; readonly ca?: string | Buffer };
  readonly auth?: PrometheusAuth;
  /** Extra request headers (X-Scope-OrgID for Mimir, …); their values are never shown. */
  readonly headers?: readonly (readonly [string, string])[];
  /**
   * Ask for an error rather than a partial answer: Thanos's `partial_response=false` (its querier
   * otherwise answers without a StoreAPI that failed, with a warning) and VictoriaMetrics
   * cluster's `deny_partial_response=1`. Prometheus and Mimir ignore both.
   */
  readonly denyPartial?: boolean;
}

const DENY_PARTIAL = { partial_response: 'false', deny_partial_response: '1' } as const;

/** A failed request, its message safe to show (the server's own error text included, flattened). */
export class PrometheusError extends ReadError {
  override readonly name = 'PrometheusError';
  readonly code = 'CT_ERR_PROMETHEUS';
}

/** A rejection's message for people: ours as written, anything unforeseen as a fixed phrase. */
export function describeFailure(error: unknown): string {
  return error instanceof PrometheusError ? error.message : 'request failed';
}

/** Queries the source runs at once, each on a connection of its own: gentle on a shared server. */
export const MAX_QUERIES_IN_FLIGHT = 4;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/**
 * Queries whose label sets are kept for their next answer (fast-vector.ts's LabelCache): a
 * refresh sends about fifteen; a changed rate window makes new ones of six, and the old go.
 */
const MAX_LABEL_CACHES = 32;
const KEEP_ALIVE_MS = 60_000;
const STALE_SOCKET_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

export class PrometheusClient {
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly auth: PrometheusAuth;
  private readonly extraHeaders: Record<string, string> = {};
  private readonly extraForm: Readonly<Record<string, string>>;
  /** Requests in flight, aborted by close(). */
  private readonly inflight = new Set<AbortController>();
  /** Label caches by query, least recently used first; null for a query sent once so far. */
  private readonly labelCaches = new Map<string, LabelCache | null>();
  private closed = false;
  private wire = 0;
  private body = 0;

  constructor(options: PrometheusClientOptions) {
    this.pool = new Pool(options.baseUrl.origin, {
      connections: MAX_QUERIES_IN_FLIGHT,
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: connectOptions(options.timeoutMs, options.tls),
    });
    this.prefix = options.baseUrl.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.auth = options.auth ?? {};
    for (const [name, value] of options.headers ?? []) this.extraHeaders[name.toLowerCase()] = value;
    this.extraForm = options.denyPartial === true ? DENY_PARTIAL : {};
  }

  /**
   * An instant query at the server's own present: a clock here that runs ahead of the server's
   * would otherwise look past its newest samples and find rates empty.
   */
  async query(expr: string): Promise<Decoded<InstantSample>> {
    return this.post('/api/v1/query', { query: expr }, this.timeoutMs, (text) => decodeVector(text, this.labelCache(expr)));
  }

  /**
   * The query's LabelCache, now the most recently used; the least recently used go past
   * MAX_LABEL_CACHES. None the first time a query is sent: a query sent once (--once) would only
   * pay for copies of its label text.
   */
  private labelCache(expr: string): LabelCache | undefined {
    const seen = this.labelCaches.has(expr);
    const cache = this.labelCaches.get(expr) ?? (seen ? new LabelCache() : null);
    this.labelCaches.delete(expr);
    this.labelCaches.set(expr, cache);
    for (const oldest of this.labelCaches.keys()) {
      if (this.labelCaches.size <= MAX_LABEL_CACHES) break;
      this.labelCaches.delete(oldest);
    }
    return cache ?? undefined;
  }

  /** A range query from `startMs` to `endMs` every `stepMs`. */
  async queryRange(expr: string, startMs: number, endMs: number, stepMs: number, timeoutMs = this.timeoutMs): Promise<Decoded<RangeSeries>> {
    const form = { query: expr, start: seconds(startMs), end: seconds(endMs), step: seconds(stepMs) };
    return this.post('/api/v1/query_range', form, timeoutMs, decodeMatrix);
  }

  /** Bytes of answers received so far: on the wire (gzip) and decoded, for the benchmark. */
  get bytesReceived(): { readonly wire: number; readonly body: number } {
    return { wire: this.wire, body: this.body };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const request of this.inflight) request.abort();
    await this.pool.close().catch(() => undefined);
  }

  /** The decoded answer; throws PrometheusError for every failure. */
  private async post<T>(path: string, form: Record<string, string>, timeoutMs: number, decode: (text: string) => T): Promise<T> {
    if (this.closed) throw new PrometheusError('client closed');
    // One controller per request for the deadline and close() (no AbortSignal.any on a long-lived
    // signal: a monitor sends millions of queries over its life).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    this.inflight.add(controller);
    const signal = controller.signal;
    // The server stops evaluating at our deadline too, instead of finishing a query nobody reads.
    const params = new URLSearchParams({ ...form, ...this.extraForm, timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` });
    const options: Dispatcher.RequestOptions = {
      path: `${this.prefix}${path}`,
      method: 'POST',
      headers: this.headers(),
      body: params.toString(),
      signal,
    };
    try {
      const response = await this.request(options, signal);
      const { text, wireBytes, bodyBytes } = await readBody(response.body, response.headers, this.maxBodyBytes);
      this.wire += wireBytes;
      this.body += bodyBytes;
      if (response.statusCode === 200) return decode(text);
      // Prometheus answers 400, 422 and 503 with its JSON error: the reason is in there.
      throw new PrometheusError(apiError(text) ?? `HTTP ${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ''}`.trim());
    } catch (err) {
      if (err instanceof PrometheusError) throw err;
      if (err instanceof ScrapeError) throw new PrometheusError(err.message);
      if (err instanceof PrometheusApiError) throw new PrometheusError(err.message);
      if (timedOut) throw new PrometheusError(`timed out after ${formatSeconds(timeoutMs)}`);
      if (this.closed) throw new PrometheusError('client closed');
      throw new PrometheusError(describeError(err));
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
    }
  }

  private async request(options: Dispatcher.RequestOptions, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    try {
      return await this.pool.request(options);
    } catch (err) {
      // Queries only read, so like a GET they are safe to send again on a fresh connection.
      if (signal.aborted || !isStaleSocket(err)) throw err;
      return await this.pool.request(options);
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      ...this.extraHeaders,
      accept: 'application/json',
      'accept-encoding': 'gzip',
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': `cluster-top/${VERSION}`,
    };
    const { basic, bearer } = this.auth;
    if (basic) headers.authorization = `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString('base64')}`;
    else {
      const token = bearer?.();
      if (token) headers.authorization = `Bearer ${token}`;
    }
    return headers;
  }
}

/** The API's time format: seconds since epoch, to the millisecond. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function isStaleSocket(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_SOCKET_CODES.has(code);
}
