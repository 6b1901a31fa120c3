/**
 * Turning whatever a failed request threw into one short sentence for people.
 *
 * Error messages from sockets, TLS and undici can quote URLs, header values or
 * addresses; none of that may reach the screen (a URL may carry a password).
 * So only messages we wrote ourselves (ScrapeError) pass through; everything
 * else is recognised by its error code and described by a fixed sentence.
 */
import { ReadError } from '../util/errors.js';

/** A failure whose message we wrote and know to be safe to show. */
export class ScrapeError extends ReadError {
  override readonly name: string = 'ScrapeError';
  readonly code: string = 'CT_ERR_SCRAPE';

  /** `status`: the HTTP status, when the server answered with one other than 200. */
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

const SENTENCE_BY_CODE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'scraper closed',
  UND_ERR_DESTROYED: 'scraper closed',
  UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate is not valid for this host name (use --insecure)',
  CERT_HAS_EXPIRED: 'TLS: certificate has expired',
  CERT_NOT_YET_VALID: 'TLS: certificate is not yet valid',
  EPROTO: 'TLS handshake failed (is the endpoint plain HTTP?)',
  EMFILE: 'too many open files (raise the limit with ulimit -n)',
  ENFILE: 'too many open files on this machine (fs.file-max)',
};

const UNKNOWN_AUTHORITY = 'TLS: certificate signed by unknown authority (use --ca-file or --insecure)';
const UNKNOWN_AUTHORITY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** The sentence for a failed request; `err` is anything that was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof ScrapeError) return err.message;
  // The only undici error without a code; its `data` holds the bytes the server sent. By its name:
  // importing undici for its class would load it for scrapes that never use it (see scraper.ts).
  if (err instanceof Error && err.name === 'HTTPParserError') return 'invalid HTTP response';
  for (const code of errorCodes(err)) {
    const sentence = sentenceForCode(code);
    if (sentence !== undefined) return sentence;
  }
  const [first] = errorCodes(err);
  // A bare code is an identifier from Node or undici, never user data, and it is what people search for.
  return first === undefined ? 'request failed' : `request failed (${first})`;
}

function sentenceForCode(code: string): string | undefined {
  if (UNKNOWN_AUTHORITY_CODES.has(code)) return UNKNOWN_AUTHORITY;
  if (code.startsWith('HPE_')) return 'invalid HTTP response';
  if (code.startsWith('ERR_SSL_')) return 'TLS handshake failed';
  return SENTENCE_BY_CODE[code];
}

/**
 * Codes of the error and of what it wraps, innermost first (the root cause is
 * the most precise): undici puts the socket error in `cause`, and Node's
 * happy-eyeballs connect throws an AggregateError whose `errors` hold one
 * failure per address tried.
 */
function errorCodes(err: unknown, depth = 0): string[] {
  if (typeof err !== 'object' || err === null || depth > 4) return [];
  const codes: string[] = [];
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...errorCodes(inner, depth + 1));
  codes.push(...errorCodes(cause, depth + 1));
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) codes.push(code);
  return codes;
}

const MiB = 1024 * 1024;
const KiB = 1024;

/** A byte count as people read it: `16 MiB`, `1.5 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${round1(bytes / MiB)} MiB`;
  if (bytes >= KiB) return `${round1(bytes / KiB)} KiB`;
  return `${bytes} bytes`;
}

/** A duration in seconds as people read it: `1.5 s`, `10 s`, `0.25 s`. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
