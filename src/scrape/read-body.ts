/**
 * Reading a response body within a size cap, on the wire and after gzip.
 *
 * A metrics endpoint is not trusted to be small: a misconfigured exporter can
 * stream without end, and a tiny gzip body can inflate to gigabytes. Both caps
 * stop reading (or inflating) as soon as they are passed, so memory never grows
 * much past the cap.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { ScrapeError, formatBytes } from './scrape-error.js';

const gunzipAsync = promisify(gunzip);
// Non-fatal: a stray invalid byte in a label value should not cost the whole scrape.
const utf8 = new TextDecoder('utf-8', { fatal: false });

export interface DecodedBody {
  readonly text: string;
  readonly wireBytes: number;
  readonly bodyBytes: number;
}

type Body = Dispatcher.ResponseData['body'];
type Headers = Dispatcher.ResponseData['headers'];

/** Reads, inflates and decodes `body`; throws ScrapeError for oversized or undecodable bodies. */
export async function readBody(body: Body, headers: Headers, maxBytes: number): Promise<DecodedBody> {
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
  const decoded = gzipped ? await inflateCapped(wire, maxBytes) : wire;
  return { text: utf8.decode(decoded), wireBytes: wire.length, bodyBytes: decoded.length };
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

/** zlib on the thread pool, stopping (ERR_BUFFER_TOO_LARGE) once the output passes the cap. */
async function inflateCapped(wire: Buffer, maxBytes: number): Promise<Buffer> {
  try {
    return await gunzipAsync(wire, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ScrapeError(`gzip body inflates past ${formatBytes(maxBytes)}`);
    }
    throw new ScrapeError('invalid gzip body');
  }
}

/** true for gzip, false for identity (or none), undefined for anything we cannot decode. */
function isGzip(header: string | string[] | undefined): boolean | undefined {
  const codings = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return false;
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return true;
  return undefined;
}

function tooLarge(maxBytes: number): ScrapeError {
  return new ScrapeError(`response larger than ${formatBytes(maxBytes)}`);
}
