/**
 * An HTTP/1.1 response read from bytes as they arrive (RFC 9112), for one keep-alive connection:
 * the status line and headers, then a body delimited by Content-Length, chunked coding, or the end
 * of the connection. It knows nothing of sockets: it is fed byte ranges and tells a listener.
 *
 * It is exactly as strict as llhttp (9.3, Node's HTTP parser) in its strict mode, which Node's
 * http client uses unless asked for `insecureHTTPParser`: what Node would refuse, this refuses too,
 * so a response no other client would read never leaves a connection to be reused. The states
 * below follow llhttp's response path (its src/llhttp/http.ts), and a differential test
 * (test/scrape/http1-llhttp.test.ts) holds the two to the same verdicts and bodies. It is
 * stricter in a few ways, on purpose (that test's table of deliberate differences):
 * - one budget, MAX_HEAD_BYTES, for every byte that is not body: blank lines before a status
 *   line, the head, interim (1xx) responses, chunk extensions, zeros padding a chunk size, and
 *   trailers. Node counts a head's names and values (and each chunk's extensions) on their own
 *   and bounds neither the blank lines nor the zeros;
 * - only HTTP/1.0 and HTTP/1.1 status lines: llhttp also reads HTTP/0.9, HTTP/2.0, RTSP and ICE.
 *
 * Bytes are read where they lie in the caller's buffer; only a status line, header name or value
 * cut by the end of a read is carried over, as a string. Body bytes are handed on as ranges of
 * the caller's buffer.
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

/**
 * As Node's and undici's default maxHeaderSize; here it bounds every byte of a response that is
 * not body (see above), so no response can make us read without end outside its body.
 */
export const MAX_HEAD_BYTES = 16 * 1024;

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;

/** Character classes, as llhttp's (src/llhttp/constants.ts). */
const TOKEN = 1;
/** HEADER_CHARS: HTAB, SP, VCHAR and obs-text; also what a quoted-pair may escape. */
const VALUE = 2;
const QDTEXT = 4;
const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const token = /^[0-9A-Za-z!#$%&'*+\-.^_`|~]$/.test(String.fromCharCode(c));
  const value = c === HT || (c >= 0x20 && c !== 0x7f);
  const qdtext = value && c !== 0x22 && c !== 0x5c;
  CLASS[c] = (token ? TOKEN : 0) | (value ? VALUE : 0) | (qdtext ? QDTEXT : 0);
}

/** llhttp's flags (the ones a response uses). */
const F_KEEP_ALIVE = 1 << 0;
const F_CLOSE = 1 << 1;
const F_CONNECTION_UPGRADE = 1 << 2;
const F_CHUNKED = 1 << 3;
const F_UPGRADE = 1 << 4;
const F_CONTENT_LENGTH = 1 << 5;
const F_TRANSFER_ENCODING = 1 << 9;

/** Headers llhttp reads for itself, by their lower-case names. */
const enum Special {
  None,
  ContentLength,
  TransferEncoding,
  Connection,
  Upgrade,
}
const SPECIAL: Readonly<Record<string, Special>> = {
  'content-length': Special.ContentLength,
  'transfer-encoding': Special.TransferEncoding,
  connection: Special.Connection,
  'proxy-connection': Special.Connection,
  upgrade: Special.Upgrade,
};

/** 2^64 - 1: llhttp keeps lengths in 64 bits and refuses more. */
const U64_MAX = '18446744073709551615';

/** Every byte read in a state before ChunkSizeStart, or in Closed, counts against MAX_HEAD_BYTES. */
const enum State {
  /** Blank lines (CR or LF bytes) before a status line, skipped. */
  Start,
  StatusLine,
  /** After the status line's CR: LF, or (as llhttp) a second CR. */
  StatusLineCr,
  HeadersStart,
  FieldStart,
  Field,
  ValueWhitespace,
  EmptyValueCr,
  EmptyValueLf,
  Value,
  ValueCr,
  ValueLf,
  /** The CR of the blank line that ends a head or the trailers. */
  HeadEndCr,
  ChunkSizeStart,
  ChunkSize,
  ChunkExtensionStart,
  ChunkExtensionName,
  ChunkExtensionValue,
  ChunkExtensionQuoted,
  ChunkExtensionQuotedPair,
  ChunkExtensionQuotedDone,
  ChunkSizeCr,
  ChunkData,
  ChunkDataCr,
  ChunkDataLf,
  Body,
  UntilClose,
  /** After an interim response that does not keep the connection: llhttp refuses anything more. */
  Closed,
  Done,
}

const invalid = (): ScrapeError => new ScrapeError('invalid HTTP response');

export class ResponseReader {
  private state = State.Start;
  /** Every byte read so far that is not body (see MAX_HEAD_BYTES). */
  private headBytes = 0;
  private statusCode = 0;
  private http10 = false;
  private headers: IncomingHttpHeaders = {};
  private flags = 0;
  /** In the trailers of a chunked body. */
  private trailing = false;
  private contentLength = 0;
  /** Body or chunk bytes still to come. */
  private remaining = 0;
  /** Hex digits of the chunk size after its leading zeros. */
  private sizeDigits = 0;
  /** The text of the status line, header name or value being read (see `mark`). */
  private text = '';
  /** Where that text starts in the current buffer, or -1 when none is being read. */
  private textFrom = -1;
  private name = '';
  private special = Special.None;
  private halted = false;

  constructor(private readonly listener: ResponseListener) {}

  /** Whether any byte of a response has been read. */
  get started(): boolean {
    return this.state !== State.Start || this.headBytes > 0;
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
    if (this.textFrom >= 0) this.textFrom = start;
    while (pos < end && !this.halted && this.state !== State.Done) {
      const state = this.state;
      if (state === State.Body || state === State.ChunkData || state === State.UntilClose) {
        const take = state === State.UntilClose ? end - pos : Math.min(this.remaining, end - pos);
        if (state !== State.UntilClose) this.remaining -= take;
        this.listener.body(buffer, pos, pos + take);
        pos += take;
        if (this.remaining === 0 && state === State.Body) this.finish(this.keepAlive());
        else if (this.remaining === 0 && state === State.ChunkData) this.state = State.ChunkDataCr;
      } else if (state === State.Value) {
        // The bulk of a head: scan the value at once.
        let at = pos;
        while (at < end && (CLASS[buffer[at] as number] as number) & VALUE) at++;
        this.count(at - pos);
        pos = at;
        if (pos < end) pos = this.step(buffer, pos);
      } else {
        pos = this.step(buffer, pos);
      }
    }
    if (this.textFrom >= 0) {
      this.text += buffer.toString('latin1', this.textFrom, pos);
      this.textFrom = 0;
    }
    return pos;
  }

  /**
   * The connection ended. True when that ends the response (a body delimited by the close);
   * false when no response had started; throws when one was cut short.
   */
  closed(): boolean {
    if (this.state === State.UntilClose) {
      this.finish(false);
      return true;
    }
    if (this.state === State.Done || !this.started) return false;
    throw new ScrapeError('connection closed by the server before the response ended');
  }

  /** Reads the byte at `pos` in a state that reads one byte at a time; returns the next position. */
  private step(buffer: Buffer, pos: number): number {
    const c = buffer[pos] as number;
    const counted = this.state < State.ChunkSizeStart || this.state >= State.Closed;
    if (counted) this.count(1);
    switch (this.state) {
      case State.Start:
        if (c !== CR && c !== LF) {
          this.mark(pos);
          this.state = State.StatusLine;
        }
        break;
      case State.StatusLine:
        if (c === CR) {
          this.statusLine(this.take(buffer, pos));
          this.state = State.StatusLineCr;
        } else if (c === LF) {
          throw invalid();
        }
        break;
      case State.StatusLineCr:
        if (c !== LF && c !== CR) throw invalid();
        this.state = State.HeadersStart;
        break;
      case State.HeadersStart:
        // Whitespace before the first header (an obsolete fold of the status line) is refused.
        if (c === SP) throw invalid();
        this.state = State.FieldStart;
        return this.again(pos);
      case State.FieldStart:
        if (c === CR) {
          this.state = State.HeadEndCr;
        } else if ((CLASS[c] as number) & TOKEN) {
          this.mark(pos);
          this.state = State.Field;
        } else {
          throw invalid();
        }
        break;
      case State.Field:
        if (c === 0x3a) this.field(this.take(buffer, pos));
        else if (!((CLASS[c] as number) & TOKEN)) throw invalid();
        break;
      case State.ValueWhitespace:
        if (c === CR) {
          this.state = State.EmptyValueCr;
        } else if (c !== SP && c !== HT) {
          if (c === LF) throw invalid();
          this.mark(pos);
          this.state = State.Value;
          // An invalid byte is refused in State.Value.
          return this.again(pos);
        }
        break;
      case State.EmptyValueCr:
        if (c !== LF) throw invalid();
        this.state = State.EmptyValueLf;
        break;
      case State.EmptyValueLf:
        // An obsolete line fold (RFC 9112 5.2) is refused.
        if (c === SP || c === HT) throw invalid();
        this.value('');
        this.state = State.FieldStart;
        return this.again(pos);
      case State.Value:
        // Only the byte that ended a scan in feed(): a CR, or an invalid one.
        if (c !== CR) throw invalid();
        this.text += buffer.toString('latin1', this.textFrom, pos);
        this.textFrom = -1;
        this.state = State.ValueCr;
        break;
      case State.ValueCr:
        if (c !== LF) throw invalid();
        this.state = State.ValueLf;
        break;
      case State.ValueLf: {
        if (c === SP || c === HT) throw invalid();
        const text = this.text;
        this.text = '';
        this.value(text);
        this.state = State.FieldStart;
        return this.again(pos);
      }
      case State.HeadEndCr:
        if (c !== LF) throw invalid();
        if (this.trailing) this.finish(this.keepAlive());
        else this.endOfHead();
        break;
      case State.ChunkSizeStart:
      case State.ChunkSize: {
        const digit = hexValue(c);
        if (digit >= 0) {
          this.chunkDigit(digit);
        } else if (this.state === State.ChunkSizeStart) {
          throw invalid();
        } else if (c === CR) {
          this.state = State.ChunkSizeCr;
        } else if (c === 0x3b) {
          this.count(1);
          this.state = State.ChunkExtensionStart;
        } else {
          // Whitespace after the size included: llhttp takes it only when lenient.
          throw invalid();
        }
        break;
      }
      case State.ChunkExtensionStart:
        this.count(1);
        if (c === SP || c === CR) throw invalid();
        this.state = State.ChunkExtensionName;
        return this.chunkExtension(c, pos);
      case State.ChunkExtensionName:
      case State.ChunkExtensionValue:
      case State.ChunkExtensionQuoted:
      case State.ChunkExtensionQuotedPair:
      case State.ChunkExtensionQuotedDone:
        if (c !== CR) this.count(1);
        return this.chunkExtension(c, pos);
      case State.ChunkSizeCr:
        if (c !== LF) throw invalid();
        if (this.remaining === 0) {
          this.trailing = true;
          this.state = State.FieldStart;
        } else {
          this.state = State.ChunkData;
        }
        break;
      case State.ChunkDataCr:
        if (c !== CR) throw invalid();
        this.state = State.ChunkDataLf;
        break;
      case State.ChunkDataLf:
        if (c !== LF) throw invalid();
        this.state = State.ChunkSizeStart;
        this.remaining = 0;
        this.sizeDigits = 0;
        break;
      case State.Closed:
        if (c !== CR && c !== LF) throw invalid();
        break;
      default:
        throw invalid();
    }
    return pos + 1;
  }

  /** One byte of a chunk extension (RFC 9112 7.1.1), as llhttp reads them. */
  private chunkExtension(c: number, pos: number): number {
    const cls = CLASS[c] as number;
    switch (this.state) {
      case State.ChunkExtensionName:
      case State.ChunkExtensionValue:
        if (c === 0x22 && this.state === State.ChunkExtensionValue) this.state = State.ChunkExtensionQuoted;
        else if (c === 0x3d && this.state === State.ChunkExtensionName) this.state = State.ChunkExtensionValue;
        else if (c === 0x3b) this.state = State.ChunkExtensionStart;
        else if (c === CR) this.state = State.ChunkSizeCr;
        else if (!(cls & TOKEN)) throw invalid();
        break;
      case State.ChunkExtensionQuoted:
        if (c === 0x22) this.state = State.ChunkExtensionQuotedDone;
        else if (c === 0x5c) this.state = State.ChunkExtensionQuotedPair;
        else if (!(cls & QDTEXT)) throw invalid();
        break;
      case State.ChunkExtensionQuotedPair:
        if (!(cls & VALUE)) throw invalid();
        this.state = State.ChunkExtensionQuoted;
        break;
      case State.ChunkExtensionQuotedDone:
        if (c === 0x3b) this.state = State.ChunkExtensionStart;
        else if (c === CR) this.state = State.ChunkSizeCr;
        else throw invalid();
        break;
      default:
        throw invalid();
    }
    return pos + 1;
  }

  private chunkDigit(digit: number): void {
    this.state = State.ChunkSize;
    if (this.sizeDigits === 0 && digit === 0) {
      // Zeros before the size: llhttp takes any number of them, and so do we, within the budget.
      this.count(1);
      return;
    }
    // More than 16 hex digits is past 2^64 - 1, which llhttp refuses; past 2^53 the count is
    // inexact, but no such chunk ends before the scrape's size cap.
    if (++this.sizeDigits > 16) throw invalid();
    this.remaining = this.remaining * 16 + digit;
  }

  private count(bytes: number): void {
    this.headBytes += bytes;
    if (this.headBytes > MAX_HEAD_BYTES) throw new ScrapeError('response headers too large');
  }

  /** The byte at `pos`, counted by step(), is to be read again in the new state. */
  private again(pos: number): number {
    this.headBytes--;
    return pos;
  }

  /** Starts a text at `pos`. */
  private mark(pos: number): void {
    this.text = '';
    this.textFrom = pos;
  }

  /** The text that ends at `pos`. */
  private take(buffer: Buffer, pos: number): string {
    const text = this.text + buffer.toString('latin1', this.textFrom, pos);
    this.text = '';
    this.textFrom = -1;
    return text;
  }

  private statusLine(line: string): void {
    // A three-digit code, then a space and any reason (bytes other than CR and LF), or nothing.
    const match = /^HTTP\/1\.([01]) (\d\d\d)(?: |$)/.exec(line);
    if (match === null) throw invalid();
    this.http10 = match[1] === '0';
    this.statusCode = Number(match[2]);
    this.headers = {};
    this.flags = 0;
    this.contentLength = 0;
    this.trailing = false;
  }

  private field(name: string): void {
    this.name = name.toLowerCase();
    const special = SPECIAL[this.name] ?? Special.None;
    this.special = special;
    // RFC 9112 6.3: both is a sign of request smuggling; llhttp 9 refuses either order.
    if (special === Special.TransferEncoding && this.flags & F_CONTENT_LENGTH) throw invalid();
    if (special === Special.ContentLength && this.flags & F_TRANSFER_ENCODING) throw invalid();
    this.state = State.ValueWhitespace;
  }

  /** A header's value, from its first byte that is not a blank to its end (blanks included). */
  private value(raw: string): void {
    switch (this.special) {
      case Special.ContentLength: {
        // A second one, even equal to the first, or an empty one is refused; so are blanks other than spaces after the digits.
        const digits = /^(\d+) *$/.exec(raw)?.[1];
        if (this.flags & F_CONTENT_LENGTH || digits === undefined) throw invalid();
        const significant = digits.replace(/^0+/, '');
        if (significant.length > U64_MAX.length || (significant.length === U64_MAX.length && significant > U64_MAX)) throw invalid();
        this.contentLength = Number(significant);
        this.flags |= F_CONTENT_LENGTH;
        break;
      }
      case Special.TransferEncoding:
        // An empty value says nothing; otherwise chunked is the coding if this value's last one is
        // `chunked`, followed by spaces alone (llhttp's reading: a tab after it makes it another).
        if (raw !== '') this.flags = (this.flags | F_TRANSFER_ENCODING) & ~F_CHUNKED | (/^[ \t]*chunked *$/i.test(raw.slice(raw.lastIndexOf(',') + 1)) ? F_CHUNKED : 0);
        break;
      case Special.Connection:
        for (const token of raw.split(',')) {
          const match = /^[ \t]*(close|keep-alive|upgrade) *$/i.exec(token)?.[1]?.toLowerCase();
          if (match === 'close') this.flags |= F_CLOSE;
          else if (match === 'keep-alive') this.flags |= F_KEEP_ALIVE;
          else if (match === 'upgrade') this.flags |= F_CONNECTION_UPGRADE;
        }
        break;
      case Special.Upgrade:
        if (raw !== '') this.flags |= F_UPGRADE;
        break;
      case Special.None:
        break;
    }
    if (this.trailing) return;
    const value = raw.replace(/[ \t]+$/, '');
    const headers = this.headers as Record<string, string | string[] | undefined>;
    const known = headers[this.name];
    if (known === undefined) headers[this.name] = value;
    else if (Array.isArray(known)) known.push(value);
    else headers[this.name] = [known, value];
  }

  private endOfHead(): void {
    const status = this.statusCode;
    // 101 with Upgrade and Connection: upgrade switches protocols, which Node's client refuses
    // without an upgrade listener; without them, it is a response with no body (llhttp's reading).
    if (status === 101 && this.flags & F_UPGRADE && this.flags & F_CONNECTION_UPGRADE) throw invalid();
    if (status >= 100 && status < 200 && status !== 101) {
      // 100 Continue, 103 Early Hints and the like come before the real response, with no body.
      this.state = this.llhttpKeepAlive() ? State.Start : State.Closed;
      return;
    }
    this.listener.head(status, this.headers);
    if (this.halted) return;
    if (status === 101) {
      this.finish(false);
    } else if (status === 204 || status === 304) {
      this.finish(this.keepAlive());
    } else if (this.flags & F_CHUNKED) {
      this.remaining = 0;
      this.sizeDigits = 0;
      this.state = State.ChunkSizeStart;
    } else if (this.flags & F_TRANSFER_ENCODING || !(this.flags & F_CONTENT_LENGTH)) {
      // A coding other than chunked last, or no length at all: the body runs to the close.
      this.state = State.UntilClose;
    } else if (this.contentLength === 0) {
      this.finish(this.keepAlive());
    } else {
      this.remaining = this.contentLength;
      this.state = State.Body;
    }
  }

  /** llhttp_should_keep_alive, for a message with no body or a delimited one. */
  private llhttpKeepAlive(): boolean {
    return this.http10 ? (this.flags & F_KEEP_ALIVE) !== 0 : (this.flags & F_CLOSE) === 0;
  }

  /**
   * Whether the connection may carry the next request: as llhttp says, unless any Connection
   * token is `close` however it is spaced (llhttp misses `close` followed by a tab, for one).
   */
  private keepAlive(): boolean {
    if (!this.llhttpKeepAlive()) return false;
    const connection = this.headers.connection;
    const tokens = (Array.isArray(connection) ? connection.join(',') : (connection ?? '')).split(',');
    return !tokens.some((token) => token.trim().toLowerCase() === 'close');
  }

  private finish(keepAlive: boolean): void {
    this.state = State.Done;
    this.listener.end(keepAlive);
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
