/** The parts of a Prometheus scrape job cluster-top understands: where its targets come from, and how to reach them. */
import { ConfigError, type Fields } from './config-fields.js';

export interface JobConfig {
  readonly name: string;
  readonly scheme: 'http' | 'https';
  readonly metricsPath: string;
  readonly params: Readonly<Record<string, readonly string[]>>;
  /** The job's own scrape_interval and scrape_timeout; the global ones apply where absent. */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly auth?: AuthConfig;
  readonly tls?: TlsConfig;
  readonly staticConfigs: readonly StaticConfig[];
  readonly dnsConfigs: readonly DnsSdConfig[];
  readonly fileConfigs: readonly FileSdConfig[];
}

/** Secrets stay in the file until the job is loaded (see job-scrape.ts); paths as written. */
export type AuthConfig =
  | { readonly kind: 'basic'; readonly username: string; readonly password?: string; readonly passwordFile?: string }
  | {
      readonly kind: 'authorization';
      readonly type: string;
      readonly credentials?: string;
      readonly credentialsFile?: string;
      /** The field that named the file, for messages: authorization.credentials_file or bearer_token_file. */
      readonly fileField?: string;
    };

export interface TlsConfig {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly serverName?: string;
  readonly insecureSkipVerify: boolean;
}

export interface StaticConfig {
  /** Where it is in the file, for messages about one of its targets. */
  readonly path: string;
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface DnsSdConfig {
  readonly names: readonly string[];
  readonly type: 'A' | 'AAAA' | 'SRV';
  /** Required for A and AAAA; SRV records carry their own. */
  readonly port?: number;
  readonly refreshMs: number;
}

export interface FileSdConfig {
  readonly files: readonly string[];
  readonly refreshMs: number;
}

// Prometheus's defaults.
const DNS_REFRESH_MS = 30_000;
const FILE_REFRESH_MS = 300_000;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// As Prometheus checks file_sd patterns: a glob only in the last path element, and a known extension.
const FILE_PATTERN = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

/** Reads one job; `warn` gets a line for what is understood but not honoured (an MX lookup). */
export function readJob(job: Fields, name: string, warn: (line: string) => void): JobConfig {
  const scheme = job.string('scheme') ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') job.fail('scheme', 'expected http or https');
  const metricsPath = job.string('metrics_path') ?? '/metrics';
  if (!metricsPath.startsWith('/')) job.fail('metrics_path', 'expected a path starting with /');
  const auth = readAuth(job);
  const tls = job.mapping('tls_config');
  // honor_labels settles clashes between a target's labels and the labels of its samples; cluster-top
  // puts no sample labels on targets, so there is never a clash: read for its type only.
  job.bool('honor_labels');
  const intervalMs = job.duration('scrape_interval');
  const timeoutMs = job.duration('scrape_timeout');
  if (intervalMs !== undefined && timeoutMs !== undefined && timeoutMs > intervalMs) {
    job.fail('scrape_timeout', 'longer than the job\'s scrape_interval');
  }
  return {
    name,
    scheme,
    metricsPath,
    params: readParams(job),
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(auth === undefined ? {} : { auth }),
    ...(tls === undefined ? {} : { tls: readTls(tls) }),
    staticConfigs: job.mappings('static_configs').map((s) => ({ path: s.path, targets: s.stringList('targets') ?? [], labels: readLabels(s, 'labels') })),
    dnsConfigs: job.mappings('dns_sd_configs').flatMap((d) => readDns(d, name, warn)),
    fileConfigs: job.mappings('file_sd_configs').map(readFileSd),
  };
}

/** Labels by Prometheus's rules for names; `__` names are meta labels (see discovered-target.ts). */
export function readLabels(f: Fields, key: string): Record<string, string> {
  const labels = f.stringMap(key) ?? {};
  for (const name of Object.keys(labels)) if (!LABEL_NAME.test(name)) f.fail(`${key}.${name}`, 'not a valid label name');
  return labels;
}

function readParams(job: Fields): Record<string, string[]> {
  const params = job.mapping('params');
  const out: Record<string, string[]> = {};
  for (const key of params?.keys() ?? []) out[key] = params?.stringList(key) ?? [];
  return out;
}

function readAuth(job: Fields): AuthConfig | undefined {
  const kinds = [job.has('basic_auth'), job.has('authorization'), job.has('bearer_token') || job.has('bearer_token_file')].filter(Boolean);
  if (kinds.length > 1) throw new ConfigError(`${job.origin}: ${job.path}: at most one of basic_auth, authorization and bearer_token may be configured`);
  if (job.has('bearer_token') && job.has('bearer_token_file')) job.fail('bearer_token_file', 'bearer_token and bearer_token_file cannot both be set');
  const basic = job.mapping('basic_auth');
  if (basic) {
    const password = basic.string('password');
    const passwordFile = basic.string('password_file');
    if (password !== undefined && passwordFile !== undefined) basic.fail('password_file', 'password and password_file cannot both be set');
    return { kind: 'basic', username: basic.string('username') ?? '', ...(password === undefined ? {} : { password }), ...(passwordFile === undefined ? {} : { passwordFile }) };
  }
  const authorization = job.mapping('authorization');
  if (authorization) {
    const type = authorization.string('type') ?? 'Bearer';
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(type)) authorization.fail('type', 'expected an authorization scheme such as Bearer');
    if (type.toLowerCase() === 'basic') authorization.fail('type', 'use basic_auth for Basic');
    const credentials = authorization.string('credentials');
    const credentialsFile = authorization.string('credentials_file');
    if (credentials !== undefined && credentialsFile !== undefined) authorization.fail('credentials_file', 'credentials and credentials_file cannot both be set');
    return { kind: 'authorization', type, ...(credentials === undefined ? {} : { credentials }), ...(credentialsFile === undefined ? {} : { credentialsFile, fileField: 'authorization.credentials_file' }) };
  }
  const token = job.string('bearer_token');
  const tokenFile = job.string('bearer_token_file');
  if (token !== undefined) return { kind: 'authorization', type: 'Bearer', credentials: token };
  if (tokenFile !== undefined) return { kind: 'authorization', type: 'Bearer', credentialsFile: tokenFile, fileField: 'bearer_token_file' };
  return undefined;
}

function readTls(tls: Fields): TlsConfig {
  const out: { -readonly [K in keyof TlsConfig]: TlsConfig[K] } = { insecureSkipVerify: tls.bool('insecure_skip_verify') ?? false };
  const caFile = tls.string('ca_file');
  const certFile = tls.string('cert_file');
  const keyFile = tls.string('key_file');
  const serverName = tls.string('server_name');
  if ((certFile === undefined) !== (keyFile === undefined)) tls.fail(certFile === undefined ? 'key_file' : 'cert_file', 'cert_file and key_file go together');
  if (caFile !== undefined) out.caFile = caFile;
  if (certFile !== undefined) out.certFile = certFile;
  if (keyFile !== undefined) out.keyFile = keyFile;
  if (serverName !== undefined) out.serverName = serverName;
  return out;
}

function readDns(d: Fields, job: string, warn: (line: string) => void): DnsSdConfig[] {
  const names = d.stringList('names');
  if (names === undefined || names.length === 0) d.fail('names', 'expected a list of at least one DNS name');
  const type = (d.string('type') ?? 'SRV').toUpperCase();
  const port = d.port('port');
  const refreshMs = d.duration('refresh_interval') ?? DNS_REFRESH_MS;
  if (type === 'MX' || type === 'NS') {
    warn(`${d.at('type')} (job "${job}"): ${type} lookups are not supported (A, AAAA, SRV): this dns_sd_config is skipped`);
    return [];
  }
  if (type !== 'A' && type !== 'AAAA' && type !== 'SRV') d.fail('type', 'expected SRV, A or AAAA');
  if (type !== 'SRV' && port === undefined) d.fail('port', `expected a port: ${type} records have none`);
  return [{ names, type, refreshMs, ...(port === undefined ? {} : { port }) }];
}

function readFileSd(f: Fields): FileSdConfig {
  const files = f.stringList('files');
  if (files === undefined || files.length === 0) f.fail('files', 'expected a list of at least one file or pattern');
  files.forEach((pattern, i) => {
    if (!FILE_PATTERN.test(pattern)) f.fail(`files[${i}]`, 'expected a .json, .yml or .yaml file, with * only in the last path element');
  });
  return { files, refreshMs: f.duration('refresh_interval') ?? FILE_REFRESH_MS };
}
