import { describe, expect, it } from 'vitest';
import { parseTarget, TargetError } from '../../src/targets/parse-target.js';
import { parseTargetsText, uniqueTargets } from '../../src/targets/targets-file.js';

describe('parseTarget', () => {
  it.each([
    ['node1', 'http://node1:9100/metrics', 'node1'],
    ['node1:9200', 'http://node1:9200/metrics', 'node1'],
    ['10.0.0.5', 'http://10.0.0.5:9100/metrics', '10.0.0.5'],
    ['[::1]:9100', 'http://[::1]:9100/metrics', '::1'],
    ['[::1]', 'http://[::1]:9100/metrics', '::1'],
    ['::1', 'http://[::1]:9100/metrics', '::1'],
    ['https://n.example:8443/custom/path?x=1', 'https://n.example:8443/custom/path?x=1', 'n.example'],
  ])('%s -> %s', (input, url, host) => {
    const t = parseTarget(input);
    expect(t.url.href).toBe(url);
    expect(t.host).toBe(host);
  });

  it('keeps credentials for the request but never in the id or display URL', () => {
    const t = parseTarget('https://admin:s3cret@n:9100/metrics');
    expect(t.url.password).toBe('s3cret');
    expect(t.displayUrl).toBe('https://admin:***@n:9100/metrics');
    expect(t.id).toBe('https://n:9100/metrics');
    expect(JSON.stringify({ id: t.id, d: t.displayUrl })).not.toContain('s3cret');
  });

  it.each([
    ['', 'empty target'],
    ['node1:0', 'port must be a number from 1 to 65535'],
    ['node1:99999', 'port must be a number from 1 to 65535'],
    ['node1:http', 'port must be a number'],
    ['no de', 'is not a host name'],
    ['ftp://x/metrics', 'only http and https'],
    ['http://', 'invalid target URL'],
  ])('rejects %j', (input, message) => {
    expect(() => parseTarget(input)).toThrow(TargetError);
    expect(() => parseTarget(input)).toThrow(message);
  });

  it('never echoes a password of a URL it cannot parse', () => {
    expect(() => parseTarget('http://u:pw@[bad')).toThrow(/\*\*\*@/);
    expect(() => parseTarget('http://u:pw@[bad')).not.toThrow(/pw/);
  });
});

describe('targets file', () => {
  it('skips comments and blank lines and says which line is bad', () => {
    const text = '# fleet\nnode1\n\n  node2:9200  # second\r\nhttp://node3/metrics\n';
    expect(parseTargetsText(text, 'fleet.txt').map((t) => t.url.href)).toEqual([
      'http://node1:9100/metrics',
      'http://node2:9200/metrics',
      'http://node3/metrics',
    ]);
    expect(() => parseTargetsText('node1\nnode2:abc\n', 'fleet.txt')).toThrow('fleet.txt:2: invalid target "node2:abc"');
  });

  it('drops duplicates', () => {
    expect(uniqueTargets(parseTargetsText('a\na:9100\nhttp://a:9100/metrics\nb', 'f')).map((t) => t.host)).toEqual(['a', 'b']);
  });
});
