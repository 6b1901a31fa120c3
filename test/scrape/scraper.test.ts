import type { IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Scraper, type ScraperOptions } from '../../src/scrape/scraper.js';
import type { ScrapeResult, ScrapeSuccess } from '../../src/scrape/types.js';
import { VERSION } from '../../src/version.js';
import {
  makeSelfSignedCert,
  refusedUrl,
  slowDrip,
  startHttp,
  startHttps,
  startRaw,
  targetFor,
  type SelfSignedCert,
  type TestServer,
} from './servers.js';

const METRICS = '# TYPE up gauge\nup 1\nnode_load1 0.25\n';
const MiB = 1024 * 1024;

const servers: TestServer[] = [];
const scrapers: Scraper[] = [];

afterEach(async () => {
  vi.useRealTimers(); // a test's fake clock would hold back the deadlines of scrapes still under way
  await Promise.all(scrapers.splice(0).map((scraper) => scraper.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function newScraper(options: Partial<ScraperOptions> = {}): Scraper {
  const scraper = new Scraper({ timeoutMs: 5_000, ...options });
  scrapers.push(scraper);
  return scraper;
}

async function serve(server: Promise<TestServer>): Promise<TestServer> {
  const started = await server;
  servers.push(started);
  return started;
}

function expectOk(result: ScrapeResult): ScrapeSuccess {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result;
}

function expectError(result: ScrapeResult): string {
  if (result.ok) throw new Error('expected a failure, got a success');
  return result.error;
}

describe('Scraper: successful scrapes', () => {
  it('returns a plain body with its content type and sizes', async () => {
    const server = await serve(startHttp((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(METRICS);
    }));
    const result = expectOk(await newScraper().scrape(targetFor(`${server.url}/metrics`)));
    expect(result.takeBody()).toBe(METRICS);
    expect(result.contentType).toBe('text/plain; version=0.0.4');
    expect(result.bodyBytes).toBe(Buffer.byteLength(METRICS));
    expect(result.wireBytes).toBe(result.bodyBytes);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('inflates a gzip body, counting compressed bytes on the wire', async () => {
    const big = METRICS.repeat(1000);
    const server = await serve(startHttp((req, res) => {
      expect(req.headers['accept-encoding']).toBe('gzip');
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      res.end(gzipSync(big));
    }));
    const result = expectOk(await newScraper().scrape(targetFor(`${server.url}/metrics`)));
    expect(result.takeBody()).toBe(big);
    expect(result.bodyBytes).toBe(Buffer.byteLength(big));
    expect(result.wireBytes).toBeLessThan(result.bodyBytes);
  });

  it('gives the body once and lets go of it (see ScrapeSuccess.takeBody)', async () => {
    const server = await serve(startHttp((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync(METRICS));
    }));
    const result = expectOk(await newScraper().scrape(targetFor(server.url)));
    expect(result.takeBody()).toBe(METRICS);
    expect(() => result.takeBody()).toThrow('the body was already taken');
  });

  it('inflates several gzip members in a row, past what the last trailer announces', async () => {
    const big = METRICS.repeat(1000);
    // The output buffer is sized from the last member's trailer: here a few bytes for ~40 KB.
    const body = Buffer.concat([gzipSync(big), gzipSync('up 2\n')]);
    const server = await serve(startHttp((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(body);
    }));
    const result = expectOk(await newScraper().scrape(targetFor(server.url)));
    expect(result.takeBody()).toBe(`${big}up 2\n`);
  });

  it('fails on a gzip trailer announcing more than the body holds, without passing the cap', async () => {
    const lying = gzipSync(METRICS);
    lying.writeUInt32LE(0xffffffff, lying.length - 4);
    const server = await serve(startHttp((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(lying);
    }));
    const result = await newScraper({ maxBodyBytes: MiB }).scrape(targetFor(server.url));
    expect(expectError(result)).toBe('invalid gzip body');
  });

  it('decodes invalid UTF-8 without failing', async () => {
    const server = await serve(startHttp((_req, res) => {
      res.end(Buffer.from([0x61, 0xff, 0x62]));
    }));
    const result = expectOk(await newScraper().scrape(targetFor(server.url)));
    expect(result.takeBody()).toBe('a\uFFFDb');
  });

  it('reuses one kept-alive connection and retries once when the server closed it', async () => {
    let connections = 0;
    const server = await serve(startRaw((socket) => {
      const connection = ++connections;
      let requests = 0;
      let pending = '';
      socket.on('data', (data) => {
        pending += data.toString('latin1');
        while (pending.includes('\r\n\r\n')) {
          pending = pending.slice(pending.indexOf('\r\n\r\n') + 4);
          requests += 1;
          // The first connection dies on its second request, as a server's idle timeout races our reuse.
          if (connection === 1 && requests === 2) {
            socket.destroy();
            return;
          }
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n');
        }
      });
    }));
    const scraper = newScraper();
    const target = targetFor(`${server.url}/metrics`);
    expect(expectOk(await scraper.scrape(target)).takeBody()).toBe('ok\n');
    expect(expectOk(await scraper.scrape(target)).takeBody()).toBe('ok\n');
    expect(connections).toBe(2);
  });
});

describe('Scraper: the plain-HTTP transport (the scale benchmark\'s switch)', () => {
  it('carries plain-HTTP scrapes over our own reader by default, and over undici when asked', async () => {
    const heads: string[] = [];
    const body = gzipSync(METRICS);
    const server = await serve(startRaw((socket) => {
      let pending = '';
      socket.on('data', (data) => {
        pending += data.toString('latin1');
        for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
          heads.push(pending.slice(0, end));
          pending = pending.slice(end + 4);
          socket.write(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`);
          socket.write(body);
        }
      });
    }));
    const target = targetFor(`${server.url}/metrics`);
    for (const options of [{}, { plainHttpTransport: 'own' as const }, { plainHttpTransport: 'undici' as const }]) {
      expect(expectOk(await newScraper(options).scrape(target)).takeBody()).toBe(METRICS);
    }
    // Ours writes the host and our headers alone; undici adds its own.
    expect(heads.map((head) => head.toLowerCase().includes('connection: keep-alive'))).toEqual([false, false, true]);
  });
});

describe('Scraper: request headers', () => {
  it('sends Accept, Accept-Encoding, User-Agent and the bearer token', async () => {
    let seen: IncomingHttpHeaders = {};
    const server = await serve(startHttp((req, res) => {
      seen = req.headers;
      res.end(METRICS);
    }));
    const scraper = newScraper({ bearerToken: () => 'tok-123' });
    expectOk(await scraper.scrape(targetFor(`${server.url}/metrics`)));
    expect(seen.accept).toBe(
      'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1',
    );
    expect(seen['accept-encoding']).toBe('gzip');
    expect(seen['user-agent']).toBe(`cluster-top/${VERSION}`);
    expect(seen.authorization).toBe('Bearer tok-123');
  });

  it('sends no Authorization when there is no token, and a custom User-Agent when asked', async () => {
    let seen: IncomingHttpHeaders = {};
    const server = await serve(startHttp((req, res) => {
      seen = req.headers;
      res.end(METRICS);
    }));
    const scraper = newScraper({ bearerToken: () => undefined, userAgent: 'probe/1' });
    expectOk(await scraper.scrape(targetFor(server.url)));
    expect(seen.authorization).toBeUndefined();
    expect(seen['user-agent']).toBe('probe/1');
  });

  it('turns URL user:password into basic auth and sends the path without them', async () => {
    let seen: IncomingHttpHeaders = {};
    let path = '';
    const server = await serve(startHttp((req, res) => {
      seen = req.headers;
      path = req.url ?? '';
      res.end(METRICS);
    }));
    const withCredentials = server.url.replace('http://', 'http://alice:p%40ss@');
    const scraper = newScraper({ bearerToken: () => 'global-token' });
    expectOk(await scraper.scrape(targetFor(`${withCredentials}/metrics?collect=cpu#frag`)));
    expect(seen.authorization).toBe(`Basic ${Buffer.from('alice:p@ss').toString('base64')}`);
    expect(path).toBe('/metrics?collect=cpu');
    expect(JSON.stringify(seen)).not.toContain('alice');
  });
});

describe('Scraper: failures', () => {
  it('reports a refused connection', async () => {
    const result = await newScraper().scrape(targetFor(await refusedUrl()));
    expect(expectError(result)).toBe('connection refused');
  });

  it('times out a server that never answers', { timeout: 10_000 }, async () => {
    const server = await serve(startHttp(() => undefined));
    const result = await newScraper({ timeoutMs: 500 }).scrape(targetFor(server.url));
    expect(expectError(result)).toBe('timed out after 0.5 s');
  });

  it('times out a target after its own timeout (a scrape job\'s) rather than the scraper\'s', { timeout: 10_000 }, async () => {
    const server = await serve(startHttp(() => undefined));
    const scraper = newScraper({ timeoutMs: 5_000 });
    const target = { ...targetFor(server.url), scrape: { timeoutMs: 300 } };
    expect(expectError(await scraper.scrape(target))).toBe('timed out after 0.3 s');
    // The same target with another timeout gets a deadline of that length.
    expect(expectError(await scraper.scrape({ ...target, scrape: { timeoutMs: 400 } }))).toBe('timed out after 0.4 s');
  });

  it('times out a body that drips one byte at a time, within one deadline', { timeout: 10_000 }, async () => {
    const server = await serve(startHttp(slowDrip));
    const result = await newScraper({ timeoutMs: 700 }).scrape(targetFor(server.url));
    expect(expectError(result)).toBe('timed out after 0.7 s');
  });

  it('reports an HTTP error status with its reason', async () => {
    const server = await serve(startHttp((_req, res) => {
      res.writeHead(500);
      res.end('boom');
    }));
    const result = await newScraper().scrape(targetFor(server.url));
    expect(expectError(result)).toBe('HTTP 500 Internal Server Error');
  });

  it('reads a short error page to its end to keep the connection, and drops one too long to read', async () => {
    const sockets = new Set<unknown>();
    let errorPage = 'boom';
    const server = await serve(startHttp((req, res) => {
      sockets.add(req.socket);
      if (req.url === '/fail') {
        res.writeHead(503);
        res.end(errorPage);
      } else {
        res.end(METRICS);
      }
    }));
    const scraper = newScraper();
    expect(expectError(await scraper.scrape(targetFor(`${server.url}/fail`)))).toBe('HTTP 503 Service Unavailable');
    expect(expectOk(await scraper.scrape(targetFor(`${server.url}/metrics`))).takeBody()).toBe(METRICS);
    expect(sockets.size).toBe(1);
    errorPage = 'x'.repeat(1024 * 1024);
    expect(expectError(await scraper.scrape(targetFor(`${server.url}/fail`)))).toBe('HTTP 503 Service Unavailable');
    expect(expectOk(await scraper.scrape(targetFor(`${server.url}/metrics`))).takeBody()).toBe(METRICS);
    expect(sockets.size).toBe(2);
  });

  it('rejects a body declared larger than the cap', async () => {
    const server = await serve(startHttp((_req, res) => {
      res.end(Buffer.alloc(2 * MiB, 'a'));
    }));
    const result = await newScraper({ maxBodyBytes: MiB }).scrape(targetFor(server.url));
    expect(expectError(result)).toBe('response larger than 1 MiB');
  });

  it('stops reading an endless body once past the cap', { timeout: 10_000 }, async () => {
    const server = await serve(startHttp((_req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    }));
    const result = await newScraper({ maxBodyBytes: MiB }).scrape(targetFor(server.url));
    expect(expectError(result)).toBe('response larger than 1 MiB');
  });

  it('fails cleanly on a gzip bomb', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(MiB);
    const server = await serve(startHttp((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(bomb);
    }));
    const result = await newScraper({ maxBodyBytes: MiB }).scrape(targetFor(server.url));
    expect(expectError(result)).toBe('gzip body inflates past 1 MiB');
  });

  it('reports an invalid gzip body', async () => {
    const server = await serve(startHttp((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end('this is not gzip');
    }));
    expect(expectError(await newScraper().scrape(targetFor(server.url)))).toBe('invalid gzip body');
  });

  it('refuses a content encoding other than gzip or identity', async () => {
    const server = await serve(startHttp((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'br' });
      res.end('xx');
    }));
    expect(expectError(await newScraper().scrape(targetFor(server.url)))).toMatch(/^unsupported Content-Encoding/);
  });

  it('reports a response that is not HTTP', async () => {
    const server = await serve(startRaw((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n')));
    expect(expectError(await newScraper().scrape(targetFor(server.url)))).toBe('invalid HTTP response');
  });

  it('reports a scrape cancelled by the caller', { timeout: 10_000 }, async () => {
    const server = await serve(startHttp(() => undefined));
    const controller = new AbortController();
    const pending = newScraper().scrape(targetFor(server.url), controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect(expectError(await pending)).toBe('scrape cancelled');
  });

  it('gives each scrape of a target its own deadline, kept timer and signal reused', { timeout: 10_000 }, async () => {
    let requests = 0;
    let firstArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
    // The first request hangs; later ones are answered at once.
    const server = await serve(startHttp((_req, res) => {
      if (++requests === 1) firstArrived();
      else res.end(METRICS);
    }));
    // The deadlines run on a clock moved by hand: an answered scrape cannot run out of its 400 ms on a busy machine.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // afterEach puts the real ones back
    const scraper = newScraper({ timeoutMs: 400 });
    const target = targetFor(server.url);
    const controller = new AbortController();
    const first = scraper.scrape(target, controller.signal);
    await arrived;
    await vi.advanceTimersByTimeAsync(400);
    expect(expectError(await first)).toBe('timed out after 0.4 s');
    expect(expectOk(await scraper.scrape(target, controller.signal)).takeBody()).toBe(METRICS);
    // Past the first deadline's time: a timer left over from an earlier scrape ends nothing.
    await vi.advanceTimersByTimeAsync(500);
    expect(expectOk(await scraper.scrape(target, controller.signal)).takeBody()).toBe(METRICS);
    // Two scrapes of one target at once: the second gets a deadline of its own.
    const both = await Promise.all([scraper.scrape(target), scraper.scrape(target)]);
    expect(both.map((r) => r.ok)).toEqual([true, true]);
    controller.abort();
    expect(expectError(await scraper.scrape(target, controller.signal))).toBe('scrape cancelled');
  });

  it('cancels through a new signal after an old one was used', { timeout: 10_000 }, async () => {
    const server = await serve(startHttp((req, res) => {
      if (req.url === '/metrics') res.end(METRICS);
    }));
    const scraper = newScraper();
    const target = targetFor(`${server.url}/metrics`);
    expectOk(await scraper.scrape(target, new AbortController().signal));
    const hanging = targetFor(`${server.url}/hang`);
    const controller = new AbortController();
    const pending = scraper.scrape({ ...hanging, id: target.id }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect(expectError(await pending)).toBe('scrape cancelled');
  });

  it('never shows the token or the URL password in an error', { timeout: 20_000 }, async () => {
    const token = 'tok-SECRET-7f3a';
    const password = 'pw-SECRET-91bc';
    const echo = await serve(startHttp((req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer ${req.headers.authorization ?? ''}` });
      res.end(`denied: ${req.headers.authorization ?? ''} ${req.url ?? ''}`);
    }));
    const hang = await serve(startHttp(() => undefined));
    const garbage = await serve(startRaw((socket) => socket.end(`${token} ${password}\r\n\r\n`)));
    const refused = await refusedUrl();
    const scraper = newScraper({ timeoutMs: 500, bearerToken: () => token });
    const withPassword = (base: string): string => base.replace('http://', `http://bob:${password}@`);
    const targets = [echo.url, hang.url, garbage.url, refused].flatMap((base) => [
      targetFor(`${base}/metrics?token=${token}`),
      targetFor(`${withPassword(base)}/metrics`),
    ]);
    const errors = (await Promise.all(targets.map((target) => scraper.scrape(target)))).map(expectError);
    expect(errors).toHaveLength(8);
    for (const error of errors) {
      expect(error).not.toContain('SECRET');
      expect(error).not.toContain(Buffer.from(`bob:${password}`).toString('base64'));
      expect(error).not.toMatch(/\n|at .*\(/);
    }
  });
});

describe('Scraper: TLS', () => {
  let cert: SelfSignedCert;
  beforeAll(() => {
    cert = makeSelfSignedCert();
  });

  const answer = async (): Promise<TestServer> =>
    serve(startHttps((_req, res) => res.end(METRICS), cert));

  it('rejects a self-signed certificate by default', async () => {
    const server = await answer();
    expect(expectError(await newScraper().scrape(targetFor(server.url)))).toBe(
      'TLS: certificate signed by unknown authority (use --ca-file or --insecure)',
    );
  });

  it('accepts it when its CA is given', async () => {
    const server = await answer();
    const result = await newScraper({ tls: { ca: cert.cert } }).scrape(targetFor(server.url));
    expect(expectOk(result).takeBody()).toBe(METRICS);
  });

  it('accepts it when verification is off', async () => {
    const server = await answer();
    const result = await newScraper({ tls: { insecure: true } }).scrape(targetFor(server.url));
    expect(expectOk(result).takeBody()).toBe(METRICS);
  });

  it('keeps failing at once on a certificate for another name, and still closes', async () => {
    const server = await answer();
    // A deadline past the test's own timeout: a scrape that failed only when its deadline came would fail the test.
    const scraper = newScraper({ timeoutMs: 600_000, tls: { ca: cert.cert, caOnly: true, servername: 'elsewhere.example' } });
    for (let i = 0; i < 3; i++) {
      const result = await scraper.scrape(targetFor(server.url));
      expect(expectError(result)).toMatch(/not valid for this host name/);
    }
    await scraper.close();
  });
});

describe('Scraper: pools', () => {
  it('keeps one connection per origin and closes it when its last target is forgotten', async () => {
    const server = await serve(startHttp((_req, res) => res.end(METRICS)));
    const scraper = newScraper();
    const a = targetFor(`${server.url}/a`);
    const b = targetFor(`${server.url}/b`);
    expectOk(await scraper.scrape(a));
    expectOk(await scraper.scrape(b));
    scraper.forget(a);
    expectOk(await scraper.scrape(b));
    expect(server.connections.accepted).toBe(1);
    scraper.forget(b);
    await vi.waitFor(() => expect(server.connections.open).toBe(0));
  });

  it('fails scrapes after close()', async () => {
    const server = await serve(startHttp((_req, res) => res.end(METRICS)));
    const scraper = newScraper();
    const target = targetFor(server.url);
    expectOk(await scraper.scrape(target));
    await scraper.close();
    expect(expectError(await scraper.scrape(target))).toBe('scraper closed');
  });
});

describe('Scraper: the plain HTTP connection', () => {
  it('reads a gzipped chunked body that comes in many reads', async () => {
    const text = 'node_cpu_seconds_total{cpu="0",mode="idle"} 1\n'.repeat(20_000);
    const wire = gzipSync(text);
    const server = await serve(startHttp((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      let at = 0;
      const step = (): void => {
        if (at >= wire.length) return void res.end();
        res.write(wire.subarray(at, at + 1500));
        at += 1500;
        setTimeout(step, 1);
      };
      step();
    }));
    const scraper = newScraper();
    for (let i = 0; i < 2; i++) {
      const result = expectOk(await scraper.scrape(targetFor(server.url)));
      expect(result.takeBody()).toBe(text);
      expect(result.wireBytes).toBe(wire.length);
    }
  });

  it('reads a body that ends with the connection, and opens a new one for the next scrape', async () => {
    let connections = 0;
    const server = await serve(startRaw((socket) => {
      connections++;
      socket.once('data', () => socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nup 1\n'));
    }));
    const scraper = newScraper();
    expect(expectOk(await scraper.scrape(targetFor(server.url))).takeBody()).toBe('up 1\n');
    expect(expectOk(await scraper.scrape(targetFor(server.url))).takeBody()).toBe('up 1\n');
    expect(connections).toBe(2);
  });

  it('refuses a header value that would end the line early', async () => {
    const server = await serve(startHttp((_req, res) => res.end(METRICS)));
    const result = await newScraper({ bearerToken: () => 'abc\r\nX-Evil: 1' }).scrape(targetFor(server.url));
    expect(expectError(result)).toBe('invalid value for request header authorization');
  });

  it('scrapes targets of one origin one after another on its connection', async () => {
    const sockets = new Set<unknown>();
    const server = await serve(startHttp((req, res) => {
      sockets.add(req.socket);
      setTimeout(() => res.end(`path ${req.url}\n`), 5);
    }));
    const scraper = newScraper();
    const results = await Promise.all(['/a', '/b', '/c'].map((path) => scraper.scrape(targetFor(`${server.url}${path}`))));
    expect(results.map((r) => expectOk(r).takeBody())).toEqual(['path /a\n', 'path /b\n', 'path /c\n']);
    expect(sockets.size).toBe(1);
  });
});
