/** The discovery source from the command line: --scrape-config, --dns, --dns-srv, plus any targets given. */
import { Resolver } from 'node:dns/promises';
import { dirname, resolve } from 'node:path';
import { formatDurationMs } from '../../util/duration.js';
import { buildPipeline } from '../node-list/from-options.js';
import type { SourceContext } from '../source.js';
import { defaultTimeoutMs } from '../../scrape/timeout.js';
import { parseTarget } from '../../targets/parse-target.js';
import { readTargetsFile } from '../../targets/targets-file.js';
import { readFlagFile } from '../../util/fs-error.js';
import { UsageError } from '../../util/errors.js';
import type { TargetScrape } from '../../targets/target.js';
import { ConfigError } from './config-fields.js';
import { discoveredTarget, PLAIN_TEMPLATE, type TargetTemplate } from './discovered-target.js';
import { DiscoverySource } from './discovery-source.js';
import { DnsProvider } from './dns-provider.js';
import { FileSdProvider } from './file-sd.js';
import type { JobConfig } from './job-config.js';
import { loadJobTemplate } from './job-scrape.js';
import type { DiscoveryFlags } from './flags.js';
import type { TargetProvider } from './provider.js';
import { parseScrapeConfig, type ScrapeConfig } from './scrape-config.js';

// Short, and tried twice: a refresh comes every few seconds, and a late answer is not worth a stall.
const DNS_TIMEOUT_MS = 2000;
const DNS_TRIES = 2;

/**
 * Reads the config, looks everything up once (so the first scrape has targets), and returns the
 * source. The context's `warn` gets one line per field of the config that is not supported.
 */
export async function buildDiscoverySource(options: DiscoveryFlags, context: SourceContext): Promise<DiscoverySource> {
  const warn = context.warn;
  const statics = options.targets.map((t) => parseTarget(t));
  if (options.targetsFile) statics.push(...(await readTargetsFile(options.targetsFile)));
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: DNS_TRIES });
  if (options.dnsServer !== undefined) resolver.setServers([options.dnsServer]);
  const dnsOptions = { resolver, resolveSrvTargets: options.dnsServer !== undefined };
  const providers: TargetProvider[] = [];
  const fileProviders: FileSdProvider[] = [];
  if (options.dns.length > 0) providers.push(new DnsProvider({ ...dnsOptions, queries: options.dns, template: PLAIN_TEMPLATE, refreshMs: options.dnsRefreshMs }));

  let config: ScrapeConfig | undefined;
  const path = options.scrapeConfig;
  // A ConfigError (exit status 2, like a usage error) names the file and the field.
  if (path !== undefined) {
    config = parseScrapeConfig(await readFlagFile('--scrape-config', path), path, options.jobs);
    config.warnings.forEach((line) => warn(line));
  }

  const intervalMs = options.intervalGiven ? options.intervalMs : (config?.intervalMs ?? options.intervalMs);
  let timeoutMs = options.timeoutMs;
  if (timeoutMs === undefined && config?.timeoutMs !== undefined) {
    if (config.timeoutMs <= intervalMs) timeoutMs = config.timeoutMs;
    else warn(`${path}: global.scrape_timeout (${formatDurationMs(config.timeoutMs)}) is longer than the interval (${formatDurationMs(intervalMs)}): the default timeout is used`);
  }
  if (timeoutMs !== undefined && timeoutMs > intervalMs) {
    throw new UsageError(`--timeout (${formatDurationMs(timeoutMs)}) must not be longer than the interval (${formatDurationMs(intervalMs)}, from ${path})`);
  }

  if (path !== undefined && config !== undefined) {
    const baseDir = dirname(resolve(path));
    const run = { intervalMs, intervalGiven: options.intervalGiven === true, timeoutMs, timeoutGiven: options.timeoutMs !== undefined };
    for (const job of config.jobs) {
      const cadence = jobCadence(job, run, (line) => warn(`${path}: ${line}`));
      const template = withCadence(await loadJobTemplate(job, path, baseDir), cadence);
      for (const group of job.staticConfigs) {
        group.targets.forEach((address, i) => {
          try {
            statics.push(discoveredTarget(template, address, group.labels));
          } catch (error) {
            throw new ConfigError(`${path}: ${group.path}.targets[${i}]: ${error instanceof Error ? error.message : String(error)}`);
          }
        });
      }
      for (const d of job.dnsConfigs) {
        const queries = d.names.map((name) => ({ name, type: d.type, ...(d.port === undefined ? {} : { port: d.port }) }));
        providers.push(new DnsProvider({ ...dnsOptions, queries, template, refreshMs: d.refreshMs }));
      }
      for (const f of job.fileConfigs) fileProviders.push(new FileSdProvider(f.files.map((p) => resolve(baseDir, p)), template, f.refreshMs));
    }
  }
  providers.push(...fileProviders);

  const pipeline = await buildPipeline({ ...options, intervalMs, timeoutMs }, context, []);
  const source = new DiscoverySource(pipeline, statics, providers);
  await source.refreshAll();
  // A broken file_sd file at start is a mistake to fix now; later, its last good targets stay.
  const broken = fileProviders.find((p) => p.notice !== undefined);
  if (broken?.notice !== undefined) {
    await source.stop();
    throw new UsageError(broken.notice);
  }
  return source;
}

interface RunCadence {
  readonly intervalMs: number;
  readonly intervalGiven: boolean;
  /** The run's timeout when one was set (--timeout, or the file's global one); undefined for the default. */
  readonly timeoutMs: number | undefined;
  readonly timeoutGiven: boolean;
}

/**
 * A job's own interval and timeout, settled as Prometheus settles them: a job without a timeout
 * gets the global one, at most its interval. `-i` and `--timeout` on the command line are for
 * every target, and win over the file's.
 */
export function jobCadence(job: JobConfig, run: RunCadence, warn: (line: string) => void): Pick<TargetScrape, 'intervalMs' | 'timeoutMs'> {
  const own = run.intervalGiven ? undefined : job.intervalMs;
  if (own !== undefined && own !== run.intervalMs) {
    const base = run.timeoutGiven ? run.timeoutMs : (job.timeoutMs ?? run.timeoutMs);
    return { intervalMs: own, timeoutMs: Math.min(base ?? defaultTimeoutMs(own), own) };
  }
  if (run.timeoutGiven || job.timeoutMs === undefined) return {};
  if (job.timeoutMs <= run.intervalMs) return { timeoutMs: job.timeoutMs };
  warn(`job "${job.name}": scrape_timeout (${formatDurationMs(job.timeoutMs)}) is longer than the interval (${formatDurationMs(run.intervalMs)}): the run's timeout is used`);
  return {};
}

function withCadence(template: TargetTemplate, cadence: Pick<TargetScrape, 'intervalMs' | 'timeoutMs'>): TargetTemplate {
  if (cadence.intervalMs === undefined && cadence.timeoutMs === undefined) return template;
  return { ...template, scrape: { ...template.scrape, ...cadence } };
}
