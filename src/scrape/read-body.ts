/**
 * Reading a response body within a size cap, on the wire and after gzip.
 *
 * A metrics endpoint is not trusted to be small: a misconfigured exporter can
 * stream without end, and a tiny gzip body can inflate to gigabytes. Both caps
 * stop reading (or inflating) as soon as they are passed, so memory never grows
 * much past the cap.
 */
import { constants, gunzipSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { ScrapeError, formatBytes } from './scrape-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export interface DecodedBody {
  readonly text: string;
  readonly wireBytes: number;
  readonly bodyBytes: number;
}

interface BodyBytes {
  /** The body after gzip, not decoded. */
  readonly bytes: Buffer;
  readonly wireBytes: number;
}

type Body = Dispatcher.ResponseData['body'];
type Headers = Dispatcher.ResponseData['headers'];

/** Reads, inflates and decodes `body`; throws ScrapeError for oversized or undecodable bodies. */
export async function readBody(body: Body, headers: Headers, maxBytes: number): Promise<DecodedBody> {
  const { bytes, wireBytes } = await readBodyBytes(body, headers, maxBytes);
  return { text: decodeText(bytes), wireBytes, bodyBytes: bytes.length };
}

/** The body as UTF-8 text; a stray invalid byte in a label value should not cost the whole scrape. */
export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

async function readBodyBytes(body: Body, headers: Headers, maxBytes: number): Promise<BodyBytes> {
  const gzipped = isGzip(headers['content-encoding']);
  if (gzipped === undefined) {
    await discard(body);
    throw new ScrapeError('unsupported Content-Encoding (only gzip and identity are accepted)');
  }
  const declared = Number(firstValue(headers['content-length']));
  if (declared > maxBytes) {
    await discard(body);
    throw tooLarge(maxBytes);
  }
  const wire = await readCapped(body, maxBytes);
  return { bytes: gzipped ? inflateCapped(wire, maxBytes) : wire, wireBytes: wire.length };
}

/**
 * Drops a body we will not use: a short one is read to the end so the
 * connection stays reusable, a long one (past undici's 128 KiB) is destroyed.
 * Either way the stream's own error is of no interest.
 */
export async function discard(body: Body): Promise<void> {
  await body.dump().catch(() => undefined);
}

/** The value of a header that may be repeated: undici gives an array then. */
export function firstValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

async function readCapped(body: Body, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Inflates in one call, stopping (ERR_BUFFER_TOO_LARGE) once the output passes the cap.
 * Synchronously, into one buffer of the size the gzip trailer announces: the thread-pool version
 * cost twice the CPU on node_exporter bodies (a hop to the pool and back per 16 KiB of output,
 * stream machinery, and the chunks joined at the end), and the parser that follows blocks the
 * event loop longer than inflating does anyway.
 */
export function inflateCapped(wire: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(wire, { maxOutputLength: maxBytes, chunkSize: outputChunkSize(wire, maxBytes) });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ScrapeError(`gzip body inflates past ${formatBytes(maxBytes)}`);
    }
    throw new ScrapeError('invalid gzip body');
  }
}

/**
 * The trailer's ISIZE (the inflated size, mod 4 GiB, of the last gzip member) plus one byte, so zlib
 * ends the stream with room to spare instead of allocating a spare chunk. The trailer is only a
 * hint: a wrong one costs more chunks (too small) or memory up to the cap (too big), never a wrong
 * result, as the cap is enforced on the output itself.
 */
function outputChunkSize(wire: Uint8Array, maxBytes: number): number {
  const n = wire.length;
  const announced = n >= 4 ? ((wire[n - 4] as number) | ((wire[n - 3] as number) << 8) | ((wire[n - 2] as number) << 16) | ((wire[n - 1] as number) << 24)) >>> 0 : 0;
  return Math.max(constants.Z_MIN_CHUNK, Math.min(announced, maxBytes) + 1);
}

/** true for gzip, false for identity (or none), undefined for anything we cannot decode. */
export function isGzip(header: string | string[] | undefined): boolean | undefined {
  // What nearly every exporter sends, decided without splitting.
  if (header === 'gzip') return true;
  if (header === undefined) return false;
  const codings = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return false;
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return true;
  return undefined;
}

export function tooLarge(maxBytes: number): ScrapeError {
  return new ScrapeError(`response larger than ${formatBytes(maxBytes)}`);
}
