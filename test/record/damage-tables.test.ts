/**
 * A node's processes, containers and GPUs in a recording, damaged: each field outside its range or
 * shape stops the recording at its line, with the reason, and the ticks before it still play.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Recording } from '../../src/record/reader.js';
import { MAX_GPU_PROCESSES, MAX_RECORDED_PROCESSES } from '../../src/record/tables.js';
import { ReplaySource } from '../../src/sources/replay/replay-source.js';
import { tempDir } from '../helpers/temp-dir.js';
import { STEP_MS } from './scenario.js';
import { gpuFigures, recordTablesScenario } from './tables-scenario.js';

let dir: string;
/** Header, a declaration, three ticks; the node's tables are elements 18, 19 and 20 of its entry. */
let lines: string[];
let files = 0;

beforeAll(() => {
  dir = tempDir('damage-tables');
  const path = join(dir, 'valid.rec');
  recordTablesScenario(path, 3);
  lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
});

function stopOf(records: readonly string[]): { line: number; reason: string } | undefined {
  const path = join(dir, `case-${files++}.rec`);
  writeFileSync(path, `${records.join('\n')}\n`);
  const recording = Recording.open(path);
  recording.close();
  return recording.stopped && { line: recording.stopped.line, reason: recording.stopped.reason };
}

/** The recording with the value at `path` in the second tick's entry set to `value`. */
function withDamage(path: readonly number[], value: unknown): { line: number; reason: string } | undefined {
  const tick = JSON.parse(lines[3]!) as unknown[];
  let at = tick[1] as unknown[];
  for (const i of path.slice(0, -1)) at = at[i] as unknown[];
  at[path.at(-1)!] = value;
  return stopOf([...lines.slice(0, 3), JSON.stringify(tick), lines[4]!]);
}

describe('damaged processes, containers and GPUs in a recording', () => {
  it('reads as written, each entry with its three tables', () => {
    expect(stopOf(lines)).toBeUndefined();
    expect(lines.slice(2).map((l) => (JSON.parse(l) as unknown[][])[1]!.length)).toEqual([21, 21, 21]);
  });

  const P = 18;
  const C = 19;
  const G = 20;
  const tooMany = (n: number, item: unknown) => Array.from({ length: n }, () => item);
  // [what, path in the entry, value, reason]
  it.each([
    ['the process source', [P, 0], 'ps', 'unknown process source "ps"'],
    ['the process total', [P, 1], -1, 'processes total is out of range (-1)'],
    ['a pid', [P, 2, 0, 0], 1.5, 'process 1 pid is not a whole number (1.5)'],
    ['a process CPU', [P, 2, 1, 6], -3, 'process 2 cpuPercent is out of range (-3)'],
    ['a process memory', [P, 2, 0, 7], 1e308, 'process 1 memoryBytes is out of range (1e+308)'],
    ['a command', [P, 2, 0, 3], 'x'.repeat(129), 'process 1 command is longer than 128 characters'],
    ['a command line', [P, 2, 0, 4], 'x'.repeat(1025), 'process 1 args is longer than 1024 characters'],
    ['a group count', [P, 3, 0, 10], 0.5, 'process group 1 count is not a whole number (0.5)'],
    ['a process row', [P, 2, 0], [1, 2, 3], 'process 1 is not an array of 11'],
    ['the processes', [P, 2], tooMany(MAX_RECORDED_PROCESSES + 1, null), `processes has more than ${MAX_RECORDED_PROCESSES} elements`],
    ['the containers omitted', [C, 0], -1, 'containers omitted is out of range (-1)'],
    ['a container CPU', [C, 2, 0, 5], 1e308, 'container 1 cpuPercent is out of range (1e+308)'],
    ['a container start', [C, 2, 0, 12], 1e20, 'container 1 startedAtMs is out of range (100000000000000000000)'],
    ['a container name', [C, 2, 0, 1], null, 'container 1 name is not a string'],
    ['a container restart count', [C, 2, 0, 13], 2.5, 'container 1 restarts is out of range (2.5)'],
    ['how restarts were counted', [C, 2, 0, 14], 'guessed', 'container 1 restartsCounted is not "total", "seen" or null'],
    ['a container of 14', [C, 2, 0], tooMany(14, null), 'container 1 is not an array of 15'],
    ['the containers', [C, 2], tooMany(101, null), 'containers has more than 100 elements'],
    ['the GPU time', [G, 0], -5, 'gpus time is out of range (-5)'],
    ['the GPU time', [G, 0], null, 'gpus time is null with GPUs listed'],
    ['a GPU utilisation', [G, 2, 0, 8], 101, 'gpu 1 utilizationPercent is out of range (101)'],
    ['a GPU temperature', [G, 2, 0, 12], -1e308, 'gpu 1 temperatureCelsius is out of range (-1e+308)'],
    ['a GPU vendor', [G, 2, 0, 4], 'intel', 'gpu 1 vendor is not nvidia or amd'],
    ['a GPU row-remap failure', [G, 2, 0, 25], 2, 'gpu 1 rowRemapFailure is not 0, 1 or null'],
    ['a GPU pod', [G, 2, 0, 26], ['ml'], 'gpu 1 pod is not an array of 3'],
    ['a GPU process', [G, 2, 0, 27, 0, 0], -1, 'gpu 1 process 1 pid is out of range (-1)'],
    ['the GPU processes', [G, 2, 0, 27], tooMany(MAX_GPU_PROCESSES + 1, null), `more than ${MAX_GPU_PROCESSES} elements at level 6`],
    ['a GPU', [G, 2, 0], [1, 2], 'gpu 1 is not an array of 28'],
    ['the GPUs', [G, 2], tooMany(65, null), 'gpus has more than 64 elements'],
  ] as [string, number[], unknown, string][])('%s damaged: %j stops at its line', (_what, path, value, reason) => {
    const stop = withDamage(path, value);
    expect(stop).toEqual({ line: 4, reason: reason.startsWith('more than') ? reason : `entry 1: ${reason}` });
  });

  it('a GPU listed twice stops at its line', () => {
    const tick = JSON.parse(lines[3]!) as unknown[][][][];
    const gpus = tick[1]![G]![2] as unknown[];
    gpus.push(gpus[0]);
    expect(stopOf([...lines.slice(0, 3), JSON.stringify(tick), lines[4]!])).toEqual({ line: 4, reason: 'entry 1: gpus lists a GPU twice' });
  });

  it('a replay of it plays the ticks before the damage and says where it stops', async () => {
    const tick = JSON.parse(lines[4]!) as unknown[][][];
    tick[1]![G]![0] = 'soon';
    const path = join(dir, 'replayed.rec');
    writeFileSync(path, `${[...lines.slice(0, 4), JSON.stringify(tick)].join('\n')}\n`);
    const replay = ReplaySource.open({ path, speed: 1, historyMs: 10 * STEP_MS });
    try {
      await replay.collectOnce();
      expect(replay.warning).toBe(`${path}: the recording stops at line 5 (byte ${lines.slice(0, 4).join('\n').length + 1}): entry 1: gpus time is not a number`);
      const [node] = replay.store.nodes();
      expect(node!.gpus!.gpus[0]!.figures).toEqual(gpuFigures(1));
      expect(node!.gpus!.gpus[0]!.history.length).toBe(2);
      expect(node!.processes!.processes.map((p) => p.pid)).toEqual([11, 20]);
      expect(node!.containers!.unnamed).toBe(37);
    } finally {
      await replay.stop();
    }
  });
});
