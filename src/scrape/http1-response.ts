/**
 * An HTTP/1.1 response read from bytes as they arrive (RFC 9112), for one keep-alive connection:
 * the status line and headers, then a body delimited by Content-Length, chunked coding, or the end
 * of the connection. It knows nothing of sockets: it is fed byte ranges and tells a listener.
 *
 * Lines are read where they lie in the caller's buffer; only a line cut by the end of a read is
 * carried over, as a string. Body bytes are handed on as ranges of the caller's buffer.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ScrapeError } from './scrape-error.js';

export interface ResponseListener {
  /** The status and headers of the response (1xx interim responses are skipped). */
  head(statusCode: number, headers: IncomingHttpHeaders): void;
  /** Body bytes `buffer[start, end)`: the buffer is the caller's and is only valid during the call. */
  body(buffer: Buffer, start: number, end: number): void;
  /** The response is complete; `keepAlive`: the connection may carry another one. */
  end(keepAlive: boolean): void;
}

/** As Node's and undici's default maxHeaderSize. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** A chunk-size or trailer line longer than this is no sane server's. */
const MAX_LINE_BYTES = 4 * 1024;
const LF = 0x0a;

const enum State {
  StatusLine,
  Header,
  Body,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailer,
  UntilClose,
  Done,
}

const invalid = (): ScrapeError => new ScrapeError('invalid HTTP response');

export class ResponseReader {
  private state = State.StatusLine;
  /** A line cut by the end of the last read. */
  private carried = '';
  private headBytes = 0;
  private statusCode = 0;
  private http10 = false;
  private headers: IncomingHttpHeaders = {};
  /** Body or chunk bytes still to come. */
  private remaining = 0;
  private keepAlive = true;
  private halted = false;

  constructor(private readonly listener: ResponseListener) {}

  /** Whether any byte of a response has been read. */
  get started(): boolean {
    return this.state !== State.StatusLine || this.headBytes > 0;
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  /** Stops reading, as when the listener gave up on the response. */
  halt(): void {
    this.halted = true;
  }

  /**
   * Reads `buffer[start, end)`; returns where reading stopped: `end`, or just past the end of the
   * response. Throws ScrapeError for anything that is not a well-formed response.
   */
  feed(buffer: Buffer, start: number, end: number): number {
    let pos = start;
    while (pos < end && !this.halted && this.state !== State.Done) {
      if (this.state === State.Body || this.state === State.ChunkData || this.state === State.UntilClose) {
        const take = this.state === State.UntilClose ? end - pos : Math.min(this.remaining, end - pos);
        this.remaining -= take;
        this.listener.body(buffer, pos, pos + take);
        pos += take;
        if (this.remaining === 0 && this.state === State.Body) this.finish();
        else if (this.remaining === 0 && this.state === State.ChunkData) this.state = State.ChunkEnd;
        continue;
      }
      const lf = buffer.indexOf(LF, pos);
      if (lf < 0 || lf >= end) {
        this.carry(buffer.toString('latin1', pos, end));
        return end;
      }
      let line = buffer.toString('latin1', pos, lf);
      this.count(lf + 1 - pos);
      if (this.carried !== '') {
        line = this.carried + line;
        this.carried = '';
      }
      pos = lf + 1;
      this.line(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    return pos;
  }

  /**
   * The connection ended. True when that ends the response (a body delimited by the close);
   * false when no response had started; throws when one was cut short.
   */
  closed(): boolean {
    if (this.state === State.UntilClose) {
      this.finish();
      return true;
    }
    if (this.state === State.Done || !this.started) return false;
    throw new ScrapeError('connection closed by the server before the response ended');
  }

  private carry(part: string): void {
    this.carried += part;
    this.count(part.length);
  }

  private count(bytes: number): void {
    const inHead = this.state === State.StatusLine || this.state === State.Header;
    this.headBytes += bytes;
    if (inHead && this.headBytes > MAX_HEAD_BYTES) throw new ScrapeError('response headers too large');
    if (!inHead && this.carried.length > MAX_LINE_BYTES) throw invalid();
  }

  private line(line: string): void {
    switch (this.state) {
      case State.StatusLine:
        return this.statusLine(line);
      case State.Header:
        return line === '' ? this.endOfHead() : this.header(line);
      case State.ChunkSize:
        return this.chunkSize(line);
      case State.ChunkEnd:
        if (line !== '') throw invalid();
        this.state = State.ChunkSize;
        return;
      case State.Trailer:
        if (line === '') this.finish();
        return;
      default:
        throw invalid();
    }
  }

  private statusLine(line: string): void {
    const match = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: |$)/.exec(line);
    if (match === null) throw invalid();
    this.http10 = match[1] === '0';
    this.statusCode = Number(match[2]);
    this.headers = {};
    this.state = State.Header;
  }

  private header(line: string): void {
    const colon = line.indexOf(':');
    // No name, a blank before the colon, or an obsolete folded line: RFC 9112 says reject.
    if (colon <= 0 || line.charCodeAt(colon - 1) === 0x20 || line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) throw invalid();
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    const headers = this.headers as Record<string, string | string[] | undefined>;
    const known = headers[name];
    if (known === undefined) headers[name] = value;
    else if (Array.isArray(known)) known.push(value);
    else headers[name] = [known, value];
  }

  private endOfHead(): void {
    const status = this.statusCode;
    if (status < 200) {
      // 100 Continue and 103 Early Hints come before the real response; 101 would switch protocols.
      if (status === 101) throw invalid();
      this.state = State.StatusLine;
      this.headBytes = 0;
      return;
    }
    const headers = this.headers;
    const connection = tokens(headers.connection);
    this.keepAlive = this.http10 ? connection.includes('keep-alive') : !connection.includes('close');
    const codings = tokens(headers['transfer-encoding']);
    const length = contentLength(headers['content-length']);
    this.listener.head(status, headers);
    if (this.halted) return;
    if (status === 204 || status === 304) {
      this.finish();
    } else if (codings.length > 0) {
      // Transfer-Encoding overrides Content-Length; without chunked last, the body runs to the close.
      if (codings[codings.length - 1] === 'chunked') {
        this.state = State.ChunkSize;
      } else {
        this.keepAlive = false;
        this.state = State.UntilClose;
      }
    } else if (length !== undefined) {
      this.remaining = length;
      this.state = State.Body;
      if (length === 0) this.finish();
    } else {
      this.keepAlive = false;
      this.state = State.UntilClose;
    }
  }

  private chunkSize(line: string): void {
    const match = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
    if (match === null) throw invalid();
    const size = parseInt(match[1] as string, 16);
    if (size === 0) {
      this.state = State.Trailer;
    } else {
      this.remaining = size;
      this.state = State.ChunkData;
    }
  }

  private finish(): void {
    this.state = State.Done;
    this.listener.end(this.keepAlive);
  }
}

/** The comma-separated tokens of a header, lower-cased. */
function tokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined.split(',').map((token) => token.trim().toLowerCase()).filter((token) => token !== '');
}

/** Content-Length, repeated or not; differing or malformed values are an error (RFC 9112 6.3). */
function contentLength(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const values = tokens(value);
  const first = values[0];
  if (first === undefined || !values.every((v) => v === first) || !/^\d{1,15}$/.test(first)) throw invalid();
  return Number(first);
}
