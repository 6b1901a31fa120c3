/**
 * Which kubeconfig files apply and what they say together, by kubectl's rules (client-go
 * clientcmd): --kubeconfig names one file, which must exist; else $KUBECONFIG lists files, missing
 * ones skipped; else ~/.kube/config; else, inside a pod, the service account. Several files merge
 * so that the first to define a cluster, user or context, or to set current-context, wins. Paths
 * in a file are relative to that file. The @kubernetes/client-node loader merges the other way
 * round (the last current-context wins) and throws on a name defined twice, so merging is done here.
 */
import { readFile } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, sep } from 'node:path';
import yaml from 'js-yaml';
import { describeFsError } from '../../util/fs-error.js';
import { isFields, type Fields } from './json.js';
import { CtError, EXIT_USAGE } from '../../util/errors.js';

/** The merged configuration: each name's entry as the first file that defined it wrote it. */
export interface MergedKubeconfig {
  readonly clusters: ReadonlyMap<string, Fields>;
  readonly users: ReadonlyMap<string, Fields>;
  readonly contexts: ReadonlyMap<string, Fields>;
  readonly currentContext: string | undefined;
  /** Where it came from, for messages: the files, or "the in-cluster service account". */
  readonly origin: string;
}

export interface KubeconfigLocation {
  /** --kubeconfig's value: a file, or true to look where kubectl looks. */
  readonly path: string | true;
  readonly env: NodeJS.ProcessEnv;
  /** The in-cluster service account's files (token, ca.crt); tests point elsewhere. */
  readonly serviceAccountDir?: string;
}

/** A kubeconfig that cannot be used: one line naming the file (or flag) and what is wrong. */
export class KubeconfigError extends CtError {
  override readonly name = 'KubeconfigError';
  readonly code = 'CT_ERR_KUBECONFIG';
  readonly exitStatus = EXIT_USAGE;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const SECTIONS = ['clusters', 'users', 'contexts'] as const;
/** Fields holding file names, resolved against the kubeconfig's directory as client-go does. */
const PATH_FIELDS: Readonly<Record<string, readonly string[]>> = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
  context: [],
};

export async function readKubeconfig(location: KubeconfigLocation): Promise<MergedKubeconfig> {
  if (location.path !== true) {
    return merge([parseFile(location.path, await read(location.path, '--kubeconfig '))], location.path);
  }
  const listed = (location.env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  if (listed.length > 0) {
    const files = [];
    for (const path of listed) {
      const text = await readIfThere(path, '$KUBECONFIG: ');
      if (text !== undefined) files.push(parseFile(path, text));
    }
    if (files.length === 0) throw new KubeconfigError(`none of the files $KUBECONFIG lists exists (${listed.join(', ')})`);
    return merge(files, listed.join(delimiter));
  }
  const home = join(location.env.HOME || homedir(), '.kube', 'config');
  const text = await readIfThere(home, '');
  if (text !== undefined) return merge([parseFile(home, text)], home);
  const inCluster = serviceAccountConfig(location.env, location.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (inCluster) return merge([inCluster], 'the in-cluster service account');
  throw new KubeconfigError(`no kubeconfig: $KUBECONFIG is not set, ${home} does not exist, and this is not a pod (KUBERNETES_SERVICE_HOST is not set)`);
}

/** The file's text; a file that cannot be read is a KubeconfigError whose message starts with `prefix` and the path. */
async function read(path: string, prefix: string): Promise<string> {
  const text = await readIfThere(path, prefix);
  if (text === undefined) throw new KubeconfigError(`${prefix}${path}: no such file`);
  return text;
}

/** As read(), but undefined for a file that does not exist: kubectl skips those where it looks by itself. */
async function readIfThere(path: string, prefix: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new KubeconfigError(`${prefix}${path}: ${describeFsError(error)}`);
  }
}

interface ParsedFile {
  readonly sections: Record<(typeof SECTIONS)[number], [string, Fields][]>;
  readonly currentContext: string | undefined;
}

/** One file's entries, checked enough that every later message can name the file. */
function parseFile(path: string, text: string): ParsedFile {
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: path });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    throw new KubeconfigError(`${path}: not valid YAML: ${error.reason} (line ${error.mark.line + 1}, column ${error.mark.column + 1})`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isFields(doc)) throw new KubeconfigError(`${path}: not a kubeconfig (no clusters, contexts and users)`);
  const current = doc['current-context'];
  return {
    sections: {
      clusters: entries(doc, 'clusters', 'cluster', path),
      users: entries(doc, 'users', 'user', path),
      contexts: entries(doc, 'contexts', 'context', path),
    },
    currentContext: typeof current === 'string' && current !== '' ? current : undefined,
  };
}

function entries(doc: Fields, list: string, field: 'cluster' | 'user' | 'context', path: string): [string, Fields][] {
  const items = doc[list];
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw new KubeconfigError(`${path}: ${list} must be a list`);
  return items.map((item: unknown, i): [string, Fields] => {
    const name = isFields(item) ? item.name : undefined;
    if (typeof name !== 'string' || name === '') throw new KubeconfigError(`${path}: ${list}[${i}] has no name`);
    const body = (item as Fields)[field] ?? {};
    if (!isFields(body)) throw new KubeconfigError(`${path}: ${list}[${i}] ("${name}"): ${field} must be a mapping`);
    return [name, resolvePaths(body, field, dirname(path))];
  });
}

function resolvePaths(body: Fields, field: 'cluster' | 'user' | 'context', dir: string): Fields {
  const resolved: Fields = { ...body };
  for (const key of PATH_FIELDS[field] ?? []) {
    const value = resolved[key];
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) resolved[key] = join(dir, value);
  }
  // An exec command with a separator in it is a path, relative to the file; a bare name is looked up in PATH.
  const exec = resolved.exec;
  if (isFields(exec) && typeof exec.command === 'string' && exec.command.includes(sep) && !isAbsolute(exec.command)) {
    resolved.exec = { ...exec, command: join(dir, exec.command) };
  }
  return resolved;
}

function merge(files: readonly ParsedFile[], origin: string): MergedKubeconfig {
  const maps = { clusters: new Map<string, Fields>(), users: new Map<string, Fields>(), contexts: new Map<string, Fields>() };
  let currentContext: string | undefined;
  for (const file of files) {
    for (const list of SECTIONS) {
      for (const [name, body] of file.sections[list]) if (!maps[list].has(name)) maps[list].set(name, body);
    }
    currentContext ??= file.currentContext;
  }
  return { ...maps, currentContext, origin };
}

/** What client-go's InClusterConfig reads: the service's address from the environment, token and CA from files. */
function serviceAccountConfig(env: NodeJS.ProcessEnv, dir: string): ParsedFile | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  return {
    sections: {
      clusters: [['in-cluster', { server, 'certificate-authority': join(dir, 'ca.crt') }]],
      users: [['service-account', { tokenFile: join(dir, 'token') }]],
      contexts: [['in-cluster', { cluster: 'in-cluster', user: 'service-account' }]],
    },
    currentContext: 'in-cluster',
  };
}
