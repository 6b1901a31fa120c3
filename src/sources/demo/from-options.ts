import { buildPipeline } from '../node-list/from-options.js';
import type { Source, SourceContext } from '../source.js';
import type { DemoFlags } from './flags.js';
import { startDemo } from './demo-source.js';

/** `--demo`: the simulated cluster, started, and the scrape pipeline over it as the flags say. */
export function buildDemoSource(flags: DemoFlags, context: SourceContext): Promise<Source> {
  return startDemo(flags, (targets) => buildPipeline(flags, context, targets));
}
