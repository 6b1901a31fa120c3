import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, ResponseReader } from '../../src/scrape/http1-response.js';

interface Heard {
  status?: number;
  headers?: IncomingHttpHeaders;
  body: string;
  ends: boolean[];
}

function reader(): { reader: ResponseReader; heard: Heard } {
  const heard: Heard = { body: '', ends: [] };
  const r = new ResponseReader({
    head: (status, headers) => Object.assign(heard, { status, headers }),
    body: (buffer, start, end) => (heard.body += buffer.toString('latin1', start, end)),
    end: (keepAlive) => heard.ends.push(keepAlive),
  });
  return { reader: r, heard };
}

/** Feeds `parts` as separate reads through one reused buffer, as the connection does; returns where the last read stopped. */
function feed(r: ResponseReader, parts: string[]): number {
  const buffer = Buffer.alloc(1 << 16, 0x0a);
  let stop = 0;
  for (const part of parts) {
    const n = buffer.write(part, 'latin1');
    // Stale bytes past the read must never be read: fill them with line feeds.
    buffer.fill(0x0a, n);
    stop = r.feed(buffer, 0, n);
  }
  return stop;
}

const CHUNKED = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n';

describe('ResponseReader', () => {
  it('reads a Content-Length response and keeps the connection', () => {
    const { reader: r, heard } = reader();
    const text = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: a\r\nSet-Cookie: b\r\n\r\nhello';
    expect(feed(r, [text])).toBe(text.length);
    expect(heard).toEqual({ status: 200, headers: { 'content-length': '5', 'set-cookie': ['a', 'b'] }, body: 'hello', ends: [true] });
    expect(r.done).toBe(true);
  });

  it('reads chunks with extensions and trailers', () => {
    const { reader: r, heard } = reader();
    feed(r, [CHUNKED]);
    expect(heard.body).toBe('hello, world');
    expect(heard.ends).toEqual([true]);
  });

  it('reads the same response however the bytes are cut into reads', () => {
    const responses = [CHUNKED, 'HTTP/1.1 200 OK\r\ncontent-length: 12\r\n\r\nhello, world', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello, world'];
    for (const text of responses) {
      for (let cut = 1; cut < text.length; cut++) {
        for (const second of [cut + 1, text.length]) {
          const { reader: r, heard } = reader();
          feed(r, [text.slice(0, cut), text.slice(cut, second), text.slice(second)].filter((part) => part !== ''));
          expect(heard.body, `cut at ${cut}, ${second}`).toBe('hello, world');
          expect(heard.ends).toEqual([true]);
        }
      }
    }
  });

  it('skips interim 1xx responses', () => {
    const { reader: r, heard } = reader();
    feed(r, ['HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok']);
    expect(heard.status).toBe(200);
    expect(heard.headers).toEqual({ 'content-length': '2' });
  });

  it('stops at the end of the response and says where', () => {
    const { reader: r } = reader();
    const first = 'HTTP/1.1 204 No Content\r\n\r\n';
    expect(feed(r, [`${first}HTTP/1.1 200 OK\r\n`])).toBe(first.length);
  });

  it('tells whether the connection may carry another response', () => {
    const cases: [string, boolean][] = [
      ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', true],
      ['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', false],
      ['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', false],
      ['HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n', true],
    ];
    for (const [text, keepAlive] of cases) {
      const { reader: r, heard } = reader();
      feed(r, [text]);
      expect(heard.ends, text).toEqual([keepAlive]);
    }
  });

  it('reads a body that runs to the end of the connection', () => {
    const { reader: r, heard } = reader();
    feed(r, ['HTTP/1.1 200 OK\r\n\r\nall of ', 'it']);
    expect(heard.ends).toEqual([]);
    expect(r.closed()).toBe(true);
    expect(heard).toMatchObject({ body: 'all of it', ends: [false] });
  });

  it('tells a connection closed before any response from one cut short', () => {
    expect(reader().reader.closed()).toBe(false);
    const { reader: r } = reader();
    feed(r, ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']);
    expect(() => r.closed()).toThrow('connection closed by the server before the response ended');
  });

  it('refuses what is not a well-formed response', () => {
    const bad = [
      'SSH-2.0-OpenSSH_9.6\r\n',
      'HTTP/2 200\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nName : value\r\n\r\n',
      'HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok',
      'HTTP/1.1 200 OK\nContent-Length: 2\n\nok',
    ];
    for (const text of bad) expect(() => feed(reader().reader, [text]), text).toThrow('invalid HTTP response');
  });

  it('counts every byte that is not body against one budget', () => {
    const refuse = (parts: string[]): void => expect(() => feed(reader().reader, parts), parts.join('').slice(0, 80)).toThrow('response headers too large');
    const read = (parts: string[]): void => {
      const { reader: r } = reader();
      feed(r, parts);
      expect(r.done).toBe(true);
    };
    const half = 'a'.repeat(MAX_HEAD_BYTES / 2);
    // Each part under the budget, together over it: the head and its trailers, an interim
    // response and the head, the extensions of two chunks, zeros padding a chunk size, blank lines.
    read([`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX: ${half}\r\n\r\n2\r\nok\r\n0\r\n\r\n`]);
    refuse([`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX: ${half}\r\n\r\n2\r\nok\r\n0\r\nY: ${half}\r\n\r\n`]);
    refuse([`HTTP/1.1 103 Early Hints\r\nX: ${half}\r\n\r\n`, `HTTP/1.1 200 OK\r\nY: ${half}\r\nContent-Length: 0\r\n\r\n`]);
    refuse([`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;a=${half}\r\no\r\n1;b=${half}\r\nk\r\n0\r\n\r\n`]);
    refuse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '0'.repeat(MAX_HEAD_BYTES), '2\r\nok\r\n0\r\n\r\n']);
    refuse(['\r\n'.repeat(MAX_HEAD_BYTES / 2 + 1), 'HTTP/1.1 204 No Content\r\n\r\n']);
    refuse([`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`]);
    // Chunk framing itself is not counted: a body of many small chunks is fine.
    read([`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'1\r\nx\r\n'.repeat(4000)}0\r\n\r\n`]);
    // A chunk size past 2^64 - 1, however padded.
    expect(() => feed(reader().reader, ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', `00${'1'.repeat(17)}\r\n`])).toThrow('invalid HTTP response');
  });

  it('refuses Content-Length with Transfer-Encoding, and reads codings other than chunked to the close', () => {
    expect(() => feed(reader().reader, ['HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'])).toThrow('invalid HTTP response');
    const other = reader();
    feed(other.reader, ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw']);
    expect(other.reader.closed()).toBe(true);
    expect(other.heard).toMatchObject({ body: 'raw', ends: [false] });
  });

  it('does not keep a connection whose response says close in any spacing llhttp misses', () => {
    const { reader: r, heard } = reader();
    feed(r, ['HTTP/1.1 200 OK\r\nConnection: close\t\r\nContent-Length: 0\r\n\r\n']);
    expect(heard.ends).toEqual([false]);
  });

  it('reads 101 without an upgrade as a response with no body, never to be reused', () => {
    const { reader: r, heard } = reader();
    const text = 'HTTP/1.1 101 Switching Protocols\r\n\r\n';
    expect(feed(r, [`${text}rest`])).toBe(text.length);
    expect(heard).toMatchObject({ status: 101, body: '', ends: [false] });
  });
});
