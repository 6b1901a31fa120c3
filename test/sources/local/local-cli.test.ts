import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/cli/snapshot.js';
import { runCli } from '../../helpers/run-cli.js';

describe('cluster-top with no targets: this machine', () => {
  it('--once -o json prints this machine with source "local"', async () => {
    const r = await runCli(['--once', '-o', 'json', '-i', '500ms']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as Snapshot;
    expect(snap.nodes).toHaveLength(1);
    const hostname = readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
    expect(snap.nodes[0]).toMatchObject({ name: hostname, target: 'local', source: 'local', up: true, error: null });
    expect(snap.nodes[0]!.cpu!.cores).toBe(cpus().length);
    expect(snap.nodes[0]!.cpu!.usagePercent).not.toBeNull();
    expect(snap.nodes[0]!.network).not.toBeNull();
  });

  it('prints the table, also when stdout is not a terminal and --once is not given', async () => {
    const r = await runCli(['-i', '500ms']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('stdout is not a terminal');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS/);
    expect(lines[1]).toMatch(/\bup\b/);
    expect(lines.at(-1)).toMatch(/^1\/1 targets up at /);
  });
});
