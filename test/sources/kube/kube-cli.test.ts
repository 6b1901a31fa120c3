import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver/index.js';
import { T } from './kube-helpers.js';
import { b64, config, scratch, type Scratch } from './kubeconfig-writer.js';

/** `cluster-top --kubeconfig` through the built binary (npm test builds it first): snapshots, exit status, one-line errors. */

interface JsonNode {
  name: string;
  source: string;
  up: boolean;
  cpu: { usagePercent: number | null } | null;
  kubernetes: { roles: string[]; ready: boolean | null; podCount: number | null; createdAt: string } | null;
}

describe('cluster-top --kubeconfig', () => {
  let server: FakeApiServer;
  let s: Scratch;
  beforeAll(async () => {
    server = await startFakeApiServer({
      startTime: T,
      nodes: [{ name: 'cp1', roles: ['control-plane'], ageSeconds: 3600 }, { name: 'w1', usage: { cpuCores: 1 } }],
      pods: [{ name: 'web', node: 'w1' }],
    });
    s = await scratch();
  });
  afterAll(async () => {
    await server.close();
    await s.remove();
  });

  /** The cluster's kubelets keep collecting while the binary runs, as real ones do every few seconds. */
  async function withKubelets<R>(run: () => Promise<R>): Promise<R> {
    const timer = setInterval(() => {
      server.clock.advance(1000);
      server.collect();
    }, 100);
    try {
      return await run();
    } finally {
      clearInterval(timer);
    }
  }

  const secrets = (): string[] => ['admin-token', server.adminCert.keyPem.split('\n')[1] ?? 'no key'];

  it('prints the nodes with their Kubernetes facts and kubelet figures', async () => {
    const path = await server.kubeconfig({ context: 'exec' });
    const r = await withKubelets(() => runCli(['--kubeconfig', path, '--once', '-o', 'json', '--interval', '300ms']));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const nodes = (JSON.parse(r.stdout) as { nodes: JsonNode[] }).nodes;
    expect(nodes.map((n) => [n.name, n.source, n.up, n.kubernetes?.roles, n.kubernetes?.ready, n.kubernetes?.podCount])).toEqual([
      ['cp1', 'kubelet', true, ['control-plane'], true, 0],
      ['w1', 'kubelet', true, [], true, 1],
    ]);
    expect(nodes[0]?.kubernetes?.createdAt).toBe(new Date(T - 3600_000).toISOString());
    expect(nodes[1]?.cpu?.usagePercent).toBe(25);
    for (const secret of secrets()) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('takes $KUBECONFIG and --context', async () => {
    const path = await server.kubeconfig();
    const r = await withKubelets(() =>
      runCli(['--kubeconfig', '--context', 'cert', '--once', '--interval', '300ms'], { env: { ...process.env, KUBECONFIG: path } }),
    );
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^cp1 +up /m);
    expect(server.requests.at(-1)?.via).toBe('certificate');
  });

  it.each([
    ['bad YAML', 'users:\n- name: a\n user: {}\n', [], 'not valid YAML: bad indentation of a sequence entry (line 3, column 2)'],
    ['a missing context', null, ['--context', 'nope'], 'no such context'],
  ])('exits 2 with one line for %s', async (_what, text, extra, message) => {
    const path = text === null ? await server.kubeconfig() : await s.write('broken', text);
    const r = await runCli(['--kubeconfig', path, ...extra, '--once']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^cluster-top: [^\n]+\n$/);
    expect(r.stderr).toContain(message);
  });

  it('exits 2 for --kubeconfig with targets or target flags, or --context without --kubeconfig', async () => {
    const path = await server.kubeconfig();
    expect(await runCli(['--kubeconfig', path, 'node1'])).toMatchObject({
      code: 2, stderr: 'cluster-top: --kubeconfig finds the nodes itself: give no targets or --targets-file with it\n',
    });
    expect(await runCli(['--context', 'x', '--once'])).toMatchObject({ code: 2, stderr: 'cluster-top: --context goes with --kubeconfig\n' });
    expect(await runCli(['--kubeconfig', path, '--insecure', '--once'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^cluster-top: --insecure, --ca-file and --bearer-token-file are for targets/) });
  });

  it('exits 1 with one line when the credentials are rejected, never showing them', async () => {
    const path = await s.write('wrong-token', config(server, { 'certificate-authority-data': b64(server.caPem) }, { token: 'admin-tokenX' }));
    const r = await runCli(['--kubeconfig', path, '--once', '-o', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ nodes: [] });
    expect(r.stderr).toBe('cluster-top: cannot list nodes: GET /api/v1/nodes?limit=500: 401 Unauthorized: the API server rejected the credentials of user "u" of context "main"\n');
    expect(r.stdout + r.stderr).not.toContain('admin-token');
  });

  it('exits 1 with one line when the API server cannot be reached', async () => {
    const gone = await startFakeApiServer();
    // The server takes its own files with it when it closes: keep a copy of the kubeconfig.
    const path = await s.write('gone', await readFile(await gone.kubeconfig(), 'utf8'));
    await gone.close();
    const r = await runCli(['--kubeconfig', path, '--once']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`cluster-top: cannot list nodes: ${gone.url}: connection refused\n`);
  });
});
