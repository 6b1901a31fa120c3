import { historyPoints, type SourceContext } from '../source.js';
import type { LocalFlags } from './flags.js';
import { LocalSource } from './local-source.js';

/** This machine, read every interval, keeping --history of it. */
export function buildLocalSource(flags: LocalFlags, context: Pick<SourceContext, 'historyMs'>): LocalSource {
  return new LocalSource({ intervalMs: flags.intervalMs, historyPoints: historyPoints(context.historyMs, flags.intervalMs) });
}
