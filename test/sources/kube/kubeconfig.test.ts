import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeconfigError } from '../../../src/sources/kube/kubeconfig-files.js';
import { loadKubeconfig } from '../../../src/sources/kube/kubeconfig.js';
import { config, scratch, type Scratch } from './kubeconfig-writer.js';

/** Which files, merged how, and one-line errors naming the file: kubectl's rules. */

const SERVER = 'https://127.0.0.1:6443';

describe('loading kubeconfigs', () => {
  let s: Scratch;
  beforeEach(async () => {
    s = await scratch();
  });
  afterEach(() => s.remove());

  const fails = (promise: Promise<unknown>) => expect(promise).rejects.toThrow(KubeconfigError);

  it('resolves paths against the file\'s folder, tokenFile and exec commands with a separator included', async () => {
    const path = await s.write('config', config(SERVER, { 'certificate-authority': 'pki/ca.crt' }, {
      'client-certificate': 'pki/me.crt', 'client-key': '/abs/me.key', tokenFile: 'token',
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/plugin', args: [] },
    }));
    const loaded = await loadKubeconfig({ path, env: {} });
    expect(loaded.tokenFile).toBe(join(s.dir, 'token'));
    expect(loaded.exec?.command).toBe(join(s.dir, 'bin/plugin'));
    const kc = loaded.make();
    expect(kc.getCurrentCluster()?.caFile).toBe(join(s.dir, 'pki/ca.crt'));
    expect(kc.getCurrentUser()).toMatchObject({ certFile: join(s.dir, 'pki/me.crt'), keyFile: '/abs/me.key' });
    expect(loaded.server.href).toBe(`${SERVER}/`);
  });

  it('merges $KUBECONFIG\'s files as kubectl does: the first to define a name or set current-context wins, missing files skipped', async () => {
    const first = await s.write('a', {
      clusters: [{ name: 'c', cluster: { server: 'https://first:6443' } }],
      contexts: [{ name: 'one', context: { cluster: 'c', user: 'u' } }],
    });
    const second = await s.write('b', {
      clusters: [{ name: 'c', cluster: { server: 'https://second:6443' } }, { name: 'd', cluster: { server: 'https://d:6443' } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'one', context: { cluster: 'd', user: 'u' } }, { name: 'two', context: { cluster: 'd', user: 'u' } }],
      'current-context': 'two',
    });
    const third = await s.write('c', { 'current-context': 'one' });
    const env = { KUBECONFIG: [first, join(s.dir, 'missing'), second, third].join(':') };
    const loaded = await loadKubeconfig({ path: true, env });
    expect([loaded.contextName, loaded.server.host]).toEqual(['two', 'd:6443']);
    const one = await loadKubeconfig({ path: true, env }, 'one');
    expect(one.server.host).toBe('first:6443');
    expect(one.origin).toBe(env.KUBECONFIG);
  });

  it('falls back to ~/.kube/config, then to the pod\'s service account', async () => {
    await s.write('home-config', config(SERVER, {}, { token: 't' }));
    const home = join(s.dir, 'home');
    await mkdir(join(home, '.kube'), { recursive: true });
    await copyFile(join(s.dir, 'home-config'), join(home, '.kube', 'config'));
    expect((await loadKubeconfig({ path: true, env: { HOME: home } })).origin).toBe(join(home, '.kube', 'config'));

    const env = { HOME: s.dir, KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
    const pod = await loadKubeconfig({ path: true, env, serviceAccountDir: '/sa' });
    expect([pod.server.href, pod.tokenFile, pod.contextName, pod.origin]).toEqual(['https://[fd00::1]/', '/sa/token', 'in-cluster', 'the in-cluster service account']);
    expect(pod.make().getCurrentCluster()?.caFile).toBe('/sa/ca.crt');

    await expect(loadKubeconfig({ path: true, env: { HOME: s.dir } })).rejects.toThrow(
      `no kubeconfig: $KUBECONFIG is not set, ${join(s.dir, '.kube', 'config')} does not exist, and this is not a pod (KUBERNETES_SERVICE_HOST is not set)`,
    );
  });

  it.each([
    ['users:\n- name: a\n user: {}\n', 'not valid YAML: bad indentation of a sequence entry (line 3, column 2)'],
    ['clusters:\n\t- name: x\n', 'not valid YAML: tab characters must not be used in indentation (line 2, column 1)'],
    ['- just\n- a list\n', 'not a kubeconfig (no clusters, contexts and users)'],
    ['clusters: {}\n', 'clusters must be a list'],
    ['users:\n- user: {}\n', 'users[0] has no name'],
    ['contexts:\n- name: a\n  context: [1]\n', 'contexts[0] ("a"): context must be a mapping'],
  ])('rejects a broken file, naming it: %j', async (text, message) => {
    const path = await s.write('config', text);
    await expect(loadKubeconfig({ path, env: {} })).rejects.toThrow(`${path}: ${message}`);
  });

  it('names the missing context, cluster, user or server', async () => {
    const path = await s.write('config', {
      clusters: [{ name: 'c', cluster: {} }, { name: 'ftp', cluster: { server: 'ftp://x' } }],
      users: [{ name: 'u', user: {} }],
      contexts: [
        { name: 'a', context: { cluster: 'nope', user: 'u' } },
        { name: 'b', context: { cluster: 'c', user: 'ghost' } },
        { name: 'c', context: { cluster: 'c', user: 'u' } },
        { name: 'd', context: { cluster: 'ftp' } },
      ],
    });
    const load = (context?: string) => loadKubeconfig({ path, env: {} }, context);
    await expect(load()).rejects.toThrow(`${path}: no current-context; choose one with --context (contexts: a, b, c, d)`);
    await expect(load('zz')).rejects.toThrow(`--context zz: no such context in ${path} (contexts: a, b, c, d)`);
    await expect(load('a')).rejects.toThrow(`${path}: context "a" names cluster "nope", which is not defined`);
    await expect(load('b')).rejects.toThrow(`${path}: context "b" names user "ghost", which is not defined`);
    await expect(load('c')).rejects.toThrow(`${path}: cluster "c" has no server`);
    await expect(load('d')).rejects.toThrow(`${path}: cluster "ftp": server must be an https:// (or http://) URL`);
    const proxied = (proxy: string) => s.write('proxied', config(SERVER, { 'proxy-url': proxy }, {}));
    await expect(loadKubeconfig({ path: await proxied('ftp://user:secret@proxy'), env: {} })).rejects.toThrow('proxy-url must be an http://, https:// or socks5:// URL (not ftp:)');
    expect((await loadKubeconfig({ path: await proxied('socks5://127.0.0.1:1080'), env: {} })).proxyUrl).toBe('socks5://127.0.0.1:1080');
  });

  it('names a file that is not there or cannot be read', async () => {
    await fails(loadKubeconfig({ path: join(s.dir, 'nope'), env: {} }));
    await expect(loadKubeconfig({ path: join(s.dir, 'nope'), env: {} })).rejects.toThrow(`--kubeconfig ${join(s.dir, 'nope')}: no such file`);
    await expect(loadKubeconfig({ path: true, env: { KUBECONFIG: `${s.dir}/x:${s.dir}/y` } })).rejects.toThrow(`none of the files $KUBECONFIG lists exists (${s.dir}/x, ${s.dir}/y)`);
    await expect(loadKubeconfig({ path: s.dir, env: {} })).rejects.toThrow(`--kubeconfig ${s.dir}: is a directory`);
  });

  it('checks the exec section as client-go does', async () => {
    const exec = (e: object) => s.write('config', config(SERVER, {}, { exec: e }));
    await expect(loadKubeconfig({ path: await exec({ command: 'aws' }), env: {} })).rejects.toThrow('user "u": exec needs apiVersion client.authentication.k8s.io/v1 or v1beta1');
    await expect(loadKubeconfig({ path: await exec({ apiVersion: 'client.authentication.k8s.io/v1' }), env: {} })).rejects.toThrow('user "u": exec has no command');
    await expect(loadKubeconfig({ path: await exec({ apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Always' }), env: {} }))
      .rejects.toThrow('the exec plugin wants a terminal (interactiveMode: Always)');
  });
});
