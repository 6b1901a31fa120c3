import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot, type Snapshot } from '../../../src/cli/snapshot.js';
import { runCli } from '../../helpers/run-cli.js';
import { liveStoreAt, recordScenario, tempPath, T0, tickTime } from '../../record/scenario.js';

const TICKS = 150;
let path: string;

beforeAll(() => {
  path = tempPath();
  recordScenario(path, TICKS);
});

const expectedNodes = (k: number) => buildSnapshot(liveStoreAt(k), 0).nodes;

describe('--replay on the command line', () => {
  it.each(['+30s', new Date(T0 + 30_000).toISOString()])('--once -o json --at %s prints the snapshot of that moment', async (at) => {
    const r = await runCli(['--replay', path, '--once', '-o', 'json', '--at', at]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    expect(snapshot.collectedAt).toBe(new Date(T0 + 30_000).toISOString());
    expect(snapshot.nodes).toEqual(expectedNodes(29));
  });

  it('without --at, prints the end of the recording', async () => {
    const r = await runCli(['--replay', path, '--once', '-o', 'json']);
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    expect(snapshot.collectedAt).toBe(new Date(tickTime(TICKS - 1)).toISOString());
    expect(snapshot.nodes).toEqual(expectedNodes(TICKS - 1));
  });

  it('a recording made with --column gives the columns\' values in the snapshot', async () => {
    const columns = ['rps', 'errors'];
    const withColumns = tempPath();
    recordScenario(withColumns, 10, { columns });
    const r = await runCli(['--replay', withColumns, '--once', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    expect(snapshot.nodes).toEqual(buildSnapshot(liveStoreAt(9, 600, columns), 0).nodes);
    expect(snapshot.nodes.map((n) => n.columns)).toEqual([
      { rps: 95.5, errors: 12.25 },
      { rps: 86, errors: 11.25 },
      { rps: 97.5, errors: 12.25 },
      // d has no readings: its source gave none.
      { rps: null, errors: null },
    ]);
  });

  it('a cut-off recording: the snapshot of what is whole, and one stderr line saying where it stopped', async () => {
    const bytes = readFileSync(path);
    const cutPath = tempPath('cut.rec');
    writeFileSync(cutPath, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = await runCli(['--replay', cutPath, '--once', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^cluster-top: ${cutPath}: the recording stops at line \\d+ \\(byte \\d+\\): cut off\\n$`));
    expect((JSON.parse(r.stdout) as Snapshot).nodes.map((n) => n.name)).toEqual(['alpha', 'b', 'c']);
  });

  it('a file that is not a recording: exit 2, one line naming it', async () => {
    const notes = tempPath('notes.txt');
    writeFileSync(notes, 'hello\n');
    const r = await runCli(['--replay', notes, '--once']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cluster-top: ${notes}: not a cluster-top recording (no recording header)\n`);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['node1', '--demo'], '--demo watches simulated nodes: it takes no targets or --targets-file'],
    [['--demo', '0'], '--demo takes a whole number from 1 to 2000, not "0"'],
    [['--seed', '3', 'node1'], '--seed needs --demo'],
    [['--replay', 'x.rec', 'node1'], '--replay plays a recording: it takes no targets or --targets-file'],
    [['--replay', 'x.rec', '--demo'], "option '--demo [nodes]' cannot be used with option '--replay <file>'"],
    [['--replay', 'x.rec', '--record', 'y.rec'], "option '--replay <file>' cannot be used with option '--record <file>'"],
    [['--at', '+5m', 'node1'], '--at needs --replay'],
    [['--speed', '10', 'node1'], '--speed needs --replay'],
    [['--record-max-size', '1MiB', 'node1'], '--record-max-size needs --record'],
    [['--record-without', 'processes', 'node1'], '--record-without needs --record'],
    [['--record', 'y.rec', '--record-without', 'processes,pods', 'node1'], '--record-without takes processes, containers, gpus (comma-separated), not "pods"'],
    [['--replay', 'x.rec', '--speed', '0'], '--speed takes a number above 0 and at most 1000, such as 10, not "0"'],
    [['--replay', 'x.rec', '--at', 'yesterday'], '--at takes an ISO time or an offset such as +5m, not "yesterday"'],
    [['--record', 'y.rec', '--record-max-size', '10KiB', 'node1'], '--record-max-size takes a size of at least 64KiB such as 100MiB, not "10KiB"'],
    [['--replay', '/nonexistent/x.rec'], '/nonexistent/x.rec: no such file'],
  ])('%j is a usage error: exit 2, one line', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith('cluster-top: ')).toBe(true);
    expect(r.stderr.endsWith(`${message}\n`)).toBe(true); // commander may name the option first
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('an --at outside the recording is a usage error naming its span', async () => {
    const r = await runCli(['--replay', path, '--once', '--at', '+1h']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cluster-top: --at +1h: ${path} covers 2026-11-21T05:00:00.000Z (+0s) to 2026-11-21T05:02:30.000Z (+2m30s)\n`);
  });
});
