/**
 * Hostile recordings: every header and tick field out of its range, and lines that would cost a
 * replay far more than they hold, are damage named by their line (as a cut or garbled line is);
 * nothing crashes. And what the recorder writes is always in range, whatever the store holds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { MAX_CORES, MAX_TEXT, maxTickBytes } from '../../src/record/format.js';
import { Recorder } from '../../src/record/recorder.js';
import { Recording, RecordingError } from '../../src/record/reader.js';
import { ReplaySource } from '../../src/sources/replay/replay-source.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { runCli } from '../helpers/run-cli.js';
import { recordScenario, T0 } from './scenario.js';

const COLUMNS = ['rps', 'errors'];
let dir: string;
/** A valid recording with columns: header, three declarations, three ticks. */
let lines: string[];
let files = 0;

beforeAll(() => {
  dir = tempDir('damage-ranges');
  const path = join(dir, 'valid.rec');
  recordScenario(path, 3, { columns: COLUMNS });
  lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
});

function write(content: string | Buffer): string {
  const path = join(dir, `case-${files++}.rec`);
  writeFileSync(path, content);
  return path;
}

/** Opens a recording whose lines are `records`; where it stopped, and why. */
function stopOf(records: readonly (string | Buffer)[]): { line: number; reason: string } | undefined {
  const recording = Recording.open(write(Buffer.concat(records.map((r) => Buffer.concat([Buffer.from(r), Buffer.from('\n')])))));
  recording.close();
  return recording.stopped && { line: recording.stopped.line, reason: recording.stopped.reason };
}

/** The recording with its last tick changed by `change` (on the parsed tick); where it stops. */
function withLastTick(change: (tick: unknown[]) => void): { line: number; reason: string } | undefined {
  const tick = JSON.parse(lines.at(-1)!) as unknown[];
  change(tick);
  return stopOf([...lines.slice(0, -1), JSON.stringify(tick)]);
}

/** Sets the value at `path` (indices into the tick's first entry) to `value`. */
function setIn(entry: unknown, path: readonly number[], value: unknown): void {
  let at = entry as unknown[];
  for (const i of path.slice(0, -1)) at = at[i] as unknown[];
  at[path.at(-1)!] = value;
}

describe('a recording with fields out of range', () => {
  it('reads as it is when nothing is out of range', () => {
    expect(stopOf(lines)).toBeUndefined();
    expect(withLastTick(() => {})).toBeUndefined();
  });

  it.each([
    [1e20, 'tick time is out of range (100000000000000000000)'],
    [1e308, 'tick time is out of range (1e+308)'],
    [-1, 'tick time is out of range (-1)'],
  ])('a tick time of %s stops the recording at its line', (time, reason) => {
    expect(withLastTick((tick) => (tick[0] = time))).toEqual({ line: lines.length, reason });
  });

  // [field, path in the entry, value, reason]
  const fields: [string, number[], unknown, string][] = [
    ['node', [0], 1.5, 'node is not a whole number (1.5)'],
    ['node', [0], -1, 'node is out of range (-1)'],
    ['node', [0], 1e308, 'node is out of range (1e+308)'],
    ['error', [2], 'x'.repeat(MAX_TEXT + 1), `error is longer than ${MAX_TEXT} characters`],
    ['lastScrapeMs', [3], -1, 'lastScrapeMs is out of range (-1)'],
    ['lastScrapeMs', [3], 1e308, 'lastScrapeMs is out of range (1e+308)'],
    ['lastDurationMs', [4], -0.5, 'lastDurationMs is out of range (-0.5)'],
    ['lastDurationMs', [4], 1e308, 'lastDurationMs is out of range (1e+308)'],
    ['lastSuccessMs', [5], 1e20, 'lastSuccessMs is out of range (100000000000000000000)'],
    ['consecutiveFailures', [6], 1.5, 'consecutiveFailures is not a whole number (1.5)'],
    ['consecutiveFailures', [6], -1, 'consecutiveFailures is out of range (-1)'],
    ['consecutiveFailures', [6], 1e308, 'consecutiveFailures is out of range (1e+308)'],
    ['lastBodyBytes', [7], 0.5, 'lastBodyBytes is not a whole number (0.5)'],
    ['lastBodyBytes', [7], -1, 'lastBodyBytes is out of range (-1)'],
    ['lastWireBytes', [8], 1e308, 'lastWireBytes is out of range (1e+308)'],
    ['lastSamples', [9], 2.5, 'lastSamples is not a whole number (2.5)'],
    ['cpu.cores', [10, 0], -1, 'cpu.cores is out of range (-1)'],
    ['cpu.cores', [10, 0], MAX_CORES + 1, `cpu.cores is out of range (${MAX_CORES + 1})`],
    ['cpu.usagePercent', [10, 1], 100.5, 'cpu.usagePercent is out of range (100.5)'],
    ['cpu.usagePercent', [10, 1], -1, 'cpu.usagePercent is out of range (-1)'],
    ['a core', [10, 2, 0], 1e308, 'cpu core 0 is out of range (1e+308)'],
    ['per-core figures', [10, 2], new Array<number>(MAX_CORES + 1).fill(1), `more than ${MAX_CORES} elements at level 4`],
    ['load', [11, 0], -1, 'load[0] is out of range (-1)'],
    ['load', [11, 2], 1e308, 'load[2] is out of range (1e+308)'],
    ['memory total', [12, 0], -1, 'memory[0] is out of range (-1)'],
    ['memory used', [12, 1], 1e308, 'memory[1] is out of range (1e+308)'],
    ['memory used %', [12, 3], -1e308, 'memory[3] is out of range (-1e+308)'],
    ['swap', [13, 0], 1e308, 'swap[0] is out of range (1e+308)'],
    ['network', [14, 1], -1, 'network[1] is out of range (-1)'],
    ['disk', [15, 0], 1e308, 'disk[0] is out of range (1e+308)'],
    ['filesystem', [16, 0], -1, 'filesystem[0] is out of range (-1)'],
    ['uptime', [17], -1, 'uptimeSeconds is out of range (-1)'],
    ['uptime', [17], 1e308, 'uptimeSeconds is out of range (1e+308)'],
    ['a column value', [18, 0], 1e308, 'column rps value is out of range (1e+308)'],
    ['a column part value', [18, 1, 1, 0, 1], -1e308, 'column errors part 1 value is out of range (-1e+308)'],
    ['a column part count', [18, 1, 2], 2.5, 'column errors part count is not a whole number (2.5)'],
    ['a column part count', [18, 1, 2], -1, 'column errors part count is out of range (-1)'],
    ['column parts', [18, 1, 1], Array.from({ length: 21 }, (_, i) => [`p${i}`, i]), 'column errors has more than 20 parts'],
    ['column parts', [18, 1, 1], Array.from({ length: 29 }, (_, i) => [`p${i}`, i]), 'more than 28 elements at level 5'],
    ['a column part\'s labels', [18, 1, 1, 0, 0], 'x'.repeat(MAX_TEXT + 1), `column errors part 1 labels is longer than ${MAX_TEXT} characters`],
  ];

  it.each(fields)('%s = %j is damage, named by its line', (_field, path, value, reason) => {
    const stop = withLastTick((tick) => setIn(tick[1], path, value));
    expect(stop).toEqual({ line: lines.length, reason: reason.startsWith('more than') ? reason : `entry 1: ${reason}` });
  });

  it('a difference may be below zero (used = total - available)', () => {
    expect(withLastTick((tick) => setIn(tick[1], [12, 1], -4096))).toBeUndefined();
    expect(withLastTick((tick) => setIn(tick[1], [16, 1], -4096))).toBeUndefined();
  });

  it('a tick listing more nodes than are declared is refused before it is parsed', () => {
    expect(withLastTick((tick) => tick.push(...Array.from({ length: 5 }, () => tick[1])))).toEqual({ line: lines.length, reason: 'more than 4 elements at level 1' });
  });

  it.each([
    [{ node: 1.5 }, 'node is not a whole number (1.5)'],
    [{ node: -1 }, 'node is out of range (-1)'],
    [{ node: 1e308 }, 'node is out of range (1e+308)'],
  ])('a declaration with %j is damage', (change, reason) => {
    const declaration = { ...(JSON.parse(lines[1]!) as object), ...change };
    expect(stopOf([lines[0]!, JSON.stringify(declaration), ...lines.slice(2)])).toEqual({ line: 2, reason });
  });

  it.each([
    [{ intervalMs: 1e-6 }, 'intervalMs is not a whole number (0.000001)'],
    [{ intervalMs: 1.5 }, 'intervalMs is not a whole number (1.5)'],
    [{ intervalMs: 0 }, 'intervalMs is out of range (0)'],
    [{ intervalMs: -2000 }, 'intervalMs is out of range (-2000)'],
    [{ intervalMs: 1e308 }, 'intervalMs is out of range (1e+308)'],
    [{ intervalMs: 2 ** 31 }, `intervalMs is out of range (${2 ** 31})`],
    [{ startedAt: '1960-01-01T00:00:00.000Z' }, 'startedAt is out of range (1960-01-01T00:00:00.000Z)'],
    [{ startedAt: 'x'.repeat(100) }, 'startedAt is longer than 64 characters'],
    [{ columns: ['rps', '__proto__'] }, 'column 2 is not a column name'],
    [{ columns: ['constructor', 'errors'] }, 'column 1 is not a column name'],
    [{ columns: ['rps', '1x'] }, 'column 2 is not a column name'],
  ])('a header with %j is no recording', (change, reason) => {
    const header = { ...(JSON.parse(lines[0]!) as object), ...change };
    const path = write(`${[JSON.stringify(header), ...lines.slice(1)].join('\n')}\n`);
    expect(() => Recording.open(path)).toThrow(new RecordingError(`${path}: not a cluster-top recording (${reason})`));
  });
});

describe('lines that would cost a replay far more than they hold', () => {
  const header = `{"format":"cluster-top-recording","version":1,"startedAt":"${new Date(T0).toISOString()}","intervalMs":1000}`;
  const declaration = (node: number) => `{"node":${node},"id":"n${node}","name":"n${node}","target":"t","source":"node_exporter","labels":{}}`;

  it('a line nested deeper than a tick can be is damage named by its line, read no further than its first bytes', () => {
    const deep = Buffer.concat([Buffer.alloc(100_000, '['), Buffer.alloc(100_000, ']')]);
    expect(stopOf([header, declaration(0), deep])).toEqual({ line: 3, reason: 'nested deeper than 7 levels' });
    expect(stopOf([header, declaration(0), '[1,[[[[[[[[1]]]]]]]]]'])).toEqual({ line: 3, reason: 'nested deeper than 7 levels' });
    // Declarations hold objects one level deep.
    expect(stopOf([header, '{"node":0,"labels":{"a":{"b":1}}}'])).toEqual({ line: 2, reason: 'nested deeper than 2 levels' });
  });

  it('a line longer than a tick of the declared nodes can be is damage named by its line', () => {
    // Every array within the shape's bounds, so only its length gives it away: rows of 28 texts.
    const row = `[${Array.from({ length: 28 }, () => `"${'x'.repeat(100)}"`).join(',')}]`;
    const rows = Math.min(MAX_CORES, Math.ceil(maxTickBytes(1, 0) / row.length) + 1);
    const long = Buffer.from(`[1,[[[${Array.from({ length: rows }, () => row).join(',')}]]]]`);
    const stop = stopOf([header, declaration(0), long]);
    expect(stop?.line).toBe(3);
    expect(stop?.reason).toMatch(/^longer than \d+ bytes \(the most a tick of 1 declared node takes\)$/);
    // Before any declaration a tick can list no node: its cap is small.
    expect(stopOf([header, '[1,'.padEnd(200_000, ' ')])?.reason).toMatch(/^longer than 65536 bytes \(the most a tick of 0 declared nodes takes\)$/);
    // A declaration has a cap of its own.
    expect(stopOf([header, `{"node":0,"id":"${'x'.repeat(2 << 20)}"}`])).toEqual({ line: 2, reason: 'longer than 1048576 bytes (the most a header or node declaration takes)' });
  });

  it.each([
    ['endless arrays', `[1,${'0,'.repeat(100)}0]`, 'more than 2 elements at level 1'],
    ['a long string', `[1,"${'x'.repeat(30_000)}"]`, 'a string longer than 24578 bytes'],
    ['a long number', `[1${'0'.repeat(100)}]`, 'a value or blank longer than 64 bytes'],
    ['a run of blanks', `[1,${' '.repeat(100)}0]`, 'a value or blank longer than 64 bytes'],
    ['mismatched brackets', '[1,[0}]', 'not JSON'],
  ])('%s: damage named by its line', (_what, line, reason) => {
    expect(stopOf([header, declaration(0), line])).toEqual({ line: 3, reason });
  });

  it('--replay of such lines: one line on stderr naming file and line, the valid part shown', async () => {
    const path = write(`${[...lines, `[${T0 + 60_000},${'['.repeat(50)}`].join('\n')}\n`);
    const r = await runCli(['--replay', path, '--once', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`cluster-top: ${path}: the recording stops at line ${lines.length + 1} (byte ${lines.join('\n').length + 1}): nested deeper than 7 levels\n`);
    expect((JSON.parse(r.stdout) as { nodes: unknown[] }).nodes).toHaveLength(3);
  });

  it.each([
    [{ intervalMs: 1e-6 }, 'intervalMs is not a whole number (0.000001)'],
    [{ intervalMs: 0 }, 'intervalMs is out of range (0)'],
  ])('--replay of a header with %j: exit 2, one line naming the file', async (change, reason) => {
    const path = write(`${[JSON.stringify({ ...(JSON.parse(lines[0]!) as object), ...change }), ...lines.slice(1)].join('\n')}\n`);
    const r = await runCli(['--replay', path, '--once', '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cluster-top: ${path}: not a cluster-top recording (${reason})\n`);
  });

  it('--replay of a tick time of 1e20: the ticks before it, and one line saying where it stopped', async () => {
    const path = write(`${[...lines, '[1e20]'].join('\n')}\n`);
    const r = await runCli(['--replay', path, '--once', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/: the recording stops at line \d+ \(byte \d+\): tick time is out of range \(100000000000000000000\)\n$/);
  });

  it('a header\'s interval of 1 ms sizes no history past the ticks the file has', async () => {
    const path = write(`${[JSON.stringify({ ...(JSON.parse(lines[0]!) as object), intervalMs: 1 }), ...lines.slice(1)].join('\n')}\n`);
    const replay = ReplaySource.open({ path, speed: 1, historyMs: 24 * 3_600_000 });
    try {
      await replay.collectOnce();
      expect(replay.store.capacity).toBe(3);
      expect(replay.store.nodes()).toHaveLength(3);
    } finally {
      await replay.stop();
    }
  });
});

describe('the recorder', () => {
  it('writes only what is in range: a group out of range is left out, a long text is cut, and the file reads to its end', async () => {
    const path = join(dir, 'writer.rec');
    const store = new ClusterStore(10, ['rps']);
    const recorder = Recorder.open({ path, maxBytes: 1 << 20, store, intervalMs: 1000, now: () => T0 });
    const at = T0 + 1000;
    store.upsert({ id: 'n', name: 'n', target: 'http://n:9100/metrics' });
    store.record('n', at, {
      name: 'n',
      source: 'node_exporter',
      figures: {
        cpu: { cores: 2, usagePercent: 50, perCoreUsagePercent: [50, 150] },
        load: { load1: 1, load5: 1, load15: 1 },
        memory: { totalBytes: 1e308, usedBytes: 1, availableBytes: 1, usedPercent: 1 },
        swap: { totalBytes: 10, usedBytes: -2 },
        network: { receiveBytesPerSecond: -1, transmitBytesPerSecond: 1 },
        disk: null,
        filesystem: null,
        uptimeSeconds: -5,
      },
      health: { up: true, lastError: 'é'.repeat(MAX_TEXT + 10), lastScrapeMs: at, lastDurationMs: -3, lastSuccessMs: at, lastBodyBytes: 1.5, lastWireBytes: 10, lastSamples: 3, consecutiveFailures: 0 },
      columns: { rps: { value: 1e308 * 10, parts: Array.from({ length: 30 }, (_, i) => ({ labels: `p${i}`, value: i })), partCount: 30 } },
    });
    store.appendClusterPoint(at);
    recorder.close();

    const replay = ReplaySource.open({ path, speed: 1, historyMs: 60_000 });
    try {
      expect(replay.warning).toBeUndefined();
      await replay.collectOnce();
      const n = replay.store.get('n')!;
      expect(n.figures).toMatchObject({ cpu: null, load: { load1: 1 }, memory: null, swap: { totalBytes: 10, usedBytes: -2 }, network: null, uptimeSeconds: null });
      expect(n.health).toMatchObject({ lastError: 'é'.repeat(MAX_TEXT), lastDurationMs: null, lastBodyBytes: null, lastWireBytes: 10 });
      expect(n.columns.rps).toMatchObject({ value: null, partCount: 30 });
      expect(n.columns.rps?.parts).toHaveLength(20);
    } finally {
      await replay.stop();
    }
  });
});
