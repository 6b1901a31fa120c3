import { describeFailure, type PrometheusClient } from './client.js';
import { settleLimited } from './settle.js';
import type { InstantSample } from './decode.js';

export interface RefreshOutcome<K extends string> {
  /** Results by query name; a query that failed is absent. */
  readonly results: Partial<Record<K, readonly InstantSample[]>>;
  /** Query name and reason, for each query that failed. */
  readonly failures: readonly (readonly [K, string])[];
  /** Query name and warning, for each warning an answer carried (see decode.ts). */
  readonly warnings: readonly (readonly [K, string])[];
}

/**
 * One refresh's queries, `concurrency` at a time in the record's order (the heaviest first);
 * failures are collected, not thrown.
 */
export async function runRefresh<K extends string>(client: PrometheusClient, queries: Readonly<Partial<Record<K, string>>>, concurrency: number): Promise<RefreshOutcome<K>> {
  const entries = Object.entries(queries) as [K, string][];
  const settled = await settleLimited(
    entries.map(([, expr]) => () => client.query(expr)),
    concurrency,
  );
  const results: Partial<Record<K, readonly InstantSample[]>> = {};
  const failures: [K, string][] = [];
  const warnings: [K, string][] = [];
  settled.forEach((s, i) => {
    const name = entries[i]![0];
    if (s.status === 'fulfilled') {
      results[name] = s.value.result;
      for (const w of s.value.warnings) warnings.push([name, w]);
    } else failures.push([name, describeFailure(s.reason)]);
  });
  return { results, failures, warnings };
}
