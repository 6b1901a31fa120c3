/** --scrape-config, --dns and --dns-srv through the built binary, against endpoints and a DNS server on 127.0.0.1. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import type { Snapshot } from '../../../src/cli/snapshot.js';
import { runCli } from '../../helpers/run-cli.js';
import { startDnsServer, type TestDnsServer } from '../../helpers/dns-server.js';

const PAYLOAD = readFileSync(new URL('../../fixtures/node-exporter.prom', import.meta.url), 'utf8');
const SECRETS = { password: 'pw-SECRET-basic', token: 'tok-SECRET-bearer', legacy: 'tok-SECRET-legacy' };
const servers: Server[] = [];
const seen: { path: string; auth: string }[] = [];
let dir: string;
let dns: TestDnsServer;
const port: Record<string, number> = {};

/** Answers the payload when `ok(req)`, else 401. */
function metrics(ok: (req: IncomingMessage) => boolean): RequestListener {
  return (req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization ?? '' });
    if (ok(req)) res.end(PAYLOAD);
    else res.writeHead(401).end();
  };
}

async function listen(name: string, server: Server): Promise<void> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port[name] = (server.address() as AddressInfo).port;
}

/** A self-signed certificate for `san`, written as <name>.crt and <name>.key in the test's directory. */
function certificate(name: string, san: string): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`, '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

beforeAll(async () => {
  dir = tempDir('scrape-config');
  const serverCert = certificate('server', 'DNS:metrics.test,IP:127.0.0.1');
  const clientCert = certificate('client', 'DNS:client.test');
  const basic = `Basic ${Buffer.from(`admin:${SECRETS.password}`).toString('base64')}`;
  await listen('plain', createHttpServer(metrics((req) => req.url === '/custom/metrics?module=cpu&module=mem')));
  await listen('basic', createHttpServer(metrics((req) => req.headers.authorization === basic)));
  await listen('bearer', createHttpServer(metrics((req) => req.headers.authorization === `Bearer ${SECRETS.token}`)));
  await listen('legacy', createHttpServer(metrics((req) => req.headers.authorization === `Bearer ${SECRETS.legacy}`)));
  await listen('dns', createHttpServer(metrics(() => true)));
  await listen('file', createHttpServer(metrics(() => true)));
  await listen('yaml', createHttpServer(metrics(() => true)));
  // Mutual TLS: the server checks the client's certificate too.
  await listen('tls', createHttpsServer({ ...serverCert, requestCert: true, rejectUnauthorized: true, ca: clientCert.cert }, metrics(() => true)));
  dns = await startDnsServer();
  dns.records.set('_node._tcp.test', { SRV: [{ port: port.dns ?? 0, target: 'node-1.test' }] });
  dns.records.set('node-1.test', { A: ['127.0.0.1'] });
  dns.records.set('web.test', { A: ['127.0.0.1'] });
  writeFileSync(join(dir, 'pw.txt'), `${SECRETS.password}\n`);
  writeFileSync(join(dir, 'token.txt'), SECRETS.token);
  writeFileSync(join(dir, 'sd-a.json'), JSON.stringify([{ targets: [`127.0.0.1:${port.file}`], labels: { team: 'a' } }]));
  writeFileSync(join(dir, 'sd-b.yaml'), `- targets: ['127.0.0.1:${port.yaml}']\n  labels: { team: b }\n`);
  writeFileSync(join(dir, 'prometheus.yml'), `
global: { scrape_interval: 500ms, scrape_timeout: 400ms, external_labels: { cluster: test } }
scrape_configs:
  - job_name: node
    metrics_path: /custom/metrics
    params: { module: [cpu, mem] }
    honor_labels: true
    relabel_configs: [{ action: keep }]
    static_configs: [{ targets: ['127.0.0.1:${port.plain}'], labels: { env: prod } }]
  - job_name: basic
    basic_auth: { username: admin, password_file: pw.txt }
    static_configs: [{ targets: ['127.0.0.1:${port.basic}'] }]
  - job_name: bearer
    authorization: { credentials_file: token.txt }
    static_configs: [{ targets: ['127.0.0.1:${port.bearer}'] }]
  - job_name: legacy
    bearer_token: ${SECRETS.legacy}
    static_configs: [{ targets: ['127.0.0.1:${port.legacy}'] }]
  - job_name: tls
    scheme: https
    tls_config: { ca_file: server.crt, cert_file: client.crt, key_file: client.key, server_name: metrics.test, insecure_skip_verify: false }
    static_configs: [{ targets: ['127.0.0.1:${port.tls}'] }]
  - job_name: dns
    dns_sd_configs: [{ names: [_node._tcp.test], refresh_interval: 1s }]
  - job_name: files
    file_sd_configs: [{ files: ['sd-*.json', sd-b.yaml] }]
`);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())))));
  await dns?.close();
});

const snapshotOf = (stdout: string): Snapshot => JSON.parse(stdout) as Snapshot;

describe('command line: --scrape-config', () => {
  it('scrapes every job: static, DNS and file targets; basic auth, bearer, mutual TLS, params and metrics_path', async () => {
    const r = await runCli(['--scrape-config', join(dir, 'prometheus.yml'), '--dns-server', dns.address, '--once', '-o', 'json']);
    expect(r.code).toBe(0);
    const nodes = snapshotOf(r.stdout).nodes;
    expect(nodes.map((n) => [n.labels.job, n.up, n.error])).toEqual([
      ['node', true, null], ['basic', true, null], ['bearer', true, null], ['legacy', true, null], ['tls', true, null],
      ['dns', true, null], ['files', true, null], ['files', true, null],
    ]);
    expect(nodes[0]).toMatchObject({ target: `http://127.0.0.1:${port.plain}/custom/metrics?module=cpu&module=mem`, labels: { job: 'node', instance: `127.0.0.1:${port.plain}`, env: 'prod' } });
    expect(nodes[5]).toMatchObject({ target: `http://127.0.0.1:${port.dns}/metrics`, labels: { job: 'dns', instance: `node-1.test:${port.dns}` } });
    expect(nodes.slice(6).map((n) => n.labels)).toEqual([
      { job: 'files', instance: `127.0.0.1:${port.file}`, team: 'a' },
      { job: 'files', instance: `127.0.0.1:${port.yaml}`, team: 'b' },
    ]);
    expect(r.stderr.trim().split('\n')).toEqual([
      `cluster-top: ${join(dir, 'prometheus.yml')}: scrape_configs[0].relabel_configs (job "node"): not supported, ignored`,
      `cluster-top: ${join(dir, 'prometheus.yml')}: global.external_labels: not supported, ignored`,
    ]);
    for (const secret of Object.values(SECRETS)) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('takes only the jobs --job picks', async () => {
    const r = await runCli(['--scrape-config', join(dir, 'prometheus.yml'), '--job', 'basic', '--job', 'legacy', '--once', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(snapshotOf(r.stdout).nodes.map((n) => n.labels.job)).toEqual(['basic', 'legacy']);
    // The job not picked is not warned about; the file's global part still is.
    expect(r.stderr.trim()).toBe(`cluster-top: ${join(dir, 'prometheus.yml')}: global.external_labels: not supported, ignored`);
  });

  it('gives each job its own scrape_interval and scrape_timeout', async () => {
    await listen('hang', createHttpServer(() => undefined));
    const config = join(dir, 'cadence.yml');
    writeFileSync(config, `
global: { scrape_interval: 1s }
scrape_configs:
  - job_name: quick
    scrape_interval: 2s
    scrape_timeout: 300ms
    static_configs: [{ targets: ['127.0.0.1:${port.hang}'] }]
  - job_name: default
    static_configs: [{ targets: ['127.0.0.1:${port.yaml}'] }]
`);
    const r = await runCli(['--scrape-config', config, '--once', '-o', 'json']);
    expect(r.stderr).toBe('');
    const nodes = snapshotOf(r.stdout).nodes;
    expect(nodes.map((n) => [n.labels.job, n.up, n.error])).toEqual([['quick', false, 'timed out after 0.3 s'], ['default', true, null]]);
    // -i and --timeout on the command line are for every target.
    const given = await runCli(['--scrape-config', config, '-i', '1s', '--timeout', '500ms', '--once', '-o', 'json']);
    expect(snapshotOf(given.stdout).nodes[0]?.error).toBe('timed out after 0.5 s');
  });

  it('adds targets given on the command line to the discovered ones', async () => {
    const r = await runCli(['--scrape-config', join(dir, 'prometheus.yml'), '--job', 'node', `127.0.0.1:${port.dns}`, '--once', '-o', 'json']);
    expect(snapshotOf(r.stdout).nodes.map((n) => [n.labels.job ?? null, n.up])).toEqual([[null, true], ['node', true]]);
  });
});

describe('command line: usage errors of discovery', () => {
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it.each([
    ['broken.yml', 'scrape_configs:\n  - job_name: a\n   static_configs: []\n', /^cluster-top: \S*broken\.yml: invalid YAML at line 3, column 4: /],
    ['types.yml', 'scrape_configs:\n  - job_name: a\n  - job_name: b\n    static_configs: [{ targets: [x:1] }, { targets: x:2 }]\n', /^cluster-top: \S*types\.yml: scrape_configs\[1\]\.static_configs\[1\]\.targets: expected a list of strings$/],
    ['address.yml', 'scrape_configs: [{ job_name: a, static_configs: [{ targets: [\'http://x:1/\'] }] }]\n', /^cluster-top: \S*address\.yml: scrape_configs\[0\]\.static_configs\[0\]\.targets\[0\]: "http:\/\/x:1\/" is not host:port$/],
    ['nofile.yml', 'scrape_configs: [{ job_name: a, basic_auth: { username: u, password_file: missing.txt } }]\n', /^cluster-top: \S*nofile\.yml: job "a": basic_auth\.password_file missing\.txt: no such file$/],
    ['badsd.yml', 'scrape_configs: [{ job_name: a, file_sd_configs: [{ files: [bad-sd.json] }] }]\n', /^cluster-top: \S*bad-sd\.json: \[0\]\.targets: expected a list of strings$/],
  ])('%s: exit 2, one line naming the file and the field', async (name, text, message) => {
    write('bad-sd.json', '[{"targets": "x:1"}]');
    const r = await runCli(['--scrape-config', write(name, text), '--once']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['--scrape-config', '/nonexistent/prometheus.yml'], 'cluster-top: --scrape-config /nonexistent/prometheus.yml: no such file'],
    [['--job', 'a', 'node1'], 'cluster-top: --job picks jobs of --scrape-config <file>'],
    [['--dns-refresh', '5s', 'node1'], 'cluster-top: --dns-refresh goes with --dns or --dns-srv'],
    [['--dns-server', '127.0.0.1', 'node1'], 'cluster-top: --dns-server goes with --dns, --dns-srv or --scrape-config'],
    [['--dns', 'web', '--demo'], "cluster-top: option '--demo [nodes]' cannot be used with option '--dns <name[:port]>'"],
    [['--dns', 'http://web'], 'cluster-top: option \'--dns <name[:port]>\' argument \'http://web\' is invalid. --dns takes a DNS name and an optional port, such as web or tasks.web:9100, not "http://web"'],
    [['--dns', 'web', '--dns-server', 'dns.example'], 'cluster-top: option \'--dns-server <ip[:port]>\' argument \'dns.example\' is invalid. --dns-server takes an IP address and an optional port, such as 10.96.0.10 or 127.0.0.1:5353, not "dns.example"'],
  ])('%j: exit 2, one line', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(message);
  });
});

describe('command line: --dns and --dns-srv', () => {
  it('scrapes what the names resolve to, through --dns-server', async () => {
    const r = await runCli(['--dns', `web.test:${port.dns}`, '--dns-srv', '_node._tcp.test', '--dns-server', dns.address, '--once', '-o', 'json', '-i', '300ms']);
    expect(r.code).toBe(0);
    // Both names lead to the same endpoint: it is scraped once.
    expect(snapshotOf(r.stdout).nodes.map((n) => [n.target, n.labels, n.up])).toEqual([
      [`http://127.0.0.1:${port.dns}/metrics`, { instance: `127.0.0.1:${port.dns}` }, true],
    ]);
  });

  it('says so when a lookup fails, and exits 1 with nothing to scrape', async () => {
    const r = await runCli(['--dns', 'missing.test', '--dns-server', dns.address, '--once', '-i', '200ms']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/0\/0 targets up/);
    expect(r.stderr.trim()).toBe('cluster-top: dns missing.test: no A/AAAA records');
  });
});
