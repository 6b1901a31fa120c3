import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import { it, tempDir } from '../helpers/temp-dir.js';
import { Recording, RecordingError } from '../../src/record/reader.js';
import { ReplaySource } from '../../src/sources/replay/replay-source.js';
import { Rng } from '../../src/simulator/random.js';
import { liveStoreAt, nodeView, recordScenario, tempPath } from './scenario.js';

const TICKS = 30;
let bytes: Buffer;
/** Byte offset just after each line's "\n". */
let ends: number[];
let isTick: boolean[];

beforeAll(() => {
  const path = tempPath();
  recordScenario(path, TICKS);
  bytes = readFileSync(path);
  ends = [];
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) ends.push(i + 1);
  isTick = ends.map((_end, i) => bytes[i === 0 ? 0 : ends[i - 1]!] === 0x5b); // '['
});

/** `content` as cut.rec in a folder of its own, removed when the test is over. */
function writeTemp(content: Buffer | string): string {
  const path = join(tempDir('damage'), 'cut.rec');
  writeFileSync(path, content);
  return path;
}

describe('a damaged recording', () => {
  it('cut at any byte: replays every whole record before the cut and says where it stopped', async () => {
    const rng = new Rng(42);
    const cuts = [...Array.from({ length: 60 }, () => rng.int(ends[0]!, bytes.length)), ends[0]!, ends[5]!, ends[5]! - 1, bytes.length - 1];
    for (const cut of cuts) {
      const path = writeTemp(bytes.subarray(0, cut));
      const whole = ends.filter((e) => e <= cut).length;
      const ticks = isTick.slice(0, whole).filter(Boolean).length;
      const recording = Recording.open(path);
      recording.close();
      expect(recording.tickCount, `cut at ${cut}`).toBe(ticks);
      expect(recording.stopped, `cut at ${cut}`).toEqual(cut === ends[whole - 1] ? undefined : { line: whole + 1, byte: ends[whole - 1], reason: 'cut off' });

      if (ticks === 0) continue;
      const replay = ReplaySource.open({ path, speed: 1, historyMs: 600_000 });
      await replay.collectOnce();
      await replay.stop();
      expect(replay.store.nodes().map(nodeView)).toEqual(liveStoreAt(ticks - 1).nodes().map(nodeView));
      if (recording.stopped) expect(replay.warning).toBe(`${path}: the recording stops at line ${whole + 1} (byte ${ends[whole - 1]}): cut off`);
    }
  });

  it('cut inside the header is no recording at all', () => {
    for (const cut of [0, 1, 20, ends[0]! - 1]) {
      expect(() => Recording.open(writeTemp(bytes.subarray(0, cut)))).toThrow(/cut\.rec: not a cluster-top recording \(no complete first line\)$/);
    }
  });

  it('stops at a corrupt record in the middle, naming its line and byte', () => {
    const line = isTick.indexOf(true, 12); // a tick somewhere in the middle
    const start = ends[line - 1]!;
    const garbled = Buffer.from(bytes);
    garbled[start + 20] = 0x7d; // '}' where a number was
    const r1 = Recording.open(writeTemp(garbled));
    r1.close();
    expect(r1.stopped).toEqual({ line: line + 1, byte: start, reason: 'not JSON' });
    expect(r1.tickCount).toBe(isTick.slice(0, line).filter(Boolean).length);

    const reshaped = Buffer.concat([bytes.subarray(0, start), Buffer.from('[1,[0,1]]\n'), bytes.subarray(ends[line])]);
    const r2 = Recording.open(writeTemp(reshaped));
    r2.close();
    expect(r2.stopped).toEqual({ line: line + 1, byte: start, reason: 'entry 1: entry is not an array of 18 or 21' });
  });

  it.each([
    ['empty', '', '(no complete first line)'],
    ['text', 'hello\nworld\n', '(no recording header)'],
    ['other JSON', '{"a":1}\n', '(no recording header)'],
    ['a later version', '{"format":"cluster-top-recording","version":2}\n', '(recording format version 2, this program reads 1)'],
  ])('%s is not a recording', (_name, content, reason) => {
    const path = writeTemp(content);
    expect(() => Recording.open(path)).toThrow(new RecordingError(`${path}: not a cluster-top recording ${reason}`));
  });

  it('a missing file or a directory says so', ({ tmp }) => {
    expect(() => Recording.open('/nonexistent/x.rec')).toThrow(new RecordingError('/nonexistent/x.rec: no such file'));
    expect(() => Recording.open(tmp)).toThrow(new RecordingError(`${tmp}: is a directory`));
  });
});
