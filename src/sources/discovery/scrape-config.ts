/**
 * `--scrape-config prometheus.yml`: the global intervals and the scrape jobs. Whatever the file holds
 * that cluster-top does not honour comes back as one warning line per field, naming the job.
 */
import { ConfigError, Fields, parseYaml } from './config-fields.js';
import { readJob, type JobConfig } from './job-config.js';

export interface ScrapeConfig {
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly jobs: readonly JobConfig[];
  /** One line per field not supported, `prometheus.yml: <path> (job "x"): …`. */
  readonly warnings: readonly string[];
}

/**
 * Parses the file's text; `pick` (from --job) keeps those jobs only, and only their fields are
 * warned about. A wrong type or value anywhere is a ConfigError: Prometheus would refuse it too.
 */
export function parseScrapeConfig(text: string, origin: string, pick: readonly string[] = []): ScrapeConfig {
  const top = Fields.of(origin, '', parseYaml(text, origin));
  const warnings: string[] = [];
  const warn = (line: string): void => void warnings.push(`${origin}: ${line}`);
  const global = top.mapping('global');
  const intervalMs = global?.duration('scrape_interval');
  const timeoutMs = global?.duration('scrape_timeout');
  const jobFields = top.mappings('scrape_configs');
  const names = jobFields.map((job, i) => {
    const name = job.string('job_name');
    if (name === undefined || name === '') job.fail('job_name', 'expected the job\'s name');
    if (jobFields.slice(0, i).some((other) => other.string('job_name') === name)) job.fail('job_name', `"${name}" is already the name of another job`);
    return name;
  });
  for (const wanted of pick) {
    if (!names.includes(wanted)) throw new ConfigError(`--job ${wanted}: ${origin} has no such job (jobs: ${names.join(', ') || 'none'})`);
  }
  const jobs: JobConfig[] = [];
  jobFields.forEach((job, i) => {
    const name = names[i] ?? '';
    // Every job is read, so a mistake in one not picked is still caught; only picked ones warn.
    const jobWarnings: string[] = [];
    const config = readJob(job, name, (line) => void jobWarnings.push(line));
    if (pick.length > 0 && !pick.includes(name)) return;
    jobs.push(config);
    for (const line of jobWarnings) warn(line);
    for (const path of job.unknownKeys()) warn(`${path} (job "${name}"): not supported, ignored`);
  });
  for (const path of [...(global?.unknownKeys() ?? []), ...top.unknownKeys(false)]) {
    warn(`${path}: not supported, ignored`);
  }
  return {
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    jobs,
    warnings,
  };
}
