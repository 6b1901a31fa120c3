import type { Source } from '../source.js';
import { ForwardingSource } from '../forwarding-source.js';
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

class RecordingSource extends ForwardingSource {
  constructor(
    inner: Source,
    private readonly recorder: Recorder,
  ) {
    super(inner);
  }

  override get notice(): string | undefined {
    return join(this.inner.notice, this.recorder.notice);
  }

  override get warning(): string | undefined {
    return join(this.inner.warning, this.recorder.warning);
  }

  override async stop(): Promise<void> {
    try {
      await super.stop();
    } finally {
      this.recorder.close();
    }
  }
}
