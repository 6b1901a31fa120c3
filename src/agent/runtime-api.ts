/**
 * What a container runtime's API says of a container that its cgroup does not: the restart count
 * (Docker's and Podman's `RestartCount`), and the name, image and compose labels when the state
 * files are not readable. Asked over the runtime's unix socket (GET /containers/<id>/json, which
 * Podman's Docker-compatible service answers too), one request per container at a time, bounded
 * in bytes and time, and answered from a cache: a scrape never waits for the runtime. What it
 * learns is served from the next scrape on.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { request } from 'node:http';

export interface RuntimeFacts {
  readonly restarts: number | null;
  readonly name: string | null;
  readonly image: string | null;
  readonly startedAtSeconds: number | null;
  readonly labels: Readonly<Record<string, string>>;
}

export interface RuntimeApiOptions {
  /** The unix socket (/var/run/docker.sock, /run/podman/podman.sock). */
  readonly socketPath: string;
  /** Longest wait for one answer; an answer later than this is dropped. */
  readonly timeoutMs?: number;
  /** Largest answer read; `docker inspect` of a container is a few KiB. */
  readonly maxBytes?: number;
  /** A container's facts are asked again after this long (a restart changes its count). */
  readonly refreshMs?: number;
  /** Requests at once. */
  readonly concurrency?: number;
  /** A clock, for tests. */
  readonly now?: () => number;
}

/** Only these labels are kept; the rest (and the environment, which may hold secrets) never is. */
export const KEPT_LABELS = ['com.docker.compose.project', 'com.docker.compose.service'] as const;

const ID = /^[0-9a-f]{64}$/;
/** Containers remembered at most: ids no longer read are forgotten first. */
const MAX_ENTRIES = 2_000;

interface Entry {
  facts: RuntimeFacts | null;
  askedAtMs: number;
  inFlight: boolean;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The facts of a `docker inspect` answer (one object, as GET /containers/<id>/json gives it); null for anything else. */
export function parseInspect(text: string): RuntimeFacts | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
  const o = json as { RestartCount?: unknown; Name?: unknown; Config?: { Image?: unknown; Labels?: unknown } | null; State?: { StartedAt?: unknown } | null };
  const count = o.RestartCount;
  const restarts = typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : null;
  const labels: Record<string, string> = {};
  const raw = o.Config?.Labels;
  if (raw && typeof raw === 'object') {
    for (const key of KEPT_LABELS) {
      const v = str((raw as Record<string, unknown>)[key]);
      if (v !== null) labels[key] = v;
    }
  }
  const started = Date.parse(str(o.State?.StartedAt) ?? '');
  return {
    restarts,
    name: str(o.Name)?.replace(/^\//, '') || null,
    image: str(o.Config?.Image),
    startedAtSeconds: Number.isFinite(started) && started > 0 ? started / 1000 : null,
    labels,
  };
}

/** One GET over the socket: the body when it is a 200 within the bounds, else undefined. */
function get(socketPath: string, path: string, timeoutMs: number, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (body: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(body);
    };
    const req = request({ socketPath, path, method: 'GET', headers: { host: 'localhost', accept: 'application/json' }, agent: false }, (res) => {
      if (res.statusCode !== 200) return finish(undefined);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return finish(undefined);
        chunks.push(chunk);
      });
      res.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => finish(undefined));
    });
    // One deadline for the whole answer, headers and body: a runtime that trickles is dropped too.
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    req.on('error', () => finish(undefined));
    req.end();
  });
}

/** A runtime's API behind a cache; one per socket. */
export class RuntimeApi {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: string[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly refreshMs: number;
  private readonly concurrency: number;
  private readonly now: () => number;

  constructor(private readonly options: RuntimeApiOptions) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024;
    this.refreshMs = options.refreshMs ?? 10_000;
    this.concurrency = options.concurrency ?? 4;
    this.now = options.now ?? Date.now;
  }

  /**
   * What is known of the container now (undefined until its first answer); asks again in the
   * background when the facts are older than the refresh time. Never waits.
   */
  facts(id: string): RuntimeFacts | undefined {
    if (!ID.test(id)) return undefined;
    let entry = this.entries.get(id);
    if (!entry) {
      if (this.entries.size >= MAX_ENTRIES) return undefined;
      entry = { facts: null, askedAtMs: -Infinity, inFlight: false };
      this.entries.set(id, entry);
    }
    if (!entry.inFlight && this.now() - entry.askedAtMs >= this.refreshMs) {
      entry.inFlight = true;
      entry.askedAtMs = this.now();
      this.queue.push(id);
      this.pump();
    }
    return entry.facts ?? undefined;
  }

  /** Forgets the containers not in `ids` (gone since): the cache holds the running ones only. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.entries.keys()) if (!ids.has(id) && !this.entries.get(id)?.inFlight) this.entries.delete(id);
  }

  /** Resolves when no request is queued or running (tests; the agent never waits on it). */
  async settled(): Promise<void> {
    // Each request ends within timeoutMs, and starts the next queued one before it ends.
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private pump(): void {
    while (this.pending.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift() as string;
      const asked: Promise<void> = get(this.options.socketPath, `/containers/${id}/json`, this.timeoutMs, this.maxBytes).then((body) => {
        const entry = this.entries.get(id);
        if (entry) {
          entry.inFlight = false;
          // A failed answer keeps what an earlier one said.
          const facts = body === undefined ? null : parseInspect(body);
          if (facts) entry.facts = facts;
        }
        this.pending.delete(asked);
        this.pump();
      });
      this.pending.add(asked);
    }
  }
}

/** Where Docker and Podman (as root) listen. */
export const DEFAULT_SOCKETS = { docker: '/var/run/docker.sock', podman: '/run/podman/podman.sock' } as const;

/** The runtimes whose socket this user may use (Docker's needs root or the docker group). */
export async function openRuntimeApis(sockets: { readonly docker?: string; readonly podman?: string } = DEFAULT_SOCKETS): Promise<{ docker?: RuntimeApi; podman?: RuntimeApi }> {
  const usable = async (path: string | undefined): Promise<RuntimeApi | undefined> => {
    if (path === undefined) return undefined;
    try {
      await access(path, constants.R_OK | constants.W_OK);
      return new RuntimeApi({ socketPath: path });
    } catch {
      return undefined;
    }
  };
  const [docker, podman] = await Promise.all([usable(sockets.docker), usable(sockets.podman)]);
  return { ...(docker ? { docker } : {}), ...(podman ? { podman } : {}) };
}
