/**
 * One GET through undici's dispatch API: the status, the headers and the body's bytes on the wire,
 * within a size cap. At 1,000 scrapes a second the request() API's per-response Readable, its
 * async iterator, its promise chain and its AbortSignal wiring cost more CPU than parsing the
 * status and headers; a handler that keeps the chunks as they come costs next to nothing.
 */
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { firstValue, tooLarge } from './read-body.js';
import { ScrapeError } from './scrape-error.js';

export interface FetchedBody {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  /** The body as it came, still gzipped if it was. */
  readonly wire: Buffer;
}

/**
 * Past this a body we will not use (an error page) is not read to the end to keep the connection:
 * the connection is dropped instead, as undici's own `dump()` does.
 */
const DRAIN_MAX_BYTES = 128 * 1024;

/**
 * A request under way. `abort` settles it at once with the reason given, whether or not undici
 * has started it yet (a request waiting for its connection has nothing to abort until it starts).
 */
export class BodyFetch implements Dispatcher.DispatchHandler {
  readonly done: Promise<FetchedBody>;
  /** true once any response (status line) came: a failure after that is not a stale socket's. */
  responded = false;
  private resolve!: (body: FetchedBody) => void;
  private reject!: (error: unknown) => void;
  private controller: Dispatcher.DispatchController | undefined;
  private reason: Error | undefined;
  private settled = false;
  private statusCode = 0;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  /** Set once the response is known to fail (status, encoding): the rest is drained, not kept. */
  private failure: ScrapeError | undefined;

  constructor(
    private readonly maxBytes: number,
    /** Content codings the caller can decode, besides identity; anything else fails at once. */
    private readonly accepts: (contentEncoding: string | string[] | undefined) => boolean,
  ) {
    this.done = new Promise<FetchedBody>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  abort(reason: Error): void {
    if (this.settled) return;
    this.reason = reason;
    this.controller?.abort(reason);
    this.settle(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.reason !== undefined) controller.abort(this.reason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx informational responses come before the real one.
    if (statusCode < 200) return;
    this.responded = true;
    this.statusCode = statusCode;
    this.headers = headers;
    if (statusCode !== 200) {
      this.failure = new ScrapeError(`HTTP ${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trim(), statusCode);
    } else if (!this.accepts(headers['content-encoding'])) {
      this.failure = new ScrapeError('unsupported Content-Encoding (only gzip and identity are accepted)');
    } else if (Number(firstValue(headers['content-length'])) > this.maxBytes) {
      this.fail(controller, tooLarge(this.maxBytes));
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.bytes += chunk.length;
    if (this.failure !== undefined) {
      if (this.bytes > DRAIN_MAX_BYTES) this.fail(controller, this.failure);
    } else if (this.bytes > this.maxBytes) {
      this.fail(controller, tooLarge(this.maxBytes));
    } else {
      // A view of the socket's read buffer, which undici does not reuse: safe to keep.
      this.chunks.push(chunk);
    }
  }

  onResponseEnd(): void {
    if (this.failure !== undefined) return this.settle(this.failure);
    const wire = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    this.settle(undefined, { statusCode: this.statusCode, headers: this.headers, wire });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.settle(error);
  }

  private fail(controller: Dispatcher.DispatchController, error: ScrapeError): void {
    this.settle(error);
    controller.abort(error);
  }

  private settle(error: unknown, body?: FetchedBody): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks.length = 0;
    if (body !== undefined) this.resolve(body);
    else this.reject(error);
  }
}
