import { describe, expect, it } from 'vitest';
import { jobCadence } from '../../../src/sources/discovery/from-options.js';
import type { JobConfig } from '../../../src/sources/discovery/job-config.js';

const job = (own: Partial<Pick<JobConfig, 'intervalMs' | 'timeoutMs'>>): JobConfig => ({
  name: 'j', scheme: 'http', metricsPath: '/metrics', params: {}, staticConfigs: [], dnsConfigs: [], fileConfigs: [], ...own,
});
const run = { intervalMs: 1000, intervalGiven: false, timeoutMs: undefined, timeoutGiven: false };

describe('jobCadence (as Prometheus settles a job\'s interval and timeout)', () => {
  it('takes the job\'s interval, with its timeout or else the global one, at most the interval', () => {
    const none = (): void => undefined;
    expect(jobCadence(job({}), run, none)).toEqual({});
    expect(jobCadence(job({ intervalMs: 1000 }), run, none)).toEqual({});
    expect(jobCadence(job({ intervalMs: 30_000 }), run, none)).toEqual({ intervalMs: 30_000, timeoutMs: 10_000 });
    expect(jobCadence(job({ intervalMs: 5_000 }), run, none)).toEqual({ intervalMs: 5_000, timeoutMs: 4_000 });
    expect(jobCadence(job({ intervalMs: 30_000, timeoutMs: 20_000 }), run, none)).toEqual({ intervalMs: 30_000, timeoutMs: 20_000 });
    // The file's global timeout, when the job has none; cut to a shorter job interval.
    expect(jobCadence(job({ intervalMs: 30_000 }), { ...run, timeoutMs: 900 }, none)).toEqual({ intervalMs: 30_000, timeoutMs: 900 });
    expect(jobCadence(job({ intervalMs: 500 }), { ...run, timeoutMs: 900 }, none)).toEqual({ intervalMs: 500, timeoutMs: 500 });
    // A timeout alone, within the run's interval.
    expect(jobCadence(job({ timeoutMs: 300 }), run, none)).toEqual({ timeoutMs: 300 });
  });

  it('lets -i and --timeout from the command line win', () => {
    const none = (): void => undefined;
    expect(jobCadence(job({ intervalMs: 30_000, timeoutMs: 20_000 }), { ...run, intervalGiven: true }, none)).toEqual({});
    expect(jobCadence(job({ intervalMs: 30_000, timeoutMs: 20_000 }), { ...run, timeoutMs: 700, timeoutGiven: true }, none)).toEqual({ intervalMs: 30_000, timeoutMs: 700 });
    expect(jobCadence(job({ timeoutMs: 300 }), { ...run, timeoutMs: 700, timeoutGiven: true }, none)).toEqual({});
  });

  it('warns about a job timeout longer than the run\'s interval, and uses the run\'s', () => {
    const lines: string[] = [];
    expect(jobCadence(job({ timeoutMs: 5_000 }), run, (line) => lines.push(line))).toEqual({});
    expect(lines).toEqual(['job "j": scrape_timeout (5s) is longer than the interval (1s): the run\'s timeout is used']);
  });
});
