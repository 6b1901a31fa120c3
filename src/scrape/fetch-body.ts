/**
 * One GET's outcome, through either transport: undici's dispatch API (HTTPS, proxies) or the plain
 * HTTP connection of http1-connection.ts. The status, the headers, and the body decoded to text at
 * the end of the response, within size caps on the wire and after gzip.
 *
 * At 1,000 scrapes a second the request() API's per-response Readable, its async iterator, its
 * promise chain and its AbortSignal wiring cost more CPU than parsing the status and headers; a
 * handler that keeps the chunks as they come costs next to nothing.
 */
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Exchange, ExchangeHandler } from './http1-connection.js';
import type { BodyDecoder } from './inflate.js';
import { firstValue, isGzip, tooLarge } from './read-body.js';
import { ScrapeError } from './scrape-error.js';

export interface FetchedBody {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly wireBytes: number;
  readonly bodyBytes: number;
  /**
   * The text, once: it lets go of it. The promises that carried this object were made before the
   * request and may be in V8's old generation by now; a text they still held would stay with them
   * until a full GC (about 70 KB a node_exporter scrape, 1,000 a second).
   */
  takeText(): string;
}

/**
 * Past this a body we will not use (an error page) is not read to the end to keep the connection:
 * the connection is dropped instead, as undici's own `dump()` does.
 */
const DRAIN_MAX_BYTES = 128 * 1024;

/**
 * A request under way. `abort` settles it at once with the reason given, whether or not the
 * transport has started it yet (a request waiting for its connection has nothing to abort until
 * it starts).
 */
export class BodyFetch implements Dispatcher.DispatchHandler, ExchangeHandler {
  readonly done: Promise<FetchedBody>;
  /** true once any response (status line) came: a failure after that is not a stale socket's. */
  responded = false;
  private resolve!: (body: FetchedBody) => void;
  private reject!: (error: unknown) => void;
  private stop: ((reason: Error) => void) | undefined;
  private reason: Error | undefined;
  private settled = false;
  private statusCode = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Uint8Array[] = [];
  /** How many of `chunks` (from the start) are views of a read buffer that will be reused. */
  private borrowed = 0;
  private bytes = 0;
  /** Set once the response is known to fail (status, encoding): the rest is drained, not kept. */
  private failure: ScrapeError | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly decoder: BodyDecoder,
  ) {
    this.done = new Promise<FetchedBody>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  abort(reason: Error): void {
    if (this.settled) return;
    this.reason = reason;
    this.stop?.(reason);
    this.settle(reason);
  }

  // --- undici's DispatchHandler ---

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.started((reason) => controller.abort(reason));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx informational responses come before the real one.
    if (statusCode >= 200) this.onExchangeHead(statusCode, headers);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    // A view of the socket's read buffer, which undici does not reuse: safe to keep.
    const error = this.take(chunk, false);
    if (error !== undefined) this.fail(controller, error);
  }

  onResponseEnd(): void {
    this.onExchangeEnd();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.settle(error);
  }

  // --- the plain HTTP connection's ExchangeHandler ---

  onExchangeStart(exchange: Exchange): void {
    this.started((reason) => exchange.abort(reason));
  }

  onExchangeHead(statusCode: number, headers: IncomingHttpHeaders): void {
    this.responded = true;
    this.statusCode = statusCode;
    this.headers = headers;
    if (statusCode !== 200) {
      this.failure = new ScrapeError(`HTTP ${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trim(), statusCode);
    } else if (isGzip(headers['content-encoding']) === undefined) {
      this.failure = new ScrapeError('unsupported Content-Encoding (only gzip and identity are accepted)');
    } else if (Number(firstValue(headers['content-length'])) > this.maxBytes) {
      this.abort(tooLarge(this.maxBytes));
    }
  }

  onExchangeData(buffer: Buffer, start: number, end: number): void {
    const error = this.take(buffer.subarray(start, end), true);
    if (error !== undefined) this.abort(error);
  }

  onExchangeReadEnd(): void {
    // The read buffer is about to be reused: what is kept of it must be copied first.
    if (this.borrowed === 0 || this.settled) return;
    const owned = Buffer.concat(this.chunks.slice(0, this.borrowed));
    this.chunks.splice(0, this.borrowed, owned);
    this.borrowed = 0;
  }

  onExchangeEnd(): void {
    if (this.settled) return;
    if (this.failure !== undefined) return this.settle(this.failure);
    let decoded: { text: string; bodyBytes: number };
    try {
      decoded = this.decoder.decode(this.chunks, this.bytes, isGzip(this.headers['content-encoding']) === true, this.maxBytes);
    } catch (error) {
      return this.settle(error);
    }
    let text: string | undefined = decoded.text;
    this.settle(undefined, {
      statusCode: this.statusCode,
      headers: this.headers,
      wireBytes: this.bytes,
      bodyBytes: decoded.bodyBytes,
      takeText() {
        const taken = text;
        if (taken === undefined) throw new Error('the body was already taken');
        text = undefined;
        return taken;
      },
    });
  }

  onExchangeError(error: Error): void {
    this.settle(error);
  }

  private started(stop: (reason: Error) => void): void {
    this.stop = stop;
    if (this.reason !== undefined) stop(this.reason);
  }

  /** Keeps a chunk of the body, or says why the request must end. */
  private take(chunk: Uint8Array, borrowed: boolean): ScrapeError | undefined {
    if (this.settled) return undefined;
    this.bytes += chunk.length;
    if (this.failure !== undefined) return this.bytes > DRAIN_MAX_BYTES ? this.failure : undefined;
    if (this.bytes > this.maxBytes) return tooLarge(this.maxBytes);
    this.chunks.push(chunk);
    if (borrowed) this.borrowed = this.chunks.length;
    return undefined;
  }

  private fail(controller: Dispatcher.DispatchController, error: ScrapeError): void {
    this.settle(error);
    controller.abort(error);
  }

  private settle(error: unknown, body?: FetchedBody): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks = [];
    this.borrowed = 0;
    if (body !== undefined) this.resolve(body);
    else this.reject(error);
  }
}
