import * as fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { Recorder } from '../../src/record/recorder.js';
import { Recording } from '../../src/record/reader.js';
import { ClusterStore } from '../../src/store/cluster-store.js';
import { refresh, tempPath, tickTime } from './scenario.js';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, writeSync: vi.fn(real.writeSync) };
});

const realWrite = (await vi.importActual<typeof import('node:fs')>('node:fs')).writeSync;
const noSpace = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('a recording that cannot be written for a while', () => {
  it('says so, loses only those refreshes, and leaves a file that reads to the end', () => {
    const path = tempPath();
    const store = new ClusterStore(10);
    const recorder = Recorder.open({ path, maxBytes: 1 << 30, store, intervalMs: 1000 });
    refresh(store, 0);
    expect(recorder.notice).toBeUndefined();

    vi.mocked(fs.writeSync).mockImplementationOnce(() => {
      throw noSpace();
    });
    refresh(store, 1);
    expect(recorder.notice).toBe(`recording failed: ${path}: no space left on device`);

    // Half a batch reaches the disk before the disk fills: it is cut off again.
    // The recorder always writes a Buffer at an offset: the one overload to stand in for.
    const halfWrite = (fd: number, buf: Buffer, offset: number, length: number, position: number): number => {
      realWrite(fd, buf, offset, Math.floor(length / 2), position);
      throw noSpace();
    };
    vi.mocked(fs.writeSync).mockImplementationOnce(halfWrite as unknown as typeof fs.writeSync);
    refresh(store, 2);
    const recording = Recording.open(path);
    recording.close();
    expect(recording.stopped).toBeUndefined();

    refresh(store, 3);
    expect(recorder.notice).toBeUndefined();
    expect(recorder.warning).toBe(`--record ${path}: 2 refreshes not recorded (recording again since)`);
    recorder.close();

    const after = Recording.open(path);
    after.close();
    expect(after.stopped).toBeUndefined();
    expect(after.times).toEqual([tickTime(0), tickTime(3)]);
  });
});
