import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { it } from '../helpers/temp-dir.js';
import { runCli } from '../helpers/run-cli.js';
import { NODE_EXPORTER, freePort, startNodeExporter, type RunningExporter } from '../helpers/node-exporter.js';
import { requireBinary } from '../helpers/real-binary.js';
import { serve, type Endpoint } from '../helpers/http-endpoints.js';
import type { Snapshot } from '../../src/cli/snapshot.js';

describe('command line: usage', () => {
  it('prints the version and help', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--targets-file', '--interval', '--timeout', '--concurrency', '--once', '--output', '--insecure', '--ca-file', '--bearer-token-file', '--no-color', '--no-mouse'])
      expect(help.stdout).toContain(flag);
  });

  it.each([
    [['--bogus', 'node1'], /unknown option '--bogus'/],
    [['-i', 'fast', 'node1'], /--interval takes a duration/],
    [['--timeout', '5s', '-i', '2s', 'node1'], /--timeout \(5000ms\) must not be longer than --interval/],
    [['--concurrency', '0', 'node1'], /--concurrency takes a whole number/],
    [['-o', 'yaml', '--once', 'node1'], /argument 'yaml' is invalid/],
    [['node1:http'], /invalid target "node1:http": port must be a number/],
    [['-f', '/dev/null'], /no targets in \/dev\/null/],
    [['-f', '/nonexistent/fleet.txt'], /cannot read targets file \/nonexistent\/fleet.txt: no such file/],
    [['--bearer-token-file', '/nonexistent/token', 'node1'], /--bearer-token-file \/nonexistent\/token: no such file/],
  ])('%j is a usage error: exit 2, one line', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(r.stdout).toBe('');
  });

  it('names the line of a bad targets file', async ({ tmp: dir }) => {
    writeFileSync(join(dir, 'fleet.txt'), '# nodes\nnode1\nnode2:99999\n');
    const r = await runCli(['-f', join(dir, 'fleet.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`cluster-top: ${join(dir, 'fleet.txt')}:3: invalid target "node2:99999": port must be a number from 1 to 65535`);
  });
});

describe.runIf(requireBinary(NODE_EXPORTER))('command line: --once against the real node_exporter', () => {
  let exporter: RunningExporter;
  let garbage: Endpoint;
  let closedPort: number;

  beforeAll(async () => {
    exporter = await startNodeExporter();
    garbage = await serve((_req, res) => res.end('this is { not metrics\n'));
    closedPort = await freePort();
  });
  afterAll(async () => {
    await exporter?.stop();
    await garbage?.close();
  });

  it('prints the JSON snapshot: real figures for the good target, reasons for the bad ones', async () => {
    const r = await runCli(['--once', '-o', 'json', '-i', '1s', exporter.url, `127.0.0.1:${closedPort}`, garbage.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as Snapshot;
    expect(Number.isNaN(Date.parse(snap.collectedAt))).toBe(false);
    expect(snap.nodes).toHaveLength(3);
    const [good, refused, bad] = snap.nodes;

    const memTotalKiB = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    const hostname = readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
    expect(good).toMatchObject({ name: hostname, target: exporter.url, source: 'node_exporter', up: true, error: null });
    expect(good!.cpu!.cores).toBe(cpus().length);
    expect(good!.cpu!.perCoreUsagePercent).toHaveLength(cpus().length);
    expect(good!.cpu!.usagePercent).toBeGreaterThanOrEqual(0);
    expect(good!.cpu!.usagePercent).toBeLessThanOrEqual(100);
    expect(good!.memory!.totalBytes).toBe(memTotalKiB * 1024);
    expect(good!.memory!.usedBytes).toBe(good!.memory!.totalBytes - good!.memory!.availableBytes);
    expect(good!.load!.load1).toBeGreaterThanOrEqual(0);
    expect(good!.network).not.toBeNull();
    expect(good!.filesystem!.sizeBytes).toBeGreaterThan(0);
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    expect(Math.abs(good!.uptimeSeconds! - uptime)).toBeLessThan(60);
    expect(good!.scrapeDurationSeconds).toBeGreaterThan(0);

    expect(refused).toMatchObject({ up: false, error: 'connection refused', cpu: null, memory: null, source: 'node_exporter' });
    expect(bad!.up).toBe(false);
    expect(bad!.error).toMatch(/^invalid metrics payload: line 1, column \d+: /);
  });

  it('prints the table, and exits 1 when no target could be scraped', async () => {
    const table = await runCli(['--once', '-i', '500ms', exporter.url, `127.0.0.1:${closedPort}`]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+CPU\s+CORES\s+MEM/);
    expect(lines[1]).toMatch(/\bup\b/);
    expect(lines[2]).toMatch(/\bDOWN\b/);
    expect(table.stdout).toContain(`127.0.0.1: connection refused`);
    expect(lines.at(-1)).toMatch(/^1\/2 targets up at /);

    const none = await runCli(['--once', '-i', '500ms', `127.0.0.1:${closedPort}`]);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/0\/1 targets up/);
  });

  it('prints one snapshot, and says so, when stdout is not a terminal', async () => {
    const r = await runCli(['-i', '500ms', exporter.url]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('stdout is not a terminal');
    expect(r.stdout).toMatch(/^NAME/);
    expect(r.stdout).not.toContain('\x1b[');
  });
});

describe('command line: secrets', () => {
  it('never prints the bearer token or a URL password', async ({ tmp: dir }) => {
    const token = 'tok-SUPERSECRET-123';
    writeFileSync(join(dir, 'token'), `${token}\n`);
    const auths = new Set<string>();
    const denied = await serve((req, res) => {
      auths.add(req.headers.authorization ?? '');
      res.writeHead(401).end(`bad token ${req.headers.authorization ?? ''}`);
    });
    try {
      const passwordUrl = `http://admin:hunter2pw@127.0.0.1:${denied.port}/metrics`;
      for (const output of ['json', 'table']) {
        const r = await runCli(['--once', '-o', output, '-i', '200ms', '--bearer-token-file', join(dir, 'token'), denied.url, passwordUrl]);
        expect(r.code).toBe(1);
        expect(auths).toContain(`Bearer ${token}`);
        expect(r.stdout + r.stderr).toContain('HTTP 401');
        expect(r.stdout + r.stderr).not.toContain(token);
        expect(r.stdout + r.stderr).not.toContain('hunter2pw');
      }
    } finally {
      await denied.close();
    }
  });
});
