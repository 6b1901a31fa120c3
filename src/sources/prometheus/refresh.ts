import { describeFailure, type PrometheusClient } from './client.js';
import type { RefreshResults } from './figures.js';
import { refreshQueries, type RefreshQuery } from './queries.js';
import { settleLimited } from './settle.js';

export interface RefreshOutcome {
  readonly results: RefreshResults;
  /** Query name and reason, for each query that failed. */
  readonly failures: readonly (readonly [RefreshQuery, string])[];
  readonly warnings: readonly string[];
}

/**
 * One refresh's queries, `concurrency` at a time in refreshQueries' order (the heaviest first);
 * failures are collected, not thrown. `perCore`: the CPU halves per core (see refreshQueries).
 */
export async function runRefresh(client: PrometheusClient, selector: string, window: string, concurrency: number, perCore: boolean): Promise<RefreshOutcome> {
  const queries = Object.entries(refreshQueries(selector, window, perCore)) as [RefreshQuery, string][];
  const settled = await settleLimited(
    queries.map(([, expr]) => () => client.query(expr)),
    concurrency,
  );
  const results: RefreshResults = {};
  const failures: [RefreshQuery, string][] = [];
  const warnings: string[] = [];
  settled.forEach((s, i) => {
    const name = queries[i]![0];
    if (s.status === 'fulfilled') {
      results[name] = s.value.result;
      warnings.push(...s.value.warnings);
    } else failures.push([name, describeFailure(s.reason)]);
  });
  return { results, failures, warnings };
}
