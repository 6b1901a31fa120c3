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
      'HTTP/1.1 101 Switching Protocols\r\n\r\n',
    ];
    for (const text of bad) expect(() => feed(reader().reader, [text]), text).toThrow('invalid HTTP response');
  });

  it('bounds the head and the lines it carries between reads', () => {
    expect(() => feed(reader().reader, [`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`])).toThrow('response headers too large');
    const { reader: r } = reader();
    expect(() => feed(r, ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '1'.repeat(5000)])).toThrow('invalid HTTP response');
  });

  it('prefers chunked coding over Content-Length, and reads other codings to the close', () => {
    const { reader: r, heard } = reader();
    feed(r, ['HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n']);
    expect(heard).toMatchObject({ body: 'ok', ends: [true] });
    const other = reader();
    feed(other.reader, ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw']);
    expect(other.reader.closed()).toBe(true);
    expect(other.heard).toMatchObject({ body: 'raw', ends: [false] });
  });
});
