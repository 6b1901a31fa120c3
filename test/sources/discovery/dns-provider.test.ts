import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DnsProvider, type DnsQuery } from '../../../src/sources/discovery/dns-provider.js';
import { PLAIN_TEMPLATE, type TargetTemplate } from '../../../src/sources/discovery/discovered-target.js';
import { startDnsServer, type TestDnsServer } from '../../helpers/dns-server.js';

let dns: TestDnsServer;

beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.close();
});
beforeEach(() => {
  dns.records.clear();
  dns.failing = false;
});

function provider(queries: DnsQuery[], options: { template?: TargetTemplate; resolveSrvTargets?: boolean } = {}): DnsProvider {
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dns.address]);
  return new DnsProvider({ resolver, queries, template: options.template ?? PLAIN_TEMPLATE, refreshMs: undefined, resolveSrvTargets: options.resolveSrvTargets ?? true });
}

const urls = (p: DnsProvider): string[] => p.targets.map((t) => t.url.href);

describe('DnsProvider', () => {
  it('follows A and AAAA records as containers come and go', async () => {
    const p = provider([{ name: 'web.test', type: 'A/AAAA', port: 9100 }]);
    dns.records.set('web.test', { A: ['10.0.0.1', '10.0.0.2'], AAAA: ['fd00::7'] });
    await p.refresh();
    expect(urls(p)).toEqual(['http://10.0.0.1:9100/metrics', 'http://10.0.0.2:9100/metrics', 'http://[fd00::7]:9100/metrics']);
    expect(p.targets[2]?.labels).toEqual({ instance: '[fd00::7]:9100' });
    expect(p.targets[2]?.host).toBe('fd00::7');
    expect(p.notice).toBeUndefined();

    dns.records.set('web.test', { A: ['10.0.0.2', '10.0.0.3'] });
    await p.refresh();
    expect(urls(p)).toEqual(['http://10.0.0.2:9100/metrics', 'http://10.0.0.3:9100/metrics']);

    // Scaled to zero: the name is gone, and so are its targets.
    dns.records.delete('web.test');
    await p.refresh();
    expect(urls(p)).toEqual([]);
    expect(p.notice).toBe('dns web.test: no A/AAAA records');
    p.close();
  });

  it('asks only for the type a dns_sd_config names', async () => {
    dns.records.set('db.test', { A: ['10.0.0.9'], AAAA: ['fd00::9'] });
    const a = provider([{ name: 'db.test', type: 'A', port: 9187 }]);
    const aaaa = provider([{ name: 'db.test', type: 'AAAA', port: 9187 }]);
    await Promise.all([a.refresh(), aaaa.refresh()]);
    expect(urls(a)).toEqual(['http://10.0.0.9:9187/metrics']);
    expect(urls(aaaa)).toEqual(['http://[fd00::9]:9187/metrics']);
  });

  it('keeps the last known targets when a lookup fails, and says so', async () => {
    const p = provider([{ name: 'web.test', type: 'A/AAAA', port: 9100 }]);
    dns.records.set('web.test', { A: ['10.0.0.1'] });
    await p.refresh();
    dns.failing = true;
    await p.refresh();
    expect(urls(p)).toEqual(['http://10.0.0.1:9100/metrics']);
    expect(p.notice).toBe('dns web.test: lookup failed (server failure), keeping the last 1 target');
    dns.failing = false;
    await p.refresh();
    expect(p.notice).toBeUndefined();
  });

  it('scrapes what SRV records point to: resolved through the same server, instance keeps the name', async () => {
    const template: TargetTemplate = { job: 'node', scheme: 'http', metricsPath: '/m', params: { x: ['1'] } };
    const p = provider([{ name: '_node._tcp.test', type: 'SRV' }], { template });
    dns.records.set('_node._tcp.test', { SRV: [{ port: 9100, target: 'a.test.' }, { port: 9200, target: 'b.test' }, { port: 9300, target: 'gone.test' }] });
    dns.records.set('a.test', { A: ['127.0.0.1'] });
    dns.records.set('b.test', { AAAA: ['::1'] });
    await p.refresh();
    expect(urls(p)).toEqual(['http://127.0.0.1:9100/m?x=1', 'http://[::1]:9200/m?x=1']);
    expect(p.targets.map((t) => [t.host, t.labels])).toEqual([
      ['a.test', { job: 'node', instance: 'a.test:9100' }],
      ['b.test', { job: 'node', instance: 'b.test:9200' }],
    ]);

    dns.records.set('_node._tcp.test', { SRV: [{ port: 9200, target: 'b.test' }] });
    await p.refresh();
    expect(urls(p)).toEqual(['http://[::1]:9200/m?x=1']);
  });

  it('without --dns-server, leaves SRV target names to the system resolver at scrape time', async () => {
    const p = provider([{ name: '_node._tcp.test', type: 'SRV' }], { resolveSrvTargets: false });
    dns.records.set('_node._tcp.test', { SRV: [{ port: 9100, target: 'node-1.test.' }] });
    await p.refresh();
    expect(urls(p)).toEqual(['http://node-1.test:9100/metrics']);
  });
});
