/**
 * Secrets in target URLs, end to end: the scrape carries them (a loopback server checks what it
 * receives), and the JSON snapshot, the table, a recording and the messages never show them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import type { Snapshot } from '../../src/cli/snapshot.js';
import { Recording } from '../../src/record/reader.js';
import { ReplaySource } from '../../src/sources/replay/replay-source.js';
import { serve, type Endpoint } from '../helpers/http-endpoints.js';
import { runCli } from '../helpers/run-cli.js';

const PAYLOAD = readFileSync(fileURLToPath(new URL('../fixtures/node-exporter.prom', import.meta.url)), 'utf8');

/** Query parameter names that hold a secret, each with a value of its own. */
const PARAMS = ['token', 'access_token', 'key', 'apikey', 'api_key', 'password', 'signature', 'secret', 'TOKEN', 'Api_Key', 'X-Amz-Signature', 'X-Amz-Security-Token', 'sig'];

interface Shape {
  /** The target as written on the command line (`PORT` stands for the server's port). */
  readonly target: string;
  /** The target column as it must read. */
  readonly shown: string;
  /** What must never be printed or written. */
  readonly secrets: readonly string[];
  /** Whether the server received the credential. */
  readonly received: (url: string, authorization: string | undefined) => boolean;
}

const basic = (userinfo: string) => `Basic ${Buffer.from(userinfo).toString('base64')}`;

const SHAPES: readonly Shape[] = [
  {
    target: 'http://u:Pw0rd%2Fb64%2B@127.0.0.1:PORT/basic',
    shown: 'http://u:***@127.0.0.1:PORT/basic',
    secrets: ['Pw0rd'],
    received: (_url, auth) => auth === basic('u:Pw0rd/b64+'),
  },
  {
    target: 'http://TOKENuser0123@127.0.0.1:PORT/user-only',
    shown: 'http://***@127.0.0.1:PORT/user-only',
    secrets: ['TOKENuser0123'],
    received: (_url, auth) => auth === basic('TOKENuser0123:'),
  },
  ...PARAMS.map((name, i): Shape => ({
    target: `http://127.0.0.1:PORT/metrics?${name}=qs${i}secret&keep=visible`,
    shown: `http://127.0.0.1:PORT/metrics?${name}=***&keep=visible`,
    secrets: [`qs${i}secret`],
    received: (url) => url === `/metrics?${name}=qs${i}secret&keep=visible`,
  })),
  // Two targets that differ only in their secret: both are scraped and both are recorded.
  {
    target: 'http://127.0.0.1:PORT/twice?token=twinA',
    shown: 'http://127.0.0.1:PORT/twice?token=***',
    secrets: ['twinA'],
    received: (url) => url === '/twice?token=twinA',
  },
  {
    target: 'http://127.0.0.1:PORT/twice?token=twinB',
    shown: 'http://127.0.0.1:PORT/twice?token=***',
    secrets: ['twinB'],
    received: (url) => url === '/twice?token=twinB',
  },
];

let server: Endpoint;
let dir: string;
let targets: string[];
let shown: string[];
const received: { url: string; authorization: string | undefined }[] = [];
const secrets = SHAPES.flatMap((s) => s.secrets);

function expectNoSecret(text: string, where: string): void {
  for (const secret of secrets) expect(text.includes(secret), `${where} shows ${secret}`).toBe(false);
}

beforeAll(async () => {
  server = await serve((req, res) => {
    received.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(PAYLOAD);
  });
  dir = tempDir('secrets');
  targets = SHAPES.map((s) => s.target.replace('PORT', String(server.port)));
  shown = SHAPES.map((s) => s.shown.replace('PORT', String(server.port)));
});

afterAll(async () => {
  await server?.close();
});

describe('secrets in target URLs', () => {
  it('--once -o json: the scrape carries each secret, the snapshot shows none', async () => {
    received.length = 0;
    const r = await runCli(['--once', '-o', 'json', '-i', '1s', ...targets]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    expect(snapshot.nodes.map((n) => n.target)).toEqual(shown);
    expect(snapshot.nodes.every((n) => n.up)).toBe(true);
    expectNoSecret(r.stdout, 'the JSON snapshot');
    for (const shape of SHAPES) {
      expect(received.some((q) => shape.received(q.url, q.authorization)), `the server got ${shape.target}`).toBe(true);
    }
  });

  it('--once (the table) shows none', async () => {
    const r = await runCli(['--once', '-i', '1s', ...targets]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+STATUS/);
    expectNoSecret(r.stdout + r.stderr, 'the table');
  });

  it('a down target shows none, in the table or the JSON', async () => {
    const closed = targets.map((t) => t.replace(`:${server.port}/`, ':9/'));
    for (const args of [['--once', '-i', '200ms', '--timeout', '150ms'], ['--once', '-o', 'json', '-i', '200ms', '--timeout', '150ms']]) {
      const r = await runCli([...args, ...closed]);
      expect(r.code).toBe(1);
      expectNoSecret(r.stdout + r.stderr, 'a down target');
    }
  });

  it('--record: the file holds none, and replays every target under its masked URL', async () => {
    const path = join(dir, 'secrets.rec');
    const r = await runCli(['--once', '-o', 'json', '-i', '1s', '--record', path, ...targets]);
    expect(r.code).toBe(0);
    const text = readFileSync(path, 'utf8');
    expectNoSecret(text, 'the recording');
    const recording = Recording.open(path);
    recording.close();
    expect(recording.stopped).toBeUndefined();

    const replay = ReplaySource.open({ path, speed: 1, historyMs: 60_000 });
    try {
      await replay.collectOnce();
      expect(replay.store.nodes().map((n) => n.target)).toEqual(shown);
      expectNoSecret(JSON.stringify(replay.store.nodes().map((n) => [n.id, n.target])), 'the replay');
    } finally {
      await replay.stop();
    }
  });

  it.each([
    ['u:Pw0rd@127.0.0.1:9100', 'cluster-top: invalid target "***@127.0.0.1:9100": credentials go in a URL (http://user:password@host:port/metrics)\n'],
    ['http://u:Pw0rd/@127.0.0.1:9100/', 'cluster-top: invalid target URL "http://***@127.0.0.1:9100/"\n'],
  ])('a usage error about %s does not echo its password', async (target, line) => {
    const r = await runCli(['--once', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(line);
  });
});
