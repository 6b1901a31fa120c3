import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { freePort } from '../../helpers/node-exporter.js';
import { runCli } from '../../helpers/run-cli.js';
import type { Snapshot } from '../../../src/cli/snapshot.js';
import { oneNodeAnswer, startFakePrometheus, type FakePrometheus } from './fake-prometheus.js';

const PASSWORD = 'pw-9f3c-secret';
const TOKEN = 'tok-71aa-secret';

describe('--prometheus on the command line', () => {
  let fake: FakePrometheus;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakePrometheus((req) => (req.headers.authorization === undefined || req.headers['x-scope-orgid'] === 'locked' ? { status: 401, body: 'Unauthorized\n', contentType: 'text/plain' } : oneNodeAnswer(req)));
    dir = tempDir('prometheus-cli');
    writeFileSync(join(dir, 'password'), `${PASSWORD}\n`);
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('sends basic auth and custom headers to the path prefix, and prints no secret', async () => {
    const from = fake.requests.length;
    const r = await runCli([
      '--prometheus', `${fake.url}/prometheus`,
      '--prometheus-user', 'ops',
      '--prometheus-password-file', join(dir, 'password'),
      '-H', 'X-Scope-OrgID: tenant-1',
      '--header', 'X-Extra: yes',
      '--once', '-o', 'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    expect(snapshot.nodes).toMatchObject([{ name: 'alpha', target: `${fake.url}/prometheus instance=a:9100`, source: 'prometheus', up: true }]);
    const sent = fake.requests.slice(from);
    expect(sent.length).toBeGreaterThan(0);
    for (const req of sent) {
      expect(req.path).toMatch(/^\/prometheus\/api\/v1\/query$/);
      expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`);
      expect(req.headers['x-scope-orgid']).toBe('tenant-1');
      expect(req.headers['x-extra']).toBe('yes');
    }
  });

  it('sends the bearer token from --bearer-token-file', async () => {
    const from = fake.requests.length;
    const r = await runCli(['--prometheus', fake.url, '--bearer-token-file', join(dir, 'token'), '--once']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('alpha');
    expect(fake.requests.slice(from).every((req) => req.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('refused: exit 1 and one line, without the credentials', async () => {
    const r = await runCli(['--prometheus', fake.url, '--prometheus-user', 'ops', '--prometheus-password-file', join(dir, 'password'), '-H', 'X-Scope-OrgID: locked', '--once']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('cluster-top: Prometheus: HTTP 401 Unauthorized\n');
    for (const secret of [PASSWORD, Buffer.from(`ops:${PASSWORD}`).toString('base64')]) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('unreachable: exit 1 and one line', async () => {
    const r = await runCli(['--prometheus', `http://127.0.0.1:${await freePort()}`, '--once', '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('cluster-top: Prometheus: connection refused\n');
  });

  it.each([
    [['--prometheus', 'http://p:9090', '--selector', 'job=node'], /--selector takes PromQL label matchers/],
    [['--prometheus', 'http://p:9090', '--selector', 'job="x"} or vector(1) or {a="b"'], /--selector takes PromQL label matchers/],
    [['--prometheus', 'http://p:9090', 'node1'], /--prometheus reads every node from Prometheus: give no targets/],
    [['--prometheus', 'prometheus:9090'], /--prometheus takes an http:\/\/ or https:\/\/ URL/],
    [['--prometheus', 'http://ops:hunter2@p:9090'], /give credentials with --prometheus-user and --prometheus-password-file/],
    [['--selector', 'job="node"', 'node1'], /--selector goes with --prometheus <url>/],
    [['--no-partial-response', 'node1'], /--no-partial-response goes with --prometheus <url>/],
    [['--prometheus', 'http://p:9090', '--prometheus-user', 'ops'], /--prometheus-user and --prometheus-password-file go together/],
    [['--prometheus', 'http://p:9090', '-H', 'X-Scope-OrgID'], /-H, --header takes "Name: value"/],
    [['--prometheus', 'http://p:9090', '-H', 'Authorization Bearer hunter2'], /-H, --header takes "Name: value"/],
    [['--prometheus', 'http://p:9090', '--prometheus-user', 'ops', '--prometheus-password-file', '/nonexistent/pw'], /--prometheus-password-file \/nonexistent\/pw: no such file/],
  ])('%j is a usage error: exit 2, one line', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stdout).toBe('');
  });
});
