import { readFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentServer, type RunningAgent } from '../../src/agent/agent-server.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { LinuxReader } from '../../src/sources/local/linux-reader.js';
import { MachineReadError } from '../../src/sources/local/machine-reading.js';
import { thisMachineReader } from '../../src/sources/local/readers.js';
import { NODE_EXPORTER, startNodeExporter } from '../helpers/node-exporter.js';
import { requireBinary } from '../helpers/real-binary.js';
import { rawExchange, request } from './request.js';

const FAMILIES = [
  'node_boot_time_seconds',
  'node_cpu_seconds_total',
  'node_disk_read_bytes_total',
  'node_disk_written_bytes_total',
  'node_filesystem_avail_bytes',
  'node_filesystem_size_bytes',
  'node_load1',
  'node_load15',
  'node_load5',
  'node_memory_MemAvailable_bytes',
  'node_memory_MemTotal_bytes',
  'node_memory_SwapFree_bytes',
  'node_memory_SwapTotal_bytes',
  'node_network_receive_bytes_total',
  'node_network_transmit_bytes_total',
  'node_time_seconds',
  'node_uname_info',
];

describe('agent server', () => {
  let agent: RunningAgent;
  beforeAll(async () => {
    agent = await startAgentServer({ host: '127.0.0.1', port: 0, reader: thisMachineReader() });
  });
  afterAll(async () => {
    await agent?.close();
  });

  it('serves this machine in node_exporter\'s names, as Prometheus text 0.0.4 the project\'s parser reads', async () => {
    const r = await request(agent.url);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.headers['content-encoding']).toBeUndefined();
    const text = r.body.toString();
    const parsed = parseExposition(text);
    expect([...parsed.types.keys()].sort()).toEqual(FAMILIES);
    expect(parsed.types.get('node_cpu_seconds_total')).toBe('counter');
    expect(parsed.types.get('node_memory_MemTotal_bytes')).toBe('gauge');
    expect(text).toContain('# HELP node_memory_MemTotal_bytes Memory information field MemTotal_bytes.\n');

    const memTotal = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]) * 1024;
    const value = (name: string) => parsed.samples.find((s) => s.name === name)?.value;
    expect(value('node_memory_MemTotal_bytes')).toBe(memTotal);
    const cores = new Set(parsed.samples.filter((s) => s.name === 'node_cpu_seconds_total').map((s) => s.labels.cpu));
    expect(cores.size).toBe(cpus().length);
    expect(parsed.samples.find((s) => s.name === 'node_uname_info')?.labels.nodename).toBe(hostname());
    expect(parsed.samples.find((s) => s.name === 'node_filesystem_size_bytes')?.labels.mountpoint).toBe('/');
  });

  it('gzips when the client accepts it, and answers HEAD without a body', async () => {
    const zipped = await request(agent.url, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(parseExposition(gunzipSync(zipped.body).toString()).types.size).toBe(FAMILIES.length);
    const refused = await request(agent.url, { headers: { 'Accept-Encoding': 'gzip;q=0, identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const head = await request(agent.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body.byteLength).toBe(0);
  });

  it('survives bad requests and still answers afterwards', async () => {
    const notFound = await request(agent.url.replace('/metrics', '/secrets'));
    expect(notFound.status).toBe(404);
    expect(notFound.body.toString()).toBe('not found: the metrics are at /metrics\n');
    const post = await request(agent.url, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const bigHeader = await request(agent.url, { headers: { 'X-Padding': 'a'.repeat(100 * 1024) } });
    expect(bigHeader.status).toBe(431);
    const garbage = await rawExchange(agent.port, '\x00\x01GARBAGE \xff\xfe not http at all\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    const badLength = await rawExchange(agent.port, 'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    expect(badLength).toMatch(/^HTTP\/1\.1 400 /);
    expect((await request(agent.url)).status).toBe(200);
  });
});

describe('agent server with a bearer token', () => {
  const token = 's3cret-token-value';
  let agent: RunningAgent;
  beforeAll(async () => {
    agent = await startAgentServer({ host: '127.0.0.1', port: 0, reader: thisMachineReader(), token });
  });
  afterAll(async () => {
    await agent?.close();
  });

  it('answers 401 without the token or with a wrong one, 200 with it, and never echoes it', async () => {
    const none = await request(agent.url);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="cluster-top agent"');
    for (const authorization of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `Basic ${token}`, 'Bearer', token]) {
      const wrong = await request(agent.url, { headers: { Authorization: authorization } });
      expect(wrong.status, authorization).toBe(401);
      expect(wrong.body.toString()).not.toContain(token);
    }
    const ok = await request(agent.url, { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).not.toContain(token);
    const notFound = await request(agent.url.replace('/metrics', '/'), { headers: { Authorization: `bearer ${token}` } });
    expect(notFound.status).toBe(404);
  });
});

describe('agent server when the machine cannot be read', () => {
  it('answers 500 with one line, and 200 again once the read works', async () => {
    let failing = true;
    const linux = new LinuxReader();
    const reader = {
      missing: [] as const,
      read: () => (failing ? Promise.reject(new MachineReadError('cannot read /proc/stat: permission denied')) : linux.read()),
    };
    const agent = await startAgentServer({ host: '127.0.0.1', port: 0, reader });
    try {
      const r = await request(agent.url);
      expect(r.status).toBe(500);
      expect(r.body.toString()).toBe('reading this machine failed: cannot read /proc/stat: permission denied\n');
      failing = false;
      expect((await request(agent.url)).status).toBe(200);
    } finally {
      await agent.close();
    }
  });
});

describe.runIf(requireBinary(NODE_EXPORTER))('agent against the real node_exporter', () => {
  it('writes the same HELP and TYPE lines for every family it serves', async () => {
    const exporter = await startNodeExporter();
    const agent = await startAgentServer({ host: '127.0.0.1', port: 0, reader: thisMachineReader() });
    try {
      const metadata = (text: string) => text.split('\n').filter((l) => /^# (HELP|TYPE) /.test(l) && FAMILIES.includes(l.split(' ')[2] ?? ''));
      const ours = metadata((await request(agent.url)).body.toString());
      const theirs = metadata((await request(exporter.url)).body.toString());
      expect(ours).toHaveLength(FAMILIES.length * 2);
      expect(new Set(ours)).toEqual(new Set(theirs));
    } finally {
      await agent.close();
      await exporter.stop();
    }
  });
});
