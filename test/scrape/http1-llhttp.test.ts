/**
 * The plain-HTTP reader (src/scrape/http1-response.ts) against llhttp, through Node's own client
 * (llhttp-oracle.ts): the same bytes to both, the same verdict (a complete response or not) and
 * the same status and body bytes. Hand-written cases, real node_exporter-like responses and
 * seeded mutations of them; ours is also fed every case cut into reads in many ways, as a socket
 * may cut it, and must say the same however it is cut.
 *
 * Where the two differ, they differ on purpose: DELIBERATE says where and why, and any difference
 * it does not explain fails the test.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseReader } from '../../src/scrape/http1-response.js';
import { random } from '../random.js';
import { NodeClientOracle, type Verdict } from './llhttp-oracle.js';

interface Deliberate {
  readonly what: string;
  /** What llhttp (Node's client) does. */
  readonly llhttp: string;
  /** What we do, and why. */
  readonly ours: string;
  /** Whether this difference explains ours refusing `bytes` where Node read a response. */
  applies(bytes: Buffer, ours: Verdict): boolean;
}

/** The table of deliberate differences: in each, we refuse what Node reads. */
const DELIBERATE: readonly Deliberate[] = [
  {
    what: 'status lines of other protocols and versions',
    llhttp: 'reads HTTP/0.9, HTTP/2.0, RTSP/x.y and ICE/x.y status lines, as its parser is shared with RTSP and ICE',
    ours: 'reads HTTP/1.0 and HTTP/1.1 only: an endpoint that answers an HTTP/1.1 GET with any other protocol is not to be trusted with framing',
    applies: (bytes) => /(?:^|[\r\n])(?:RTSP\/|ICE\/|HTTP\/(?:0\.9|2\.0) )/.test(bytes.toString('latin1')),
  },
  {
    what: 'one budget for every byte that is not body',
    llhttp:
      "Node's client counts the status, names and values of one head or set of trailers against 16 KiB, and each chunk's extensions against another 16 KiB; blank lines before a status line and zeros before a chunk size are not bounded at all",
    ours: 'counts every byte outside the body (blank lines, heads of interim responses and of the response, chunk extensions, zeros before a chunk size, trailers) against one 16 KiB budget, so nothing but the body can make us read on, and the body has its own cap',
    applies: (_bytes, ours) => !ours.ok && ours.reason === 'response headers too large',
  },
];

/** `name`, the bytes, and what llhttp does with them (checked against Node, to document it). */
type Case = readonly [name: string, text: string, llhttp: 'accept' | 'reject'];

const OK = 'HTTP/1.1 200 OK\r\n';
const CHUNKED = `${OK}Transfer-Encoding: chunked\r\n\r\n`;
const OK_BODY = 'Content-Length: 2\r\n\r\nok';
const ok = (headers: string): string => `${OK}${headers}${OK_BODY}`;

const HAND: readonly Case[] = [
  // Well-formed.
  ['Content-Length', ok(''), 'accept'],
  ['chunked, with extensions and trailers', `${CHUNKED}5;ext=1\r\nhello\r\n7;a="q\\"x";b\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n`, 'accept'],
  ['no length: the body runs to the close', `${OK}Content-Type: text/plain\r\n\r\nall of it`, 'accept'],
  ['HTTP/1.0, to the close', 'HTTP/1.0 200 OK\r\n\r\nall of it', 'accept'],
  ['Connection: close with a length', `${OK}Connection: close\r\n${OK_BODY}`, 'accept'],
  ['header values with obs-text', ok('X: caf\xe9 \x80\xff\r\n'), 'accept'],
  ['a header with an empty value', ok('X:\r\n'), 'accept'],
  ['a header value of blanks alone', ok('X: \t \r\n'), 'accept'],
  ['a name of every token character', ok("!#$%&'*+-.^_`|~09AZaz: 1\r\n"), 'accept'],
  ['Upgrade on a 200', ok('Upgrade: h2c\r\nConnection: upgrade\r\n'), 'accept'],
  // From issue #13: what llhttp refuses.
  ['Content-Length, then Transfer-Encoding', `${OK}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['Transfer-Encoding, then Content-Length', `${OK}Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['LF-only line endings', 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok', 'reject'],
  ['LF ending the status line', `HTTP/1.1 200 OK\n${OK_BODY}`, 'reject'],
  ['LF ending a header line', ok('X: a\n'), 'reject'],
  ['LF ending the head', `${OK}Content-Length: 2\r\n\nok`, 'reject'],
  ['a bare CR inside a header value', ok('X: a\rb\r\n'), 'reject'],
  ['a CR and no LF ending a header', ok('X: a\r'), 'reject'],
  ['NUL in a header value', ok('X: a\0b\r\n'), 'reject'],
  ['VT in a header value', ok('X: a\vb\r\n'), 'reject'],
  ['DEL in a header value', ok('X: a\x7fb\r\n'), 'reject'],
  ['a space before the colon', ok('X : 1\r\n'), 'reject'],
  ['a tab before the colon', ok('X\t: 1\r\n'), 'reject'],
  ['a space before the colon of Content-Length', `${OK}Content-Length : 2\r\n\r\nok`, 'reject'],
  ['a non-breaking space before a Content-Length value', `${OK}Content-Length: \xa02\r\n\r\nok`, 'reject'],
  ['Content-Length: n, n', `${OK}Content-Length: 2, 2\r\n\r\nok`, 'reject'],
  ['Content-Length twice, equal', `${OK}Content-Length: 2\r\n${OK_BODY}`, 'reject'],
  ['Content-Length twice, differing', `${OK}Content-Length: 3\r\n${OK_BODY}`, 'reject'],
  ['a space after the chunk size', `${OK}Transfer-Encoding: chunked\r\n\r\n2 \r\nok\r\n0\r\n\r\n`, 'reject'],
  ['a tab after the chunk size', `${CHUNKED}2\t\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['NUL in a chunk extension name', `${CHUNKED}2;a\0=b\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['NUL in a chunk extension value', `${CHUNKED}2;a=b\0\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['a chunk size of 16 digits, leading zeros', `${CHUNKED}000000000000001a\r\n${'x'.repeat(26)}\r\n0\r\n\r\n`, 'accept'],
  ['a chunk size of 40 digits, leading zeros', `${CHUNKED}${'0'.repeat(39)}2\r\nok\r\n00000\r\n\r\n`, 'accept'],
  // Lengths.
  ['Content-Length with leading zeros', `${OK}Content-Length: 0002\r\n\r\nok`, 'accept'],
  ['Content-Length with a trailing space', `${OK}Content-Length: 2 \r\n\r\nok`, 'accept'],
  ['Content-Length with a trailing tab', `${OK}Content-Length: 2\t\r\n\r\nok`, 'reject'],
  ['Content-Length with a leading tab', `${OK}Content-Length:\t2\r\n\r\nok`, 'accept'],
  ['an empty Content-Length', `${OK}Content-Length: \r\n\r\nok`, 'reject'],
  ['Content-Length: +2', `${OK}Content-Length: +2\r\n\r\nok`, 'reject'],
  ['Content-Length: -1', `${OK}Content-Length: -1\r\n\r\nok`, 'reject'],
  ['Content-Length: 0x2', `${OK}Content-Length: 0x2\r\n\r\nok`, 'reject'],
  ['Content-Length of 2^64 - 1, cut short', `${OK}Content-Length: 18446744073709551615\r\n\r\nok`, 'reject'],
  ['Content-Length of 2^64', `${OK}Content-Length: 18446744073709551616\r\n\r\nok`, 'reject'],
  ['a chunk size of 2^64 - 1, cut short', `${CHUNKED}ffffffffffffffff\r\nok`, 'reject'],
  ['a chunk size of 2^64', `${CHUNKED}10000000000000000\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['the body cut short', `${OK}Content-Length: 5\r\n\r\nok`, 'reject'],
  ['the head cut short', `${OK}Content-Length: 2\r\n`, 'reject'],
  ['nothing at all', '', 'reject'],
  // Transfer-Encoding, as llhttp reads it.
  ['Transfer-Encoding: gzip, to the close', `${OK}Transfer-Encoding: gzip\r\n\r\nraw bytes`, 'accept'],
  ['Transfer-Encoding: gzip, chunked', `${OK}Transfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['Transfer-Encoding: chunked, gzip, to the close', `${OK}Transfer-Encoding: chunked, gzip\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['Transfer-Encoding: chunked, (to the close)', `${OK}Transfer-Encoding: chunked,\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['Transfer-Encoding: chunked and a tab (to the close)', `${OK}Transfer-Encoding: chunked\t\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['Transfer-Encoding: chunked and spaces', `${OK}Transfer-Encoding: chunked  \r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['Transfer-Encoding: CHUNKED', `${OK}Transfer-Encoding: CHUNKED\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['Transfer-Encoding: x ,\tchunked', `${OK}Transfer-Encoding: x ,\tchunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['two Transfer-Encoding headers, chunked first (to the close)', `${OK}Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['two Transfer-Encoding headers, chunked last', `${OK}Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['an empty Transfer-Encoding after chunked', `${OK}Transfer-Encoding: chunked\r\nTransfer-Encoding:\r\n\r\n2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['an empty Transfer-Encoding, then Content-Length', `${OK}Transfer-Encoding: \r\nContent-Length: 2\r\n\r\nok`, 'accept'],
  ['Content-Length, then an empty Transfer-Encoding', `${OK}Content-Length: 2\r\nTransfer-Encoding: \r\n\r\nok`, 'reject'],
  // Folds and names.
  ['an obsolete line fold', ok('X: a\r\n b\r\n'), 'reject'],
  ['a fold after an empty value', ok('X:\r\n b\r\n'), 'reject'],
  ['a space before the first header', `${OK} X: 1\r\n${OK_BODY}`, 'reject'],
  ['a tab before the first header', `${OK}\tX: 1\r\n${OK_BODY}`, 'reject'],
  ['a header with no name', ok(': x\r\n'), 'reject'],
  ['a header with no colon', ok('no colon here\r\n'), 'reject'],
  ['a separator in a name', ok('X(y): 1\r\n'), 'reject'],
  ['obs-text in a name', ok('X\xe9: 1\r\n'), 'reject'],
  // Status lines.
  ['no reason phrase', `HTTP/1.1 200\r\n${OK_BODY}`, 'accept'],
  ['a space and no reason phrase', `HTTP/1.1 200 \r\n${OK_BODY}`, 'accept'],
  ['control bytes in the reason phrase', `HTTP/1.1 200 O\0\x7fK\t\r\n${OK_BODY}`, 'accept'],
  ['status 000', `HTTP/1.1 000 Zero\r\n${OK_BODY}`, 'accept'],
  ['status 099', `HTTP/1.1 099 Low\r\n${OK_BODY}`, 'accept'],
  ['status 999', `HTTP/1.1 999 High\r\n${OK_BODY}`, 'accept'],
  ['status 500 with a body', `HTTP/1.1 500 Internal Server Error\r\n${OK_BODY}`, 'accept'],
  ['two spaces before the status', `HTTP/1.1  200 OK\r\n${OK_BODY}`, 'reject'],
  ['a four-digit status', `HTTP/1.1 2000 OK\r\n${OK_BODY}`, 'reject'],
  ['a two-digit status', `HTTP/1.1 20 OK\r\n${OK_BODY}`, 'reject'],
  ['a tab after the status', `HTTP/1.1 200\tOK\r\n${OK_BODY}`, 'reject'],
  ['CR CR ending the status line', `HTTP/1.1 200 OK\r\r${OK_BODY}`, 'accept'],
  ['CR and a letter ending the status line', `HTTP/1.1 200 OK\rX${OK_BODY}`, 'reject'],
  ['HTTP/1.2', `HTTP/1.2 200 OK\r\n${OK_BODY}`, 'reject'],
  ['HTTP/2', `HTTP/2 200\r\n${OK_BODY}`, 'reject'],
  ['HTTP/3.0', `HTTP/3.0 200 OK\r\n${OK_BODY}`, 'reject'],
  ['lower-case http', `http/1.1 200 OK\r\n${OK_BODY}`, 'reject'],
  ['blank lines before the status line', `\r\n\n\r\r${ok('')}`, 'accept'],
  ['a space before the status line', ` ${ok('')}`, 'reject'],
  ['an SSH banner', 'SSH-2.0-OpenSSH_9.6\r\n', 'reject'],
  // Interim responses.
  ['100 Continue, then the response', `HTTP/1.1 100 Continue\r\n\r\n${ok('')}`, 'accept'],
  ['103 Early Hints with headers', `HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n${ok('')}`, 'accept'],
  ['a 150 with a Content-Length has no body', `HTTP/1.1 150 X\r\nContent-Length: 2\r\n\r\n${ok('')}`, 'accept'],
  ['a 102 that says chunked has no body', `HTTP/1.1 102 Processing\r\nTransfer-Encoding: chunked\r\n\r\n${ok('')}`, 'accept'],
  ['blank lines after an interim response', `HTTP/1.1 100 Continue\r\n\r\n\r\n\r\n${ok('')}`, 'accept'],
  ['100 Continue with Connection: close', `HTTP/1.1 100 Continue\r\nConnection: close\r\n\r\n${ok('')}`, 'reject'],
  ['HTTP/1.0 100 Continue', `HTTP/1.0 100 Continue\r\n\r\n${ok('')}`, 'reject'],
  ['HTTP/1.0 100 Continue with keep-alive', `HTTP/1.0 100 Continue\r\nConnection: keep-alive\r\n\r\n${ok('')}`, 'accept'],
  ['an interim response with a bad header', `HTTP/1.1 100 Continue\r\nX: a\0\r\n\r\n${ok('')}`, 'reject'],
  ['an interim response with Content-Length and Transfer-Encoding', `HTTP/1.1 100 Continue\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n${ok('')}`, 'reject'],
  ['an interim response alone', 'HTTP/1.1 100 Continue\r\n\r\n', 'reject'],
  ['101 without Upgrade: a response with no body', 'HTTP/1.1 101 Switching Protocols\r\n\r\nwhatever', 'accept'],
  ['101 with Upgrade and Connection: upgrade', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\nwhatever', 'reject'],
  ['204 with a Content-Length has no body', `HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n`, 'accept'],
  ['304 has no body', `HTTP/1.1 304 Not Modified\r\n\r\n`, 'accept'],
  // Chunk framing.
  ['upper-case hex chunk size', `${CHUNKED}A\r\n0123456789\r\n0\r\n\r\n`, 'accept'],
  ['chunk data without its CRLF', `${CHUNKED}2\r\nokX\r\n0\r\n\r\n`, 'reject'],
  ['LF after chunk data', `${CHUNKED}2\r\nok\n0\r\n\r\n`, 'reject'],
  ['LF after a chunk size', `${CHUNKED}2\nok\r\n0\r\n\r\n`, 'reject'],
  ['LF after the last chunk', `${CHUNKED}2\r\nok\r\n0\r\n\n`, 'reject'],
  ['no last chunk', `${CHUNKED}2\r\nok\r\n`, 'reject'],
  ['no blank line after the last chunk', `${CHUNKED}2\r\nok\r\n0\r\n`, 'reject'],
  ['a chunk size that is not hex', `${CHUNKED}zz\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['an empty chunk size line', `${CHUNKED}\r\n2\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['a sign before the chunk size', `${CHUNKED}+2\r\nok\r\n0\r\n\r\n`, 'reject'],
  // Chunk extensions.
  ['a quoted extension with an escaped quote', `${CHUNKED}2;a="b\\"c"\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['a quote after a token value', `${CHUNKED}2;a=b"c"\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['an extension with an empty name', `${CHUNKED}2;=b\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['extensions with and without values', `${CHUNKED}2;a;b=1;;c\r\nok\r\n0;last\r\n\r\n`, 'accept'],
  ['an extension with an empty value', `${CHUNKED}2;a=\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['a space after the semicolon', `${CHUNKED}2; a=b\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['a space before the equals sign', `${CHUNKED}2;a =b\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['a tab in an extension', `${CHUNKED}2;\ta\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['a CR right after the semicolon', `${CHUNKED}2;\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['an LF ending an extension', `${CHUNKED}2;a=b\nok\r\n0\r\n\r\n`, 'reject'],
  ['a control byte in a quoted value', `${CHUNKED}2;a="b\x01"\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['an escaped control byte in a quoted value', `${CHUNKED}2;a="b\\\x01"\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['text after a closing quote', `${CHUNKED}2;a="b"c\r\nok\r\n0\r\n\r\n`, 'reject'],
  ['an unclosed quote', `${CHUNKED}2;a="b\r\nok\r\n0\r\n\r\n`, 'reject'],
  // Trailers.
  ['two trailers', `${CHUNKED}2\r\nok\r\n0\r\nA: 1\r\nB: 2\r\n\r\n`, 'accept'],
  ['a trailer with NUL', `${CHUNKED}2\r\nok\r\n0\r\nA: \0\r\n\r\n`, 'reject'],
  ['a Content-Length trailer', `${CHUNKED}2\r\nok\r\n0\r\nContent-Length: 2\r\n\r\n`, 'reject'],
  ['a folded trailer', `${CHUNKED}2\r\nok\r\n0\r\nA: 1\r\n 2\r\n\r\n`, 'reject'],
  ['a trailer ended by LF', `${CHUNKED}2\r\nok\r\n0\r\nA: 1\n\r\n`, 'reject'],
  ['a trailer with no colon', `${CHUNKED}2\r\nok\r\n0\r\nA\r\n\r\n`, 'reject'],
  // Deliberate differences (see DELIBERATE).
  ['HTTP/2.0 status line', `HTTP/2.0 200 OK\r\n${OK_BODY}`, 'accept'],
  ['HTTP/0.9 status line', `HTTP/0.9 200 OK\r\n${OK_BODY}`, 'accept'],
  ['RTSP status line', `RTSP/1.0 200 OK\r\n${OK_BODY}`, 'accept'],
  ['ICE status line', `ICE/1.0 200 OK\r\n${OK_BODY}`, 'accept'],
  ['blank lines past the budget', `${'\r\n'.repeat(9000)}${ok('')}`, 'accept'],
  ['zeros past the budget before a chunk size', `${CHUNKED}${'0'.repeat(17_000)}2\r\nok\r\n0\r\n\r\n`, 'accept'],
  ['a head and trailers, each under the limit', `${OK}Transfer-Encoding: chunked\r\nX: ${'a'.repeat(9000)}\r\n\r\n2\r\nok\r\n0\r\nY: ${'b'.repeat(9000)}\r\n\r\n`, 'accept'],
  ['an interim response and a head, each under the limit', `HTTP/1.1 103 Early Hints\r\nX: ${'a'.repeat(9000)}\r\n\r\n${ok(`Y: ${'b'.repeat(9000)}\r\n`)}`, 'accept'],
  ['extensions of two chunks, each under the limit', `${CHUNKED}1;a=${'b'.repeat(9000)}\r\no\r\n1;a=${'b'.repeat(9000)}\r\nk\r\n0\r\n\r\n`, 'accept'],
  ['a head whose names and values are under the limit', ok(Array.from({ length: 1100 }, (_, i) => `H${i}: ${'v'.repeat(8)}\r\n`).join('')), 'accept'],
  // Past every limit.
  ['a head past the limit', ok(`X: ${'a'.repeat(17_000)}\r\n`), 'reject'],
  ['chunk extensions past the limit', `${CHUNKED}2;a=${'b'.repeat(17_000)}\r\nok\r\n0\r\n\r\n`, 'reject'],
];

/** A node_exporter-like body: the start of a real scrape. */
const EXPOSITION = ((): Buffer => {
  const text = readFileSync(new URL('../fixtures/node-exporter.prom', import.meta.url), 'latin1');
  return Buffer.from(text.slice(0, text.indexOf('\n', 3000) + 1), 'latin1');
})();

const GO_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nDate: Mon, 02 Jun 2025 10:00:00 GMT\r\n';

/** Chunks as Go's net/http writes them: lower-case hex, no padding. */
function chunk(body: Buffer, sizes: readonly number[], extension = ''): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0, i = 0; at < body.length; i++) {
    const piece = body.subarray(at, at + (sizes[i % sizes.length] as number));
    parts.push(Buffer.from(`${piece.length.toString(16)}${extension}\r\n`, 'latin1'), piece, Buffer.from('\r\n'));
    at += piece.length;
  }
  parts.push(Buffer.from('0\r\n'));
  return Buffer.concat(parts);
}

const bytes = (...parts: (string | Buffer)[]): Buffer => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));

/** Real responses, as a node_exporter sends them and a few other ways. */
const REAL: readonly (readonly [string, Buffer])[] = (() => {
  const gzipped = gzipSync(EXPOSITION);
  return [
    ['Content-Length', bytes(GO_HEAD, `Content-Length: ${EXPOSITION.length}\r\n\r\n`, EXPOSITION)],
    ['Content-Length, gzip', bytes(GO_HEAD, `Content-Encoding: gzip\r\nVary: Accept-Encoding\r\nContent-Length: ${gzipped.length}\r\n\r\n`, gzipped)],
    ['chunked', bytes(GO_HEAD, 'Transfer-Encoding: chunked\r\n\r\n', chunk(EXPOSITION, [1024, 517, 2048]), '\r\n')],
    ['chunked, gzip', bytes(GO_HEAD, 'Content-Encoding: gzip\r\nVary: Accept-Encoding\r\nTransfer-Encoding: chunked\r\n\r\n', chunk(gzipped, [300, 77]), '\r\n')],
    [
      'Early Hints, chunk extensions, trailers',
      bytes('HTTP/1.1 103 Early Hints\r\nLink: </metrics>; rel=preload\r\n\r\n', GO_HEAD, 'Transfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n', chunk(EXPOSITION, [700], ';name="v\\"1";x=y'), 'X-Checksum: abc\r\n\r\n'),
    ],
    ['HTTP/1.0, to the close', bytes('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n', EXPOSITION)],
  ];
})();

/** Reads `input` cut at `cuts` into separate reads, through one reused buffer as the connection does. */
function readOurs(input: Buffer, cuts: readonly number[] = []): Verdict {
  const body: Buffer[] = [];
  let status = 0;
  let ended = false;
  const reader = new ResponseReader({
    head: (statusCode) => (status = statusCode),
    // A copy: the buffer is reused for the next read.
    body: (buffer, start, end) => body.push(Buffer.from(buffer.subarray(start, end))),
    end: () => (ended = true),
  });
  const buffer = Buffer.alloc(input.length + 16);
  const bounds = [0, ...cuts, input.length];
  try {
    for (let i = 1; i < bounds.length && !ended; i++) {
      const n = input.copy(buffer, 0, bounds[i - 1], bounds[i]);
      // Stale bytes past the read must never be read.
      buffer.fill(0x0a, n);
      reader.feed(buffer, 0, n);
    }
    if (!ended && !reader.closed()) return { ok: false, reason: 'no response' };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return ended ? { ok: true, status, body: Buffer.concat(body) } : { ok: false, reason: 'incomplete' };
}

const same = (a: Verdict, b: Verdict): boolean => (a.ok && b.ok ? a.status === b.status && a.body.equals(b.body) : a.ok === b.ok);

const show = (v: Verdict): string => (v.ok ? `a ${v.status} response with ${v.body.length} body bytes` : `refused (${v.reason})`);

/** Which deliberate difference explains ours and Node's verdicts on `input`: undefined if they agree; fails if none does. */
function explain(name: string, input: Buffer, node: Verdict, ours: Verdict): string | undefined {
  if (same(node, ours)) return undefined;
  const deliberate = node.ok ? DELIBERATE.find((d) => d.applies(input, ours)) : undefined;
  if (deliberate === undefined) {
    const head = JSON.stringify(input.toString('latin1').slice(0, 300));
    expect.fail(`${name}: llhttp read ${show(node)}, ours ${show(ours)}; bytes ${head}`);
  }
  return deliberate.what;
}

/** Every single cut (for inputs of a few KB), one byte per read, and `extra` random cut sets. */
function expectSameHoweverCut(name: string, input: Buffer, whole: Verdict, next: () => number, extra: number): number {
  let runs = 0;
  const check = (cuts: number[]): void => {
    runs++;
    const cut = readOurs(input, cuts);
    if (!same(cut, whole)) expect.fail(`${name}: cut at ${cuts.length > 8 ? 'every byte' : cuts.join(', ')}, ours read ${show(cut)} instead of ${show(whole)}`);
  };
  if (input.length <= 8192) for (let at = 1; at < input.length; at++) check([at]);
  check(Array.from({ length: Math.max(0, input.length - 1) }, (_, i) => i + 1));
  for (let i = 0; i < extra && input.length > 2; i++) {
    const cuts = [...new Set(Array.from({ length: 1 + Math.floor(next() * 4) }, () => 1 + Math.floor(next() * (input.length - 1))))].sort((a, b) => a - b);
    check(cuts);
  }
  return runs;
}

const INTERESTING = [0x0d, 0x0a, 0x20, 0x09, 0x00, 0x0b, 0xa0, 0x7f, 0xff, 0x80, ...Buffer.from(':;,"\\=0aFx-+')];
const LINES = [
  'Content-Length: 0',
  'Content-Length: 10',
  'Content-Length: 2, 2',
  'Transfer-Encoding: chunked',
  'Transfer-Encoding: gzip',
  'Transfer-Encoding: gzip, chunked',
  'Transfer-Encoding: chunked\t',
  'Transfer-Encoding:',
  'Connection: close',
  'Connection: keep-alive',
  'Upgrade: h2c',
  'Connection: upgrade',
  'X-Folded: a\r\n b',
  'X-Empty:',
  'Trailer: X',
];

/**
 * One to three random edits of `input`, most of them where framing lives: the head, the chunk
 * size lines, and the blank line and trailers at the end.
 */
function mutate(input: Buffer, next: () => number): Buffer {
  let out = Buffer.from(input);
  const edits = 1 + Math.floor(next() * 3);
  for (let e = 0; e < edits; e++) {
    const text = out.toString('latin1');
    const headEnd = text.indexOf('\r\n\r\n') + 4;
    const framing = [...text.matchAll(/\r\n[0-9a-fA-F]+[;\r]/g)].map((m) => m.index + 2);
    const roll = next();
    const pick = (n: number): number => Math.floor(next() * n);
    let at: number;
    if (roll < 0.5 || headEnd < 4) at = pick(Math.max(1, headEnd + 2));
    else if (roll < 0.8 && framing.length > 0) at = (framing[pick(framing.length)] as number) + pick(10) - 2;
    else if (roll < 0.9) at = out.length - 1 - pick(Math.min(out.length, 24));
    else at = pick(out.length);
    at = Math.max(0, Math.min(out.length, at));
    const op = pick(8);
    const byte = Buffer.from([INTERESTING[pick(INTERESTING.length)] as number]);
    if (op === 0 || op === 1) out = Buffer.concat([out.subarray(0, at), byte, out.subarray(at + 1)]);
    else if (op === 2) out = Buffer.concat([out.subarray(0, at), byte, out.subarray(at)]);
    else if (op === 3) out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + pick(3))]);
    else if (op === 4) out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + 1 + pick(8)), out.subarray(at)]);
    else if (op === 5) {
      // A header line at a line start in the head.
      const starts = [...text.slice(0, headEnd).matchAll(/\r\n/g)].map((m) => m.index + 2);
      const start = starts[pick(starts.length)] ?? 0;
      out = Buffer.concat([out.subarray(0, start), Buffer.from(`${LINES[pick(LINES.length)] as string}\r\n`, 'latin1'), out.subarray(start)]);
    } else if (op === 6) {
      const c = out[at];
      if (c !== undefined && /[A-Za-z]/.test(String.fromCharCode(c))) out[at] = c ^ 0x20;
      else out = Buffer.concat([out.subarray(0, at), Buffer.from('\r\n'), out.subarray(at)]);
    } else {
      out = out.subarray(0, at);
    }
  }
  return out;
}

describe('the plain-HTTP reader against llhttp (Node’s own client parser, strict)', () => {
  let oracle: NodeClientOracle;
  beforeAll(async () => {
    oracle = await NodeClientOracle.start();
  });
  afterAll(async () => {
    await oracle.close();
  });

  it('agrees on hand-written cases, and differs only as the table of deliberate differences says', async () => {
    const differences = new Map<string, string[]>();
    for (const [name, text, llhttp] of HAND) {
      const input = Buffer.from(text, 'latin1');
      const node = await oracle.read(input);
      expect(node.ok ? 'accept' : 'reject', `${name}: llhttp, ${show(node)}`).toBe(llhttp);
      const why = explain(name, input, node, readOurs(input));
      if (why !== undefined) differences.set(why, [...(differences.get(why) ?? []), name]);
    }
    // Each deliberate difference shows, on exactly the cases written for it.
    expect(Object.fromEntries(differences)).toEqual({
      'status lines of other protocols and versions': ['HTTP/2.0 status line', 'HTTP/0.9 status line', 'RTSP status line', 'ICE status line'],
      'one budget for every byte that is not body': [
        'blank lines past the budget',
        'zeros past the budget before a chunk size',
        'a head and trailers, each under the limit',
        'an interim response and a head, each under the limit',
        'extensions of two chunks, each under the limit',
        'a head whose names and values are under the limit',
      ],
    });
  });

  it('reads every hand-written case the same however it is cut into reads', () => {
    const next = random(13);
    for (const [name, text] of HAND) {
      const input = Buffer.from(text, 'latin1');
      expectSameHoweverCut(name, input, readOurs(input), next, 8);
    }
  });

  it('agrees on real node_exporter-like responses, however they are cut', async () => {
    const next = random(1313);
    for (const [name, input] of REAL) {
      const node = await oracle.read(input);
      expect(node.ok, `${name}: ${show(node)}`).toBe(true);
      const ours = readOurs(input);
      expect(explain(name, input, node, ours)).toBeUndefined();
      expectSameHoweverCut(name, input, ours, next, 20);
    }
  });

  it('agrees on seeded random mutations of real responses, however they are cut', async () => {
    const next = random(20_250_613);
    const mutants = REAL.flatMap(([base, original]) => Array.from({ length: 60 }, (_, m) => [`${base}, mutant ${m}`, mutate(original, next)] as const));
    const { verdicts, differences } = await compareMutants(oracle, mutants, next);
    expect(differences).toEqual([]);
    // The mutations are worth something only if both verdicts are common among them.
    expect(verdicts.accepted).toBeGreaterThan(mutants.length * 0.2);
    expect(verdicts.refused).toBeGreaterThan(mutants.length * 0.2);
  });

  it('agrees on seeded random mutations of the hand-written cases, but for deliberate differences', async () => {
    const next = random(613);
    const mutants = HAND.filter(([, text]) => text.length < 4096).flatMap(([name, text]) =>
      Array.from({ length: 2 }, (_, m) => [`${name}, mutant ${m}`, mutate(Buffer.from(text, 'latin1'), next)] as const),
    );
    const { differences } = await compareMutants(oracle, mutants, next);
    // Mutants of the cases written for a deliberate difference may keep it; explain() failed any other.
    for (const difference of differences) expect(difference).toMatch(/^(HTTP\/2\.0|HTTP\/0\.9|RTSP|ICE) status line, mutant \d: status lines of other protocols and versions$/);
  });
});

/**
 * Node's and our verdicts on each mutant, which must agree but for DELIBERATE; ours also for a
 * few cuts of each (every cut of one in ten: every cut of every mutant would take long).
 */
async function compareMutants(oracle: NodeClientOracle, mutants: readonly (readonly [string, Buffer])[], next: () => number): Promise<{ verdicts: { accepted: number; refused: number }; differences: string[] }> {
  const verdicts = { accepted: 0, refused: 0 };
  const differences: string[] = [];
  for (const [i, [name, input]] of mutants.entries()) {
    const node = await oracle.read(input);
    const ours = readOurs(input);
    const why = explain(name, input, node, ours);
    if (why !== undefined) differences.push(`${name}: ${why}`);
    verdicts[node.ok ? 'accepted' : 'refused']++;
    if (i % 10 === 0) {
      expectSameHoweverCut(name, input, ours, next, 4);
    } else {
      for (let cut = 0; cut < 4 && input.length > 2; cut++) {
        const cuts = [...new Set([1 + Math.floor(next() * (input.length - 1)), 1 + Math.floor(next() * (input.length - 1))])].sort((a, b) => a - b);
        const read = readOurs(input, cuts);
        if (!same(read, ours)) expect.fail(`${name}: cut at ${cuts.join(', ')}, ours read ${show(read)} instead of ${show(ours)}`);
      }
    }
  }
  return { verdicts, differences };
}
