/** `--demo [nodes]` and `--seed <n>`: a simulated cluster on loopback, scraped like a real one. */
import type { Command } from 'commander';
import { positiveIntArg } from '../../util/flag-args.js';
import type { ScrapeFlags } from '../node-list/flags.js';

export interface DemoFlags extends ScrapeFlags {
  readonly kind: 'demo';
  readonly nodes: number;
  /** The same seed gives the same cluster. */
  readonly seed: number;
}

/** As commander gives them: `--demo` alone is `true`. */
export interface RawDemoFlags {
  demo?: number | true;
  seed?: number;
}

export const DEMO_NODES = 24;

export function addDemoFlags(program: Command): Command {
  return program
    .option('--demo [nodes]', `watch a simulated cluster of this many nodes on loopback (default: ${DEMO_NODES})`, positiveIntArg('--demo', 2000))
    .option('--seed <n>', 'with --demo: which simulated cluster (default: 1)', positiveIntArg('--seed', 2 ** 31 - 1));
}

/** What commander cannot say of these flags, as a usage message naming the flag; undefined when they fit. */
export function demoProblem(hasTargets: boolean, raw: RawDemoFlags): string | undefined {
  if (raw.seed !== undefined && raw.demo === undefined) return '--seed needs --demo';
  if (hasTargets && raw.demo !== undefined) return '--demo watches simulated nodes: it takes no targets or --targets-file';
  return undefined;
}

export function demoFlags(raw: RawDemoFlags & { demo: number | true }, scrape: ScrapeFlags): DemoFlags {
  return { kind: 'demo', ...scrape, nodes: raw.demo === true ? DEMO_NODES : raw.demo, seed: raw.seed ?? 1 };
}
