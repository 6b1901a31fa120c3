import type { SourceContext } from '../source.js';
import type { ReplayFlags } from './flags.js';
import { ReplaySource } from './replay-source.js';

/** `--replay`: the recording opened (a file that is not one throws RecordingError), keeping --history of it in view. */
export function buildReplaySource(flags: ReplayFlags, context: Pick<SourceContext, 'historyMs'>): ReplaySource {
  return ReplaySource.open({ path: flags.path, speed: flags.speed, at: flags.at, historyMs: context.historyMs });
}
