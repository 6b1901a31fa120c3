import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import type { Snapshot } from '../../../src/cli/snapshot.js';
import { makeClusterSpecs, makeDemoSpecs } from '../../../src/simulator/sim-cluster.js';
import { runCli, type CliRun } from '../../helpers/run-cli.js';

// Two seconds: a healthy node has 1.6 s to answer even on a loaded machine; the slow one takes 12 s.
const ARGS = ['--demo', '8', '--seed', '3', '--once', '-o', 'json', '-i', '2s'];
const specs = makeClusterSpecs(8, 3);
const dir = tempDir('demo');
const recording = join(dir, 'demo.rec');
let first: CliRun;
let second: CliRun;

/** What the seed decides: each node's name, labels, size, and whether it answers. */
const identity = (s: Snapshot) =>
  s.nodes.map((n) => ({ name: n.name, labels: n.labels, up: n.up, error: n.error?.replace(/[\d.]+ s$/, 'N s') ?? null, cores: n.cpu?.cores, memory: n.memory?.totalBytes }));

beforeAll(async () => {
  first = await runCli([...ARGS, '--record', recording]);
  second = await runCli(ARGS);
});


describe('--demo', () => {
  it('watches the simulated cluster through the real scrape path: one node refused, one timing out', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const snapshot = JSON.parse(first.stdout) as Snapshot;
    expect(snapshot.nodes.map((n) => n.name)).toEqual(specs.map((s) => s.name));
    for (const [i, spec] of specs.entries()) {
      const node = snapshot.nodes[i]!;
      expect(node.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      if (spec.down) expect(node).toMatchObject({ up: false, error: 'connection refused', cpu: null });
      else if (spec.slowMs) expect(node).toMatchObject({ up: false, error: 'timed out after 1.6 s', cpu: null });
      else {
        expect(node).toMatchObject({ up: true, error: null, source: 'node_exporter' });
        expect(node.cpu?.cores).toBe(spec.cores);
        expect(node.cpu?.usagePercent).toBeGreaterThanOrEqual(0);
        expect(node.memory?.totalBytes).toBe(spec.memoryBytes);
        expect(node.network?.receiveBytesPerSecond).toBeGreaterThanOrEqual(0);
      }
    }
    expect(specs.filter((s) => s.down || s.slowMs)).toHaveLength(2);
  });

  it('gives each node the labels discovery would: job, zone, pool and role', () => {
    const snapshot = JSON.parse(first.stdout) as Snapshot;
    for (const [i, spec] of specs.entries()) {
      expect(snapshot.nodes[i]!.labels).toEqual(spec.labels);
      expect(Object.keys(snapshot.nodes[i]!.labels).sort()).toEqual(['job', 'pool', 'role', 'zone']);
    }
    // A mixed estate: more than one cluster and zone to group and filter by.
    expect(new Set(snapshot.nodes.map((n) => n.labels.job)).size).toBeGreaterThan(1);
    expect(new Set(snapshot.nodes.map((n) => n.labels.zone)).size).toBeGreaterThan(1);
  });

  it('serves what cluster-top agent would: every node its heaviest processes, some a compose stack\'s containers', () => {
    const snapshot = JSON.parse(first.stdout) as Snapshot;
    const demo = makeDemoSpecs(8, 3);
    expect(demo.some((s) => s.containers) && demo.some((s) => !s.containers)).toBe(true);
    for (const [i, spec] of demo.entries()) {
      const node = snapshot.nodes[i]!;
      if (!node.up) continue;
      expect(node.processes?.length).toBe(spec.processes);
      expect(node.processes?.every((p) => p.pid !== null && p.command.length > 0 && p.memoryBytes !== null)).toBe(true);
      if (spec.containers) expect(node.containers?.map((c) => c.composeProject)).toEqual(Array(spec.containers).fill('shop'));
      else expect(node.containers).toBeNull();
    }
  });

  it('is the same cluster with the same seed', () => {
    expect(second.code).toBe(0);
    expect(identity(JSON.parse(second.stdout) as Snapshot)).toEqual(identity(JSON.parse(first.stdout) as Snapshot));
  });

  it('recorded, replays as the same nodes with the same figures', async () => {
    const r = await runCli(['--replay', recording, '--once', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Snapshot).nodes).toEqual((JSON.parse(first.stdout) as Snapshot).nodes);
  });
});
