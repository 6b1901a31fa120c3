import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/record/recorder.js';
import { Recording, RecordingError } from '../../src/record/reader.js';
import { ReplaySource } from '../../src/sources/replay/replay-source.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { nodeView, recordScenario, tempPath, tickTime } from './scenario.js';

const CAP = 8 * 1024;

function open(path: string): Recording {
  const r = Recording.open(path);
  r.close();
  return r;
}

describe('recording size cap', () => {
  it('at the cap, keeps the file as <file>.1 and begins a new one that stands on its own', async () => {
    const path = tempPath();
    const live = recordScenario(path, 60, { maxBytes: CAP });
    for (const p of [path, `${path}.1`]) {
      expect(statSync(p).size).toBeLessThanOrEqual(CAP);
      expect(open(p).stopped).toBeUndefined();
    }
    const older = open(`${path}.1`);
    const newer = open(path);
    expect(newer.times.at(-1)).toBe(tickTime(59));
    expect(newer.times[0]).toBe(older.times.at(-1)! + 1000); // nothing lost at the seam
    expect(newer.tickCount).toBeLessThan(60);
    // The new file declares its nodes again, before its first refresh.
    const firstRecords = readFileSync(path, 'utf8').split('\n').slice(1, 4).map((l) => JSON.parse(l) as { name?: string });
    expect(firstRecords.map((r) => r.name)).toEqual(['alpha', 'b', 'c']);

    const replay = ReplaySource.open({ path, speed: 1, historyMs: 600_000 });
    await replay.collectOnce();
    await replay.stop();
    expect(replay.store.nodes().map(nodeView)).toEqual(live.nodes().map(nodeView));
  });

  it('keeps an earlier recording at the same path as <file>.1', () => {
    const path = tempPath();
    recordScenario(path, 3);
    const first = readFileSync(path);
    recordScenario(path, 5);
    expect(readFileSync(`${path}.1`)).toEqual(first);
    expect(open(path).tickCount).toBe(5);
  });

  it('refuses to write over a file that is not a recording, and says why it cannot open', () => {
    const path = tempPath('notes.txt');
    writeFileSync(path, 'precious\n');
    const store = new ClusterStore(10);
    const attempt = (p: string) => () => Recorder.open({ path: p, maxBytes: CAP, store, intervalMs: 1000 });
    expect(attempt(path)).toThrow(new RecordingError(`--record ${path}: the file exists and is not a cluster-top recording`));
    expect(readFileSync(path, 'utf8')).toBe('precious\n');
    expect(attempt('/nonexistent/x.rec')).toThrow(new RecordingError('--record /nonexistent/x.rec: its folder does not exist'));
    expect(attempt('/dev/full')).toThrow(new RecordingError('--record /dev/full: no space left on device'));
  });
});
