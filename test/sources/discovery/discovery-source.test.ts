/** Static, DNS and file_sd targets feeding one real Pipeline, against endpoints and a DNS server on loopback. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { DiscoverySource } from '../../../src/sources/discovery/discovery-source.js';
import { PLAIN_TEMPLATE, type TargetTemplate } from '../../../src/sources/discovery/discovered-target.js';
import { DnsProvider } from '../../../src/sources/discovery/dns-provider.js';
import { FileSdProvider } from '../../../src/sources/discovery/file-sd.js';
import { Pipeline } from '../../../src/sources/node-list/pipeline.js';
import { parseTarget } from '../../../src/targets/parse-target.js';
import { serve, type Endpoint } from '../../helpers/http-endpoints.js';
import { startDnsServer, type TestDnsServer } from '../../helpers/dns-server.js';
import { WAIT } from '../../ui/fixtures.js';

const PAYLOAD = readFileSync(new URL('../../fixtures/node-exporter.prom', import.meta.url), 'utf8');
const endpoints: Endpoint[] = [];
let dns: TestDnsServer;
let dir: string;

beforeAll(async () => {
  for (let i = 0; i < 4; i++) endpoints.push(await serve((_req, res) => res.end(PAYLOAD)));
  dns = await startDnsServer();
  dir = tempDir('discovery');
});
afterAll(async () => {
  await Promise.all(endpoints.map((e) => e.close()));
  await dns.close();
});

function writeGroups(name: string, groups: unknown): void {
  writeFileSync(join(dir, `${name}.tmp`), JSON.stringify(groups));
  renameSync(join(dir, `${name}.tmp`), join(dir, name));
}

const port = (i: number): number => endpoints[i]?.port ?? 0;

describe('DiscoverySource', () => {
  it('adds and drops targets as DNS records and file_sd files change, leaving the others alone', async () => {
    dns.records.set('_node._tcp.test', { SRV: [{ port: port(1), target: 'n1.test' }] });
    dns.records.set('n1.test', { A: ['127.0.0.1'] });
    writeGroups('web.json', [{ targets: [`127.0.0.1:${port(2)}`], labels: { env: 'prod' } }]);
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.address]);
    const fileTemplate: TargetTemplate = { job: 'web', scheme: 'http', metricsPath: '/metrics', params: {} };
    const dnsProvider = new DnsProvider({ resolver, queries: [{ name: '_node._tcp.test', type: 'SRV' }], template: PLAIN_TEMPLATE, refreshMs: 50, resolveSrvTargets: true });
    const fileProvider = new FileSdProvider([join(dir, '*.json')], fileTemplate, 600_000);
    const pipeline = new Pipeline({ targets: [], intervalMs: 200, concurrency: 4, historyPoints: 10, scraper: { timeoutMs: 150 } });
    const source = new DiscoverySource(pipeline, [parseTarget(`127.0.0.1:${port(0)}`)], [dnsProvider, fileProvider]);
    const ports = (): number[] => source.store.nodes().map((n) => Number(new URL(n.target).port));
    try {
      await source.refreshAll();
      expect(ports()).toEqual([port(0), port(1), port(2)]);
      expect(source.store.nodes().map((n) => n.labels)).toEqual([{}, { instance: `n1.test:${port(1)}` }, { job: 'web', instance: `127.0.0.1:${port(2)}`, env: 'prod' }]);
      source.start();
      const stay = source.store.nodes()[0];
      await expect.poll(() => source.store.nodes().every((n) => n.health.up), WAIT).toBe(true);

      // A container comes up and another goes away behind the SRV name.
      dns.records.set('_node._tcp.test', { SRV: [{ port: port(3), target: 'n1.test' }] });
      await expect.poll(() => ports().includes(port(3)) && !ports().includes(port(1)), WAIT).toBe(true);

      // The file is rewritten: new labels, one more target.
      writeGroups('web.json', [{ targets: [`127.0.0.1:${port(2)}`, `127.0.0.1:${port(1)}`], labels: { env: 'canary' } }]);
      await expect.poll(() => source.store.nodes().length === 4 && source.store.nodes().every((n) => n.labels.env !== 'prod'), WAIT).toBe(true);
      expect(source.store.get(`http://127.0.0.1:${port(1)}/metrics`)?.labels).toEqual({ job: 'web', instance: `127.0.0.1:${port(1)}`, env: 'canary' });
      expect(source.store.nodes()[0]).toBe(stay);
      expect(source.notice).toBeUndefined();

      // The DNS server breaks: the last known targets stay, and the header says why.
      dns.failing = true;
      await expect.poll(() => source.notice, WAIT).toBeDefined();
      expect(source.notice).toBe('dns _node._tcp.test: lookup failed (server failure), keeping the last 1 target');
      expect(ports()).toContain(port(3));
    } finally {
      dns.failing = false;
      await source.stop();
    }
  });

  it('follows the scrape interval when the DNS refresh is not set', async () => {
    dns.records.set('web.test', { A: ['127.0.0.1'] });
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.address]);
    const provider = new DnsProvider({ resolver, queries: [{ name: 'web.test', type: 'A/AAAA', port: port(0) }], template: PLAIN_TEMPLATE, refreshMs: undefined, resolveSrvTargets: true });
    const pipeline = new Pipeline({ targets: [], intervalMs: 60_000, concurrency: 4, historyPoints: 10, scraper: { timeoutMs: 150 } });
    const source = new DiscoverySource(pipeline, [], [provider]);
    try {
      await source.refreshAll();
      source.start();
      const before = dns.queries.count;
      source.setIntervalMs(100);
      await expect.poll(() => dns.queries.count, WAIT).toBeGreaterThanOrEqual(before + 4);
    } finally {
      await source.stop();
    }
  });
});
