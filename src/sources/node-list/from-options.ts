/** The scrape pipeline from the command line: for targets given by hand, and under discovery and the demo. */
import { effectiveTimeoutMs } from '../../scrape/timeout.js';
import { parseTarget } from '../../targets/parse-target.js';
import type { Target } from '../../targets/target.js';
import { readTargetsFile, uniqueTargets } from '../../targets/targets-file.js';
import { readFlagFile } from '../../util/fs-error.js';
import { UsageError } from '../../util/errors.js';
import { historyPoints, type SourceContext } from '../source.js';
import type { NodeListFlags, ScrapeFlags } from './flags.js';
import { Pipeline } from './pipeline.js';

/** The targets of the command line and --targets-file, scraped (with `--gpu-port`, each host's GPU exporter too). */
export async function buildNodeListSource(flags: NodeListFlags, context: SourceContext): Promise<Pipeline> {
  return buildPipeline(flags, context, await collectTargets(flags, context.warn));
}

/** A pipeline over these targets, connecting as the flags say; a file that cannot be read is a usage error. */
export async function buildPipeline(flags: ScrapeFlags, context: SourceContext, targets: Target[]): Promise<Pipeline> {
  const ca = flags.caFile ? await readFlagFile('--ca-file', flags.caFile) : undefined;
  const token = flags.bearerTokenFile ? (await readFlagFile('--bearer-token-file', flags.bearerTokenFile)).trim() : undefined;
  if (token === '') throw new UsageError(`--bearer-token-file ${flags.bearerTokenFile}: the file is empty`);
  return new Pipeline({
    targets,
    intervalMs: flags.intervalMs,
    concurrency: flags.concurrency,
    historyPoints: historyPoints(context.historyMs, flags.intervalMs),
    columns: context.columns,
    cadvisorPort: flags.cadvisorPort,
    gpuPort: flags.gpuPort,
    scraper: {
      timeoutMs: effectiveTimeoutMs(flags),
      maxBodyBytes: flags.maxBodyBytes,
      tls: { insecure: flags.insecure, ca },
      bearerToken: token === undefined ? undefined : () => token,
    },
  });
}

async function collectTargets(flags: NodeListFlags, warn: (line: string) => void): Promise<Target[]> {
  const targets = flags.targets.map((t) => parseTarget(t));
  if (flags.targetsFile) targets.push(...(await readTargetsFile(flags.targetsFile)));
  if (targets.length === 0) {
    throw new UsageError(`no targets in ${flags.targetsFile}: write one host, host:port or URL per line`);
  }
  return uniqueTargets(targets, warn);
}
