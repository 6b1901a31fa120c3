/** A target's own auth and TLS (a Prometheus job's), next to the scraper's defaults. */
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Scraper } from '../../src/scrape/scraper.js';
import type { ScrapeResult } from '../../src/scrape/types.js';
import type { Target, TargetScrape } from '../../src/targets/target.js';
import { makeSelfSignedCert, startHttp, startHttps, targetFor, type SelfSignedCert, type TestServer } from './servers.js';

const METRICS = 'up 1\n';
const servers: TestServer[] = [];
const scrapers: Scraper[] = [];
let cert: SelfSignedCert;

beforeAll(() => {
  cert = makeSelfSignedCert();
});
afterEach(async () => {
  await Promise.all(scrapers.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function newScraper(bearer?: string): Scraper {
  const scraper = new Scraper({ timeoutMs: 5_000, ...(bearer === undefined ? {} : { bearerToken: () => bearer }) });
  scrapers.push(scraper);
  return scraper;
}

function recordingServer(seen: IncomingHttpHeaders[], https = false): Promise<TestServer> {
  const handler = (req: { headers: IncomingHttpHeaders }, res: { end: (s: string) => void }): void => {
    seen.push(req.headers);
    res.end(METRICS);
  };
  const started = https ? startHttps(handler, cert) : startHttp(handler);
  return started.then((s) => (servers.push(s), s));
}

function withScrape(urlText: string, scrape: TargetScrape, path = '/metrics'): Target {
  return { ...targetFor(`${urlText}${path}`), scrape };
}

const errorOf = (r: ScrapeResult): string | null => (r.ok ? null : r.error);

describe('Scraper: per-target settings', () => {
  it("sends the target's own Authorization, over the scraper's token but not over URL credentials", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = await recordingServer(seen);
    const scraper = newScraper('global-token');
    const own = { authorization: () => 'Bearer job-token' };
    await scraper.scrape(withScrape(server.url, own));
    await scraper.scrape(targetFor(`${server.url}/plain`));
    const inUrl = new URL(`${server.url}/creds`);
    inUrl.username = 'u';
    inUrl.password = 'p';
    await scraper.scrape({ ...targetFor(inUrl.href), scrape: own });
    expect(seen.map((h) => h.authorization)).toEqual(['Bearer job-token', 'Bearer global-token', `Basic ${Buffer.from('u:p').toString('base64')}`]);
  });

  it("trusts the target's own CA, while the scraper's defaults still refuse the certificate", async () => {
    const server = await recordingServer([], true);
    const scraper = newScraper();
    const trusted = withScrape(server.url, { tls: { name: 'job:a', options: { ca: cert.cert, caOnly: true } } });
    const plain = targetFor(`${server.url}/other`);
    expect(errorOf(await scraper.scrape(trusted))).toBeNull();
    expect(errorOf(await scraper.scrape(plain))).toMatch(/^TLS: /);
    const insecure = withScrape(server.url, { tls: { name: 'job:b', options: { insecure: true } } }, '/insecure');
    expect(errorOf(await scraper.scrape(insecure))).toBeNull();
    // Three settings for one origin: three pools, so three connections.
    expect(server.connections.accepted).toBe(3);
  });

  it('checks the certificate against the server name given, not the URL host', async () => {
    const server = await recordingServer([], true);
    const scraper = newScraper();
    const wrongName = withScrape(server.url, { tls: { name: 'job:c', options: { ca: cert.cert, caOnly: true, servername: 'elsewhere.example' } } });
    expect(errorOf(await scraper.scrape(wrongName))).toMatch(/not valid for this host name/);
  });

  it('shares a pool between targets of one origin and one TLS name, and closes it when the last is forgotten', async () => {
    const server = await recordingServer([], true);
    const scraper = newScraper();
    const tls = { name: 'job:d', options: { ca: cert.cert, caOnly: true } };
    const a = withScrape(server.url, { tls }, '/a');
    const b = withScrape(server.url, { tls }, '/b');
    expect(errorOf(await scraper.scrape(a))).toBeNull();
    expect(errorOf(await scraper.scrape(b))).toBeNull();
    expect(server.connections.accepted).toBe(1);
    scraper.forget(a);
    expect(errorOf(await scraper.scrape(b))).toBeNull();
    expect(server.connections.accepted).toBe(1);
    scraper.forget(b);
    expect(errorOf(await scraper.scrape(b))).toBeNull();
    expect(server.connections.accepted).toBe(2);
  });
});
