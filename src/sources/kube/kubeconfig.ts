/**
 * The context cluster-top talks to, from the merged kubeconfig: its cluster and user checked, and
 * a factory for the @kubernetes/client-node KubeConfig that turns them into TLS material and
 * headers (certificates, tokens, basic auth, auth-provider and exec plugins).
 *
 * What the library leaves out is filled here or in credentials.ts: client-go's `tokenFile` (the
 * library reads a `token-file` field no kubeconfig has), as-groups / as-uid / as-user-extra,
 * KUBERNETES_EXEC_INFO for exec plugins, and a user-less context (the library then drops the CA).
 */
import { readFile } from 'node:fs/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { isFields, type Fields } from './json.js';
import { KubeconfigError, readKubeconfig, type KubeconfigLocation } from './kubeconfig-files.js';
import { proxyFromEnvironment } from './env-proxy.js';

export interface LoadedKubeconfig {
  readonly contextName: string;
  /** The user's name in the kubeconfig, for messages; undefined for a context without one. */
  readonly userName: string | undefined;
  /** The API server's base URL, without a trailing slash (Rancher and the like serve under a path). */
  readonly server: URL;
  readonly origin: string;
  /**
   * The cluster's proxy-url, or else the environment's (HTTPS_PROXY, NO_PROXY, as kubectl reads them):
   * an http, https or socks5 proxy every request goes through.
   */
  readonly proxyUrl: string | undefined;
  /** client-go's tokenFile, absolute: re-read while running, and it wins over `token`. */
  readonly tokenFile: string | undefined;
  /** The exec plugin's command and installHint, for a message when it cannot run. */
  readonly exec: { readonly command: string; readonly installHint: string | undefined } | undefined;
  /** Impersonation headers beyond Impersonate-User, which the library sends itself. */
  readonly impersonation: readonly (readonly [string, string])[];
  /** A new library KubeConfig for this context; new means no exec credential cached. */
  make(): KubeConfig;
}

const EXEC_API_VERSIONS = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);
const NO_USER = '(no user)';
const PROXY_SCHEMES = new Set(['http', 'https', 'socks5']);

export async function loadKubeconfig(location: KubeconfigLocation, context?: string): Promise<LoadedKubeconfig> {
  const merged = await readKubeconfig(location);
  const { origin } = merged;
  const contextName = context ?? merged.currentContext;
  const known = `(contexts: ${[...merged.contexts.keys()].join(', ') || 'none'})`;
  if (contextName === undefined) throw new KubeconfigError(`${origin}: no current-context; choose one with --context ${known}`);
  const ctx = merged.contexts.get(contextName);
  if (!ctx) {
    throw new KubeconfigError(context === undefined ? `${origin}: current-context "${contextName}" is not defined ${known}` : `--context ${contextName}: no such context in ${origin} ${known}`);
  }
  const clusterName = typeof ctx.cluster === 'string' ? ctx.cluster : '';
  const cluster = merged.clusters.get(clusterName);
  if (!cluster) throw new KubeconfigError(`${origin}: context "${contextName}" names cluster "${clusterName}", which is not defined`);
  const userName = typeof ctx.user === 'string' && ctx.user !== '' ? ctx.user : undefined;
  const user = userName === undefined ? {} : merged.users.get(userName);
  if (!user) throw new KubeconfigError(`${origin}: context "${contextName}" names user "${userName}", which is not defined`);

  const server = serverUrl(cluster, clusterName, origin);
  const exec = await execForLibrary(user, cluster, server, `${origin}: user "${userName}"`);
  const document = JSON.stringify({
    clusters: [{ name: clusterName, cluster: clusterForLibrary(cluster, server) }],
    // tokenFile is left to credentials.ts; a stray token-file would make the library read a path relative to the cwd.
    users: [{ name: userName ?? NO_USER, user: { ...user, tokenFile: undefined, 'token-file': undefined, ...(exec ? { exec } : {}) } }],
    contexts: [{ name: contextName, context: { ...ctx, user: userName ?? NO_USER } }],
    'current-context': contextName,
  });
  const { KubeConfig } = await import('@kubernetes/client-node');
  const make = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromString(document);
    return kc;
  };
  try {
    make();
  } catch (error) {
    throw new KubeconfigError(`${origin}: context "${contextName}": ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    contextName,
    userName,
    server,
    origin,
    proxyUrl: proxyUrl(cluster, clusterName, origin) ?? proxyFromEnvironment(server, location.env),
    tokenFile: typeof user.tokenFile === 'string' && user.tokenFile !== '' ? user.tokenFile : undefined,
    exec: exec && { command: String(exec.command), installHint: typeof exec.installHint === 'string' ? exec.installHint : undefined },
    impersonation: impersonationHeaders(user),
    make,
  };
}

function serverUrl(cluster: Fields, name: string, origin: string): URL {
  const text = cluster.server;
  if (typeof text !== 'string' || text === '') throw new KubeconfigError(`${origin}: cluster "${name}" has no server`);
  let url: URL | undefined;
  try {
    url = new URL(text.replace(/\/+$/, ''));
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new KubeconfigError(`${origin}: cluster "${name}": server must be an https:// (or http://) URL`);
  }
  return url;
}

/** The proxy as undici's ProxyAgent takes it; messages name its scheme only, as its URL may hold a password. */
function proxyUrl(cluster: Fields, name: string, origin: string): string | undefined {
  const text = cluster['proxy-url'];
  if (text === undefined || text === null || text === '') return undefined;
  const scheme = typeof text === 'string' ? /^([a-z0-9+.-]+):/i.exec(text)?.[1] : undefined;
  if (scheme === undefined || !PROXY_SCHEMES.has(scheme.toLowerCase()) || !URL.canParse(String(text))) {
    throw new KubeconfigError(`${origin}: cluster "${name}": proxy-url must be an http://, https:// or socks5:// URL${scheme ? ` (not ${scheme}:)` : ''}`);
  }
  return String(text);
}

/** The library refuses a plain-http server unless TLS checks are off; over http there are none to turn off. */
function clusterForLibrary(cluster: Fields, server: URL): Fields {
  return server.protocol === 'http:' ? { ...cluster, 'insecure-skip-tls-verify': true } : cluster;
}

/**
 * The exec section with what client-go adds: KUBERNETES_EXEC_INFO (plugins such as `aws eks
 * get-token` read it to choose their output's apiVersion; provideClusterInfo adds the cluster).
 */
async function execForLibrary(user: Fields, cluster: Fields, server: URL, who: string): Promise<Fields | undefined> {
  const exec = user.exec;
  if (exec === undefined || exec === null) return undefined;
  if (!isFields(exec) || typeof exec.command !== 'string' || exec.command === '') throw new KubeconfigError(`${who}: exec has no command`);
  const apiVersion = exec.apiVersion;
  if (typeof apiVersion !== 'string' || !EXEC_API_VERSIONS.has(apiVersion)) {
    throw new KubeconfigError(`${who}: exec needs apiVersion client.authentication.k8s.io/v1 or v1beta1`);
  }
  if (exec.interactiveMode === 'Always') {
    throw new KubeconfigError(`${who}: the exec plugin wants a terminal (interactiveMode: Always); log in with kubectl first, or set interactiveMode: IfAvailable`);
  }
  const clusterInfo = exec.provideClusterInfo === true ? { cluster: await execClusterInfo(cluster, server) } : {};
  const info = { apiVersion, kind: 'ExecCredential', spec: { interactive: false, ...clusterInfo } };
  const env = Array.isArray(exec.env) ? exec.env.filter(isFields) : [];
  return { ...exec, env: [...env, { name: 'KUBERNETES_EXEC_INFO', value: JSON.stringify(info) }] };
}

async function execClusterInfo(cluster: Fields, server: URL): Promise<Fields> {
  const caFile = cluster['certificate-authority'];
  const caData = typeof caFile === 'string' && caFile !== ''
    ? (await readFile(caFile).catch(() => Buffer.alloc(0))).toString('base64')
    : cluster['certificate-authority-data'];
  const extensions = Array.isArray(cluster.extensions) ? cluster.extensions.filter(isFields) : [];
  const config = extensions.find((e) => e.name === 'client.authentication.k8s.io/exec')?.extension;
  return {
    server: server.href.replace(/\/$/, ''),
    'tls-server-name': cluster['tls-server-name'],
    'insecure-skip-tls-verify': cluster['insecure-skip-tls-verify'],
    'certificate-authority-data': caData,
    'proxy-url': cluster['proxy-url'],
    ...(config === undefined ? {} : { config }),
  };
}

function impersonationHeaders(user: Fields): (readonly [string, string])[] {
  const headers: (readonly [string, string])[] = [];
  const uid = user['as-uid'];
  if (typeof uid === 'string' && uid !== '') headers.push(['impersonate-uid', uid]);
  const groups = user['as-groups'];
  if (Array.isArray(groups)) for (const g of groups) if (typeof g === 'string') headers.push(['impersonate-group', g]);
  const extra = user['as-user-extra'];
  if (isFields(extra)) {
    for (const [key, values] of Object.entries(extra)) {
      for (const v of Array.isArray(values) ? values : [values]) {
        if (typeof v === 'string') headers.push([`impersonate-extra-${encodeURIComponent(key)}`, v]);
      }
    }
  }
  return headers;
}
