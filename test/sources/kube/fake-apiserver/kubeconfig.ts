import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pki } from './pki.js';

export type AuthMethod = 'token' | 'cert' | 'exec';

export interface KubeconfigOptions {
  /** The current context; the file holds one context per method, named after it. Default 'token'. */
  context?: AuthMethod;
  /** The token user's bearer token. Default: the server's first user with a token. */
  token?: string;
  /** What the exec plugin hands kubectl. Default: the same as `token`. */
  execToken?: string;
  namespace?: string;
}

export interface KubeconfigTarget {
  dir: string;
  url: string;
  pki: Pki;
  defaultToken: string | undefined;
}

const EXEC_TOKEN_ENV = 'FAKE_APISERVER_EXEC_TOKEN';

// Stands in for a cloud provider's credential plugin (gke-gcloud-auth-plugin, aws eks get-token, ...).
const EXEC_PLUGIN = `process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: process.env.${EXEC_TOKEN_ENV} },
}) + '\\n');
`;

const q = (s: string): string => JSON.stringify(s);
const b64 = (s: string): string => Buffer.from(s).toString('base64');

let written = 0;

/** Writes a kubeconfig for the server, in the block YAML kubectl and kubeadm write, and returns its path. */
export async function writeKubeconfig(target: KubeconfigTarget, options: KubeconfigOptions = {}): Promise<string> {
  const token = options.token ?? target.defaultToken;
  if (token === undefined) throw new Error('no token: give one, or start the server with a user that has one');
  const plugin = join(target.dir, 'exec-credential.mjs');
  await writeFile(plugin, EXEC_PLUGIN);
  const namespace = options.namespace ? `\n    namespace: ${q(options.namespace)}` : '';
  const context = (method: AuthMethod): string =>
    `- name: ${method}\n  context:\n    cluster: fake-cluster\n    user: ${method}-user${namespace}\n`;
  const yaml = `apiVersion: v1
kind: Config
clusters:
- name: fake-cluster
  cluster:
    certificate-authority-data: ${b64(target.pki.caPem)}
    server: ${q(target.url)}
contexts:
${context('token')}${context('cert')}${context('exec')}current-context: ${options.context ?? 'token'}
preferences: {}
users:
- name: token-user
  user:
    token: ${q(token)}
- name: cert-user
  user:
    client-certificate-data: ${b64(target.pki.admin.certPem)}
    client-key-data: ${b64(target.pki.admin.keyPem)}
- name: exec-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ${q(process.execPath)}
      args:
      - ${q(plugin)}
      env:
      - name: ${EXEC_TOKEN_ENV}
        value: ${q(options.execToken ?? token)}
      interactiveMode: Never
      provideClusterInfo: false
`;
  const path = join(target.dir, `kubeconfig-${++written}.yaml`);
  await writeFile(path, yaml, { mode: 0o600 });
  return path;
}
