import type { Source } from '../source.js';
import type { ClusterStore } from '../../store/cluster-store.js';
import { Recorder } from '../../record/recorder.js';
import type { RecordFlags } from './flags.js';

/**
 * Any source, recorded: the recorder follows the source's store, and stops with the source.
 * Throws RecordingError (and stops the source) when the file cannot be written at all.
 */
export async function withRecording(source: Source, options: RecordFlags): Promise<Source> {
  let recorder: Recorder;
  try {
    recorder = Recorder.open({ ...options, store: source.store, intervalMs: source.interval });
  } catch (error) {
    await source.stop();
    throw error;
  }
  return new RecordingSource(source, recorder);
}

const join = (...lines: (string | undefined)[]): string | undefined => lines.filter((l) => l).join('; ') || undefined;

class RecordingSource implements Source {
  constructor(
    private readonly inner: Source,
    private readonly recorder: Recorder,
  ) {}

  get store(): ClusterStore {
    return this.inner.store;
  }

  get interval(): number {
    return this.inner.interval;
  }

  get notice(): string | undefined {
    return join(this.inner.notice, this.recorder.notice);
  }

  get warning(): string | undefined {
    return join(this.inner.warning, this.recorder.warning);
  }

  start(): void {
    this.inner.start();
  }

  collectOnce(): Promise<void> {
    return this.inner.collectOnce();
  }

  setIntervalMs(ms: number): void {
    this.inner.setIntervalMs(ms);
  }

  async stop(): Promise<void> {
    try {
      await this.inner.stop();
    } finally {
      this.recorder.close();
    }
  }
}
