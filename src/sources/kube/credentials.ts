/**
 * Headers and TLS material for every request to the API server, from the library's KubeConfig
 * (applyToHTTPSOptions), then sent with the project's own undici code.
 *
 * Asked anew once a minute: the library then re-runs an exec plugin whose ExecCredential has
 * passed its expirationTimestamp (and keeps one that has not), and tokenFile is re-read, as
 * client-go does. A 401 asks at once, with a fresh library state, as a revoked token may still
 * look unexpired. Between asks the answer is cached: the library runs a plugin that gives no
 * expirationTimestamp on every ask, and that must not be once per request.
 */
import { readFile } from 'node:fs/promises';
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { RequestHeaders } from '../../scrape/scraper.js';
import { describeFsError } from '../../util/fs-error.js';
import type { LoadedKubeconfig } from './kubeconfig.js';
import { ReadError } from '../../util/errors.js';

export interface TlsMaterial {
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly servername?: string;
  readonly insecure: boolean;
}

export interface RequestAuth {
  readonly headers: Readonly<RequestHeaders>;
  readonly tls: TlsMaterial;
}

/** No credentials could be had: one line saying whose and why, never the secret. */
export class KubeAuthError extends ReadError {
  override readonly name = 'KubeAuthError';
  readonly code = 'CT_ERR_KUBE_AUTH';
}

const REASK_MS = 60_000;
const ASK_TIMEOUT_MS = 60_000;
/** However many requests see a 401 at once, the plugin runs at most this often. */
const MIN_RENEW_MS = 5_000;

export class Credentials {
  private kc: KubeConfig;
  private cached: { readonly auth: RequestAuth; readonly atMs: number } | undefined;
  private pending: Promise<RequestAuth> | undefined;
  private lastRenewMs = -Infinity;

  constructor(
    readonly config: LoadedKubeconfig,
    private readonly now: () => number = Date.now,
  ) {
    this.kc = config.make();
  }

  /** `user "x" of context "y"`, for messages. */
  get who(): string {
    const context = `context "${this.config.contextName}"`;
    return this.config.userName === undefined ? `${context} (it names no user)` : `user "${this.config.userName}" of ${context}`;
  }

  current(): Promise<RequestAuth> {
    const cached = this.cached;
    if (cached && this.now() - cached.atMs < REASK_MS) return Promise.resolve(cached.auth);
    this.pending ??= this.ask()
      // While new ones cannot be had (a token file being rewritten), the last serve until the server
      // refuses them, and the next try waits as long as a re-ask does.
      .catch((error: unknown) => {
        if (!cached) throw error;
        this.cached = { auth: cached.auth, atMs: this.now() };
        return cached.auth;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The server answered 401 to `rejected`; unless someone renewed since, ask anew from scratch. */
  renew(rejected: RequestAuth): Promise<RequestAuth> {
    if (this.pending) return this.pending;
    if (this.cached && this.cached.auth !== rejected) return Promise.resolve(this.cached.auth);
    if (this.now() - this.lastRenewMs < MIN_RENEW_MS) return this.current();
    this.lastRenewMs = this.now();
    this.kc = this.config.make();
    this.cached = undefined;
    return this.current();
  }

  private async ask(): Promise<RequestAuth> {
    const options: RequestOptions = {};
    let timer: NodeJS.Timeout | undefined;
    // A plugin that never exits would hold every request; the library cannot be told to give up, so stop waiting.
    const timeout = new Promise<never>((_, reject) => {
      const running = this.config.exec ? ` (exec plugin "${this.config.exec.command}" still running)` : '';
      timer = setTimeout(() => reject(new KubeAuthError(`${this.who}: no credentials within ${ASK_TIMEOUT_MS / 1000} s${running}`)), ASK_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.kc.applyToHTTPSOptions(options), timeout]);
    } catch (error) {
      throw error instanceof KubeAuthError ? error : new KubeAuthError(`${this.who}: ${this.describe(error)}`);
    } finally {
      clearTimeout(timer);
    }
    const headers: RequestHeaders = {};
    const given = options.headers && !Array.isArray(options.headers) ? options.headers : {};
    for (const [name, value] of Object.entries(given)) {
      if (typeof value === 'string' || Array.isArray(value)) headers[name.toLowerCase()] = value;
    }
    if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    if (this.config.tokenFile !== undefined) headers.authorization = `Bearer ${await this.readTokenFile(this.config.tokenFile)}`;
    for (const [name, value] of this.config.impersonation) {
      const before = headers[name];
      headers[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
    }
    const auth: RequestAuth = {
      headers,
      tls: {
        ...pem('ca', options.ca),
        ...pem('cert', options.cert),
        ...pem('key', options.key),
        ...(options.servername ? { servername: options.servername } : {}),
        insecure: options.rejectUnauthorized === false,
      },
    };
    this.cached = { auth, atMs: this.now() };
    return auth;
  }

  private async readTokenFile(path: string): Promise<string> {
    let token: string;
    try {
      token = (await readFile(path, 'utf8')).trim();
    } catch (error) {
      throw new KubeAuthError(`${this.who}: tokenFile ${path}: ${describeFsError(error)}`);
    }
    if (token === '') throw new KubeAuthError(`${this.who}: tokenFile ${path} is empty`);
    return token;
  }

  /** The library's errors as one line: a plugin's stderr, a file it could not read, a plugin not found. */
  private describe(error: unknown): string {
    const exec = this.config.exec;
    const { code, path, syscall } = (error ?? {}) as { code?: unknown; path?: unknown; syscall?: unknown };
    if (exec && typeof syscall === 'string' && syscall.startsWith('spawn')) {
      const hint = code === 'ENOENT' ? exec.installHint?.trim().split('\n')[0] : undefined;
      return `exec plugin "${exec.command}" ${code === 'ENOENT' ? 'not found' : `could not start (${String(code)})`}${hint ? ` (${hint})` : ''}`;
    }
    if (typeof path === 'string') return `${path}: ${describeFsError(error)}`;
    const message = messageLine(error instanceof Error ? error.message : String(error));
    if (!exec) return message;
    if (error instanceof SyntaxError) return `exec plugin "${exec.command}" did not print an ExecCredential (${message})`;
    if (error instanceof TypeError) return `exec plugin "${exec.command}" printed an ExecCredential without status`;
    return `exec plugin "${exec.command}" failed: ${message || 'no message'}`;
  }
}

function pem(name: 'ca' | 'cert' | 'key', value: unknown): Partial<Record<typeof name, string | Buffer>> {
  return typeof value === 'string' || Buffer.isBuffer(value) ? { [name]: value } : {};
}

/**
 * The line of a plugin's stderr that says what went wrong: the first naming an error when one
 * does (a Node.js or Python crash starts with where, not what), else the first.
 */
function messageLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.find((l) => /\b(error|denied|expired|invalid|failed|unable|cannot|forbidden)\b/i.test(l)) ?? lines[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
