/**
 * A fake Docker Engine API on a unix socket in the temp folder: GET /containers/<id>/json answers
 * with the captured `docker inspect` of test/fixtures/docker (README there), its varied fields
 * replaced per container; any other path the Engine's 404. Modes give bad answers: `huge` (a body
 * far past any inspect), `garbage` (200 with bytes that are not JSON), `hold` (headers, then
 * nothing until `release()`).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';

const CAPTURED = (JSON.parse(readFileSync(new URL('../fixtures/docker/inspect-running.json', import.meta.url), 'utf8')) as Record<string, unknown>[])[0] as Record<string, unknown>;

export interface FakeContainer {
  readonly name: string;
  readonly restarts: number;
  readonly image?: string;
  readonly labels?: Record<string, string>;
  readonly startedAt?: string;
}

export type FakeMode = 'ok' | 'huge' | 'garbage' | 'hold';

export interface FakeDocker {
  readonly socketPath: string;
  /** Requests received, by path. */
  readonly requests: string[];
  readonly containers: Map<string, FakeContainer>;
  mode: FakeMode;
  /** Connections closed by the client before the answer ended. */
  aborted: number;
  /** Resolves once `n` answers were cut by the client (the server hears of it after the client). */
  abortedAtLeast(n: number): Promise<void>;
  /** Ends the held answers. */
  release(): void;
  close(): Promise<void>;
}

/** The captured inspect with one container's varied fields. */
export function inspectOf(id: string, c: FakeContainer): Record<string, unknown> {
  const config = CAPTURED['Config'] as Record<string, unknown>;
  const state = CAPTURED['State'] as Record<string, unknown>;
  return {
    ...CAPTURED,
    Id: id,
    Name: `/${c.name}`,
    RestartCount: c.restarts,
    State: { ...state, ...(c.startedAt ? { StartedAt: c.startedAt } : {}) },
    Config: { ...config, Image: c.image ?? config['Image'], Labels: c.labels ?? {} },
  };
}

export async function startFakeDocker(dir: string): Promise<FakeDocker> {
  const socketPath = join(dir, 'docker.sock');
  const held: ServerResponse[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  const fake: FakeDocker = {
    socketPath,
    requests: [],
    containers: new Map(),
    mode: 'ok',
    aborted: 0,
    abortedAtLeast: (n) => (fake.aborted >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve }))),
    release: () => {
      for (const res of held.splice(0)) res.end('{}');
    },
    close: () =>
      new Promise<void>((resolve) => {
        fake.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    fake.requests.push(req.url ?? '');
    res.on('close', () => {
      if (res.writableEnded) return;
      fake.aborted++;
      for (const w of waiting.filter((x) => x.n <= fake.aborted)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    });
    const id = /^\/containers\/([0-9a-f]{64})\/json$/.exec(req.url ?? '')?.[1];
    const c = id === undefined ? undefined : fake.containers.get(id);
    if (id === undefined || c === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `No such container: ${id ?? req.url}` }));
      return;
    }
    switch (fake.mode) {
      case 'ok':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(inspectOf(id, c)));
        return;
      case 'huge': {
        // 4 MiB in 64 KiB writes, stopped when the client goes.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let left = 64;
        const more = () => {
          while (left > 0 && !res.destroyed) {
            left--;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          if (!res.destroyed) res.end();
        };
        more();
        return;
      }
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from([0x1b, 0x5d, 0x35, 0x32, 0x3b, 0xff, 0xfe, 0x7b, 0x00, 0x22]));
        return;
      case 'hold':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"RestartCount": ');
        held.push(res);
        return;
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return fake;
}
