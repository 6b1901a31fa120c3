import type { ConnectionOptions } from 'node:tls';
import type { ScraperOptions } from '../../scrape/scraper.js';
import type { TlsMaterial } from './credentials.js';

/**
 * undici's connect options for the API server. A kubeconfig's CA is the only one trusted, as
 * client-go does; without one, the system roots are.
 */
export function tlsConnectOptions(tls: TlsMaterial, timeoutMs: number): ConnectionOptions & { timeout: number } {
  return {
    timeout: timeoutMs,
    rejectUnauthorized: !tls.insecure,
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
  };
}

/** The same material as the Scraper takes it, for the requests through the API server's proxy. */
export function scraperTls(tls: TlsMaterial): NonNullable<ScraperOptions['tls']> {
  return { ...tls, caOnly: true };
}

/** Whether connections made with `a` can serve requests that should use `b`. */
export function sameTls(a: TlsMaterial, b: TlsMaterial): boolean {
  return a.insecure === b.insecure && a.servername === b.servername && same(a.ca, b.ca) && same(a.cert, b.cert) && same(a.key, b.key);
}

function same(a: string | Buffer | undefined, b: string | Buffer | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return Buffer.from(a).equals(Buffer.from(b));
}
