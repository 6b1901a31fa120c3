import { describe, expect, it } from 'vitest';
import { isSecretParam, redactTargetText, redactUrl } from '../../src/targets/redact.js';
import { parseTarget, TargetError } from '../../src/targets/parse-target.js';
import { discoveredTarget, PLAIN_TEMPLATE } from '../../src/sources/discovery/discovered-target.js';
import { Pipeline } from '../../src/sources/node-list/pipeline.js';

describe('redactUrl', () => {
  it.each([
    ['http://u:Pw0rd@h:9100/metrics', 'http://u:***@h:9100/metrics'],
    // A password with "/" must be written %2F to be a password at all; it is masked whole.
    ['http://u:Pw0rd%2F@h/', 'http://u:***@h/'],
    ['http://TOKEN@h/metrics', 'http://***@h/metrics'],
    ['http://h/metrics?token=abc', 'http://h/metrics?token=***'],
    ['http://h/metrics?a=1&access_token=abc&b=2', 'http://h/metrics?a=1&access_token=***&b=2'],
    ['http://h/m?key=1&apikey=2&api_key=3&password=4&signature=5&secret=6', 'http://h/m?key=***&apikey=***&api_key=***&password=***&signature=***&secret=***'],
    ['http://h/m?TOKEN=1&Api_Key=2&apiKey=3&ACCESS_TOKEN=4', 'http://h/m?TOKEN=***&Api_Key=***&apiKey=***&ACCESS_TOKEN=***'],
    ['https://b.s3.example/o?X-Amz-Credential=1&X-Amz-Signature=2&X-Amz-Security-Token=3&X-Amz-Date=4', 'https://b.s3.example/o?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***&X-Amz-Date=4'],
    ['https://a.blob.example/c?sv=1&sig=2', 'https://a.blob.example/c?sv=1&sig=***'],
    // Names as the server reads them: percent-encoded.
    ['http://h/m?%74oken=abc', 'http://h/m?%74oken=***'],
    ['http://h/m#access_token=abc', 'http://h/m#access_token=***'],
    ['http://h/m?collect[]=cpu&module=http_2xx&target=x', 'http://h/m?collect[]=cpu&module=http_2xx&target=x'],
  ])('%s -> %s', (input, shown) => {
    expect(redactUrl(new URL(input))).toBe(shown);
  });

  it('leaves a URL with nothing secret as it prints', () => {
    for (const text of ['http://10.0.0.1:9100/metrics', 'https://[::1]:8443/a/b?x=1&y=2#z', 'http://h/metrics?q=1']) {
      expect(redactUrl(new URL(text))).toBe(new URL(text).href);
    }
  });

  it.each(['token', 'access_token', 'accessToken', 'key', 'apikey', 'api_key', 'API-KEY', 'password', 'passwd', 'signature', 'secret', 'client_secret', 'X-Amz-Signature', 'X-Goog-Signature', 'sig', 'auth', 'private_token'])(
    '%s names a secret',
    (name) => expect(isSecretParam(name)).toBe(true),
  );

  it.each(['module', 'target', 'collect[]', 'name', 'format', 'job', 'instance'])('%s names no secret', (name) => expect(isSecretParam(name)).toBe(false));
});

describe('redactTargetText (text that may not even be a URL)', () => {
  it.each([
    ['u:Pw0rd@127.0.0.1:9100', '***@127.0.0.1:9100'],
    ['http://u:Pw0rd/@host/', 'http://***@host/'],
    ['http://u:a/b/c@host:9100/metrics', 'http://***@host:9100/metrics'],
    ['http://u:pw@[bad', 'http://***@[bad'],
    ['node1:9100?token=abc', 'node1:9100?token=***'],
    ['http://[bad/m?api_key=abc&x=1', 'http://[bad/m?api_key=***&x=1'],
    ['node1:9100', 'node1:9100'],
    ['http://h:9100/metrics', 'http://h:9100/metrics'],
  ])('%s -> %s', (input, shown) => {
    expect(redactTargetText(input)).toBe(shown);
  });
});

describe('targets never show their secrets', () => {
  const secretOf = (text: string) => /Pw0rd|TOKEN|abc|12\?x|123/.exec(text)?.[0];

  it.each([
    ['u:Pw0rd@127.0.0.1:9100', 'invalid target "***@127.0.0.1:9100": credentials go in a URL (http://user:password@host:port/metrics)'],
    ['http://u:Pw0rd/@127.0.0.1:9100/', 'invalid target URL "http://***@127.0.0.1:9100/"'],
    ['http://u:123/@127.0.0.1:9100/', 'invalid target "http://***@127.0.0.1:9100/": "@" after the host'],
    ['http://u:Pw0rd?x@127.0.0.1/', 'invalid target URL "http://***@127.0.0.1/"'],
    ['http://u:12?x@127.0.0.1/', 'invalid target "http://***@127.0.0.1/": "@" after the host'],
    ['ftp://u:Pw0rd@h/?token=abc', 'invalid target "ftp://u:***@h/?token=***": only http and https'],
    ['node1?token=abc', 'invalid target "node1?token=***"'],
    ['node1:99999?token=abc', 'invalid target "node1:99999?token=***": port must be'],
    ['TOKEN@::1', 'invalid target "***@::1"'],
  ])('%s is refused without its secret', (input, message) => {
    expect(() => parseTarget(input)).toThrow(TargetError);
    let thrown = '';
    try {
      parseTarget(input);
    } catch (error) {
      thrown = (error as Error).message;
    }
    expect(thrown).toContain(message);
    expect(secretOf(thrown)).toBeUndefined();
  });

  it('a target keeps the secret for the request and shows it masked', () => {
    const t = parseTarget('http://TOKEN@127.0.0.1:9100/metrics?api_key=abc&x=1');
    expect(t.url.username).toBe('TOKEN');
    expect(t.url.searchParams.get('api_key')).toBe('abc');
    expect(t.displayUrl).toBe('http://***@127.0.0.1:9100/metrics?api_key=***&x=1');
  });

  it('a discovered target with a secret parameter shows it masked', () => {
    const t = discoveredTarget(PLAIN_TEMPLATE, '127.0.0.1:9100', { __param_token: 'abc', __param_module: 'node' });
    expect(t.url.searchParams.get('token')).toBe('abc');
    expect(t.displayUrl).toBe('http://127.0.0.1:9100/metrics?token=***&module=node');
    expect(() => discoveredTarget(PLAIN_TEMPLATE, 'u:Pw0rd@127.0.0.1:9100')).toThrow(new TargetError('"***@127.0.0.1:9100" is not host:port'));
  });

  it('the store, which the view, the snapshot and recordings read, holds the masked URL', async () => {
    const pipeline = new Pipeline({
      targets: [parseTarget('http://u:Pw0rd@127.0.0.1:9/metrics?token=abc')],
      intervalMs: 1000,
      concurrency: 1,
      historyPoints: 2,
      scraper: { timeoutMs: 500, maxBodyBytes: 1 << 20 },
    });
    try {
      expect(pipeline.store.nodes().map((n) => n.target)).toEqual(['http://u:***@127.0.0.1:9/metrics?token=***']);
    } finally {
      await pipeline.stop();
    }
  });
});
