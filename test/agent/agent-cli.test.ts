import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { it } from '../helpers/temp-dir.js';
import type { Snapshot } from '../../src/cli/snapshot.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { freePort } from '../helpers/node-exporter.js';
import { runCli } from '../helpers/run-cli.js';
import { startAgentProcess } from './agent-process.js';
import { request } from './request.js';

const memTotal = () => Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]) * 1024;

describe('cluster-top agent (the built binary)', () => {
  it('serves figures the pipeline reads as this machine\'s own, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const agent = await startAgentProcess(['--listen', `127.0.0.1:${port}`]);
    try {
      expect(agent.url).toBe(`http://127.0.0.1:${port}/metrics`);
      const parsed = parseExposition((await request(agent.url)).body.toString());
      expect(parsed.samples.find((s) => s.name === 'node_memory_MemTotal_bytes')?.value).toBe(memTotal());

      const [scraped, local] = await Promise.all([
        runCli(['--once', '-o', 'json', '-i', '1s', `127.0.0.1:${port}`]),
        runCli(['--once', '-o', 'json', '-i', '1s']),
      ]);
      expect(scraped.code).toBe(0);
      expect(local.code).toBe(0);
      const [viaAgent] = (JSON.parse(scraped.stdout) as Snapshot).nodes;
      const [direct] = (JSON.parse(local.stdout) as Snapshot).nodes;
      expect(viaAgent).toMatchObject({ name: direct!.name, source: 'node_exporter', up: true, target: agent.url });
      expect(direct).toMatchObject({ target: 'local', source: 'local', up: true });
      expect(viaAgent!.cpu!.cores).toBe(cpus().length);
      expect(viaAgent!.cpu!.cores).toBe(direct!.cpu!.cores);
      expect(viaAgent!.cpu!.usagePercent).not.toBeNull();
      expect(viaAgent!.memory!.totalBytes).toBe(direct!.memory!.totalBytes);
      expect(viaAgent!.swap!.totalBytes).toBe(direct!.swap!.totalBytes);
      expect(viaAgent!.filesystem!.sizeBytes).toBe(direct!.filesystem!.sizeBytes);
      expect(Math.abs(viaAgent!.uptimeSeconds! - direct!.uptimeSeconds!)).toBeLessThan(5);
      expect(viaAgent!.network).not.toBeNull();
      expect(viaAgent!.disk).not.toBeNull();
    } finally {
      expect(await agent.stop()).toBe(0);
    }
    expect(agent.stderr()).toBe(`cluster-top agent: serving this machine's metrics at http://127.0.0.1:${port}/metrics\n`);
  });

  it('requires the token from --token-file, and never prints it', async ({ tmp: dir }) => {
    const token = 'agent-token-9f3c1d';
    writeFileSync(join(dir, 'token'), `${token}\n`);
    const port = await freePort();
    const agent = await startAgentProcess(['--listen', `127.0.0.1:${port}`, '--token-file', join(dir, 'token')]);
    try {
      const [withToken, without] = await Promise.all([
        runCli(['--once', '-o', 'json', '-i', '500ms', '--bearer-token-file', join(dir, 'token'), `127.0.0.1:${port}`]),
        runCli(['--once', '-o', 'json', '-i', '500ms', `127.0.0.1:${port}`]),
      ]);
      expect((JSON.parse(withToken.stdout) as Snapshot).nodes[0]).toMatchObject({ up: true, error: null });
      expect((JSON.parse(without.stdout) as Snapshot).nodes[0]).toMatchObject({ up: false, error: 'HTTP 401 Unauthorized' });
      expect(without.code).toBe(1);
      for (const output of [withToken.stdout, withToken.stderr, without.stdout, without.stderr]) expect(output).not.toContain(token);
    } finally {
      expect(await agent.stop()).toBe(0);
    }
    expect(agent.stderr()).toContain('(bearer token required)');
    expect(agent.stderr()).not.toContain(token);
  });

  it.each([
    [['agent', '--listen', 'foo:99999'], /--listen takes host:port or \[ipv6\]:port with a port from 0 to 65535, not "foo:99999"/],
    [['agent', '--listen', ':9105'], /not ":9105"/],
    [['agent', '--bogus'], /unknown option '--bogus'/],
    [['agent', 'extra'], /too many arguments for 'agent'/],
    [['agent', '--token-file', '/nonexistent/token'], /^cluster-top: --token-file \/nonexistent\/token: no such file$/m],
  ])('%j is a usage error: exit 2, one line', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('says in one line when the address is taken', async () => {
    const port = await freePort();
    const first = await startAgentProcess(['--listen', `127.0.0.1:${port}`]);
    try {
      const second = await runCli(['agent', '--listen', `127.0.0.1:${port}`]);
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(`cluster-top agent: cannot listen on 127.0.0.1:${port}: the address is in use\n`);
    } finally {
      await first.stop();
    }
  });

  it('has its own --help, and the main help lists it', async () => {
    const help = await runCli(['agent', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cluster-top agent \[options\]/);
    const text = help.stdout.replace(/\s+/g, ' ');
    for (const flag of ['--listen <host:port>', '--token-file <path>', '(default: 127.0.0.1:9105)']) expect(text).toContain(flag);
    const main = await runCli(['--help']);
    expect(main.stdout).toMatch(/^\s+agent \[options\]/m);
  });
});
