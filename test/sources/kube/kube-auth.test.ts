import { readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Credentials } from '../../../src/sources/kube/credentials.js';
import { loadKubeconfig } from '../../../src/sources/kube/kubeconfig.js';
import { KubeSource } from '../../../src/sources/kube/kube-source.js';
import { startFakeApiServer, type AuthMethod, type FakeApiServer } from './fake-apiserver/index.js';
import { kubeSource, T } from './kube-helpers.js';
import { b64, config, execPlugin, execUser, scratch, type Scratch } from './kubeconfig-writer.js';
import { kubectl } from './kubectl.js';

/** Every way a kubeconfig authenticates, against the fake API server (which checks tokens and certificates). */

describe('KubeSource: authentication', () => {
  let server: FakeApiServer;
  let s: Scratch;
  const sources: KubeSource[] = [];
  beforeAll(async () => {
    server = await startFakeApiServer({ startTime: T, nodes: [{ name: 'n1' }] });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((source) => source.stop()));
    await s.remove();
  });

  /** A source on a hand-written kubeconfig; returns it with what it said after listing the nodes. */
  async function discover(doc: object, env: NodeJS.ProcessEnv = {}): Promise<{ ok: boolean; notice: string | undefined; source: KubeSource }> {
    const kubeconfig = await loadKubeconfig({ path: await s.write('config', doc), env });
    const source = new KubeSource({ kubeconfig, intervalMs: 1000, timeoutMs: 5000, concurrency: 2, historyPoints: 4, maxBodyBytes: 2 ** 20 });
    sources.push(source);
    const ok = await source.discover();
    return { ok, notice: source.notice, source };
  }
  const last = () => server.requests.at(-1);

  it.each<[AuthMethod, string]>([['token', 'token'], ['cert', 'certificate'], ['exec', 'token']])('authenticates with the fake kubeconfig\'s %s context', async (context, via) => {
    const source = await kubeSource(server, { config: { context } });
    sources.push(source);
    expect(await source.discover()).toBe(true);
    await source.refresh();
    expect(source.store.get('n1')?.health.up).toBe(true);
    expect(last()).toMatchObject({ path: '/api/v1/nodes/n1/proxy/metrics/resource', user: 'admin', via, status: 200 });
  });

  it('says in one line whose credentials a 401 rejected, without the token', async () => {
    const { ok, notice } = await discover(config(server, { 'certificate-authority-data': b64(server.caPem) }, { token: 'stolen-and-wrong' }));
    expect(ok).toBe(false);
    expect(notice).toBe('cannot list nodes: GET /api/v1/nodes?limit=500: 401 Unauthorized: the API server rejected the credentials of user "u" of context "main"');
    expect(notice).not.toContain('stolen');
  });

  it('connects without credentials for a context without a user, still checking the CA', async () => {
    const doc = config(server, { 'certificate-authority-data': b64(server.caPem) }, {});
    const anonymous = { ...doc, users: [], contexts: [{ name: 'main', context: { cluster: 'c' } }] };
    const { notice } = await discover(anonymous);
    expect(notice).toBe('cannot list nodes: GET /api/v1/nodes?limit=500: 401 Unauthorized: the API server rejected the credentials of context "main" (it names no user)');
  });

  it('runs the exec plugin again after a 401, and passes it KUBERNETES_EXEC_INFO', async () => {
    const plugin = await execPlugin(s);
    const info = `${s.dir}/info.json`;
    const user = execUser(plugin.path, { TOKENS: 'expired-token,admin-token', INFO_FILE: info }, { provideClusterInfo: true });
    const { ok } = await discover(config(server, { 'certificate-authority-data': b64(server.caPem) }, user));
    expect(ok).toBe(true);
    expect(await plugin.runs()).toBe(2);
    const given = JSON.parse(await readFile(info, 'utf8')) as unknown;
    expect(given).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false, cluster: { server: server.url, 'certificate-authority-data': b64(server.caPem) } },
    });
  });

  it('keeps an exec credential until its expirationTimestamp, and runs the plugin again after it', async () => {
    const plugin = await execPlugin(s);
    let now = Date.now();
    const ask = async (expiry: string | undefined) => {
      const env: Record<string, string> = { TOKENS: 'first,second,third', ...(expiry ? { EXPIRY: expiry } : {}) };
      const loaded = await loadKubeconfig({ path: await s.write('config', config(server, {}, execUser(plugin.path, env))), env: {} });
      return new Credentials(loaded, () => now);
    };
    const valid = await ask(new Date(Date.now() + 3_600_000).toISOString());
    expect((await valid.current()).headers.authorization).toBe('Bearer first');
    now += 120_000;
    expect((await valid.current()).headers.authorization).toBe('Bearer first');
    expect(await plugin.runs()).toBe(1);

    const expired = await ask('2020-01-01T00:00:00Z');
    expect((await expired.current()).headers.authorization).toBe('Bearer second');
    // Asked again within the minute: the answer is cached, the plugin not run (a plugin per request would be ruinous).
    expect((await expired.current()).headers.authorization).toBe('Bearer second');
    expect(await plugin.runs()).toBe(2);
    now += 61_000;
    expect((await expired.current()).headers.authorization).toBe('Bearer third');
  });

  it('says which exec plugin failed and how, in one line', async () => {
    const missing = await discover(config(server, {}, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: '/nonexistent/aws', installHint: 'Install the AWS CLI:\nhttps://example/aws' } }));
    expect(missing.notice).toBe('cannot list nodes: user "u" of context "main": exec plugin "/nonexistent/aws" not found (Install the AWS CLI:)');
    const failing = await s.write('fail.mjs', 'process.stderr.write("token has been revoked\\nsee the log"); process.exit(3);\n');
    const failed = await discover(config(server, {}, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [failing] } }));
    expect(failed.notice).toBe(`cannot list nodes: user "u" of context "main": exec plugin "${process.execPath}" failed: token has been revoked`);
    const crashing = await s.write('crash.mjs', 'import { readFileSync } from "node:fs";\nreadFileSync("/nonexistent/sso-cache.json");\n');
    const crashed = await discover(config(server, {}, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [crashing] } }));
    expect(crashed.notice).toBe(`cannot list nodes: user "u" of context "main": exec plugin "${process.execPath}" failed: Error: ENOENT: no such file or directory, open '/nonexistent/sso-cache.json'`);
  });

  it('reads tokenFile relative to the kubeconfig, trimmed, and again after a minute', async () => {
    await s.write('token', 'not-yet\n');
    let now = Date.now();
    const loaded = await loadKubeconfig({ path: await s.write('config', config(server, {}, { token: 'inline-loses', tokenFile: 'token' })), env: {} });
    const credentials = new Credentials(loaded, () => now);
    expect((await credentials.current()).headers.authorization).toBe('Bearer not-yet');
    await s.write('token', 'admin-token\n');
    now += 61_000;
    expect((await credentials.current()).headers.authorization).toBe('Bearer admin-token');
    // Gone for a moment (being rewritten): the last token read still serves.
    await rm(`${s.dir}/token`);
    now += 61_000;
    expect((await credentials.current()).headers.authorization).toBe('Bearer admin-token');
    await s.write('token', 'admin-token\n');
    const { ok } = await discover(config(server, { 'certificate-authority-data': b64(server.caPem) }, { tokenFile: 'token' }));
    expect(ok).toBe(true);
  });

  it('presents client certificates from files, relative to the kubeconfig', async () => {
    await s.write('pki-ca.crt', server.caPem);
    await s.write('me.crt', server.adminCert.certPem);
    await s.write('me.key', server.adminCert.keyPem);
    const { ok } = await discover(config(server, { 'certificate-authority': 'pki-ca.crt' }, { 'client-certificate': 'me.crt', 'client-key': 'me.key' }));
    expect(ok).toBe(true);
    expect(last()).toMatchObject({ user: 'admin', via: 'certificate' });
  });

  it('checks the server\'s certificate by the CA, tls-server-name, or not at all when told so', async () => {
    const token = { token: 'admin-token' };
    const ca = { 'certificate-authority-data': b64(server.caPem) };
    expect((await discover(config(server, { ...ca, 'tls-server-name': 'localhost' }, token))).ok).toBe(true);
    expect((await discover(config(server, { ...ca, 'tls-server-name': 'wrong.example' }, token))).notice)
      .toBe(`cannot list nodes: ${server.url}: TLS: certificate is not valid for this host name`);
    expect((await discover(config(server, {}, token))).notice).toBe(`cannot list nodes: ${server.url}: TLS: certificate signed by unknown authority`);
    expect((await discover(config(server, { 'insecure-skip-tls-verify': true }, token))).ok).toBe(true);
  });

  it('goes through the cluster\'s proxy-url, lists and proxied scrapes alike', async () => {
    const proxy = await startConnectProxy();
    try {
      const cluster = { 'certificate-authority-data': b64(server.caPem), 'proxy-url': `http://127.0.0.1:${proxy.port}` };
      const { ok, source } = await discover(config(server, cluster, { token: 'admin-token' }));
      expect(ok).toBe(true);
      await source.refresh();
      expect(source.store.get('n1')?.health.up).toBe(true);
      expect(new Set(proxy.tunnels)).toEqual(new Set([`127.0.0.1:${server.port}`]));
      expect(proxy.tunnels.length).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('goes through $HTTPS_PROXY when the kubeconfig names no proxy, as kubectl does', async () => {
    // A name only the proxy knows: the client never resolves it, as with a real corporate proxy.
    const proxy = await startConnectProxy({ 'kube.test': '127.0.0.1' });
    try {
      const cluster = { 'certificate-authority-data': b64(server.caPem), 'tls-server-name': 'localhost' };
      const doc = config(`https://kube.test:${server.port}`, cluster, { token: 'admin-token' });
      // Without a scheme, as Go reads it: an http proxy.
      const env = { HTTPS_PROXY: `127.0.0.1:${proxy.port}`, NO_PROXY: 'localhost,10.0.0.0/8,.internal' };
      const { ok, source } = await discover(doc, env);
      expect(ok).toBe(true);
      await source.refresh();
      expect(source.store.get('n1')?.health.up).toBe(true);
      expect(new Set(proxy.tunnels)).toEqual(new Set([`kube.test:${server.port}`]));
      const ours = proxy.tunnels.length;

      const got = await kubectl(await s.write('kubectl-config', doc), ['get', 'nodes', '-o', 'name'], 20_000, env);
      expect(got).toMatchObject({ code: 0, stdout: 'node/n1\n' });
      expect(proxy.tunnels.length).toBeGreaterThan(ours);
      expect(new Set(proxy.tunnels)).toEqual(new Set([`kube.test:${server.port}`]));

      // NO_PROXY naming the server's domain: no proxy.
      const direct = await loadKubeconfig({ path: await s.write('config', doc), env: { ...env, NO_PROXY: '.test' } });
      expect(direct.proxyUrl).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('sends an OIDC auth provider\'s id-token while it is valid, and reports the 401 once it has expired', async () => {
    const jwt = (exp: number): string =>
      [{ alg: 'RS256', typ: 'JWT' }, { iss: 'https://issuer.example', sub: 'alice', exp }, 'signature']
        .map((part, i) => (i < 2 ? Buffer.from(JSON.stringify(part)).toString('base64url') : part))
        .join('.');
    const valid = jwt(Math.floor(Date.now() / 1000) + 3600);
    const expired = jwt(Math.floor(Date.now() / 1000) - 60);
    const oidc = await startFakeApiServer({ startTime: T, nodes: [{ name: 'n1' }], users: [{ name: 'alice', token: valid }, { name: 'old', token: expired }] });
    try {
      const user = (idToken: string) => ({ 'auth-provider': { name: 'oidc', config: { 'client-id': 'kubernetes', 'id-token': idToken, 'idp-issuer-url': 'https://issuer.example' } } });
      const cluster = { 'certificate-authority-data': b64(oidc.caPem) };
      const fresh = await discover(config(oidc, cluster, user(valid)));
      expect(fresh.ok).toBe(true);
      await fresh.source.refresh();
      expect(fresh.source.store.get('n1')?.health.up).toBe(true);
      expect(oidc.requests.at(-1)).toMatchObject({ user: 'alice', via: 'token', status: 200 });
      // Expired, and no refresh-token to renew it with: the library sends nothing, and the server says 401.
      const stale = await discover(config(oidc, cluster, user(expired)));
      expect(stale.ok).toBe(false);
      expect(stale.notice).toBe('cannot list nodes: GET /api/v1/nodes?limit=500: 401 Unauthorized: the API server rejected the credentials of user "u" of context "main"');
      expect(`${stale.notice}`).not.toContain(expired);
    } finally {
      await oidc.close();
    }
  });

  it('works inside a pod with the service account\'s token and CA', async () => {
    await s.write('token', 'admin-token');
    await s.write('ca.crt', server.caPem);
    const kubeconfig = await loadKubeconfig({
      path: true,
      env: { HOME: s.dir, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(server.port) },
      serviceAccountDir: s.dir,
    });
    const source = new KubeSource({ kubeconfig, intervalMs: 1000, timeoutMs: 5000, concurrency: 2, historyPoints: 4, maxBodyBytes: 2 ** 20 });
    sources.push(source);
    expect(await source.discover()).toBe(true);
    expect(last()).toMatchObject({ user: 'admin', via: 'token' });
  });

  it('sends basic auth and every impersonation header', async () => {
    const loaded = await loadKubeconfig({
      path: await s.write('config', config(server, {}, {
        username: 'jane', password: 'pw', as: 'bob', 'as-uid': '42', 'as-groups': ['dev', 'ops'], 'as-user-extra': { scopes: ['view', 'edit'] },
      })),
      env: {},
    });
    expect((await new Credentials(loaded).current()).headers).toEqual({
      authorization: `Basic ${b64('jane:pw')}`,
      'impersonate-user': 'bob',
      'impersonate-uid': '42',
      'impersonate-group': ['dev', 'ops'],
      'impersonate-extra-scopes': ['view', 'edit'],
    });
  });
});

/** An HTTP CONNECT proxy on loopback that records each tunnel's target; `hosts` maps names only it can resolve. */
async function startConnectProxy(hosts: Readonly<Record<string, string>> = {}): Promise<{ port: number; tunnels: string[]; close: () => Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const proxy = createServer();
  proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host = '', port = ''] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), hosts[host] ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
