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

/** What runRefresh shows before the slowest queries are in. */
export interface Preview<K extends string> {
  /** The queries not waited for. */
  readonly without: readonly K[];
  /** Called once, with every other query settled, if any of `without` is still out then. */
  show(outcome: RefreshOutcome<K>): void;
}

/**
 * One refresh's queries, `concurrency` at a time in the record's order (the heaviest first);
 * failures are collected, not thrown.
 */
export async function runRefresh<K extends string>(client: PrometheusClient, queries: Readonly<Partial<Record<K, string>>>, concurrency: number, preview?: Preview<K>): Promise<RefreshOutcome<K>> {
  const entries = Object.entries(queries) as [K, string][];
  const outcome = { results: {} as Partial<Record<K, readonly InstantSample[]>>, failures: [] as [K, string][], warnings: [] as [K, string][] };
  let awaited = entries.filter(([name]) => preview?.without.includes(name) !== true).length;
  let slow = entries.length - awaited;
  await settleLimited(
    entries.map(([name, expr]) => async () => {
      try {
        const answer = await client.query(expr);
        outcome.results[name] = answer.result;
        for (const w of answer.warnings) outcome.warnings.push([name, w]);
      } catch (error) {
        outcome.failures.push([name, describeFailure(error)]);
      }
      if (preview?.without.includes(name) === true) slow--;
      else if (--awaited === 0 && slow > 0) preview?.show({ results: { ...outcome.results }, failures: [...outcome.failures], warnings: [...outcome.warnings] });
    }),
    concurrency,
  );
  // In the queries' order, not the answers': notices read the same whichever came first.
  const order = new Map(entries.map(([name], i) => [name, i]));
  const byQuery = (a: readonly [K, string], b: readonly [K, string]): number => order.get(a[0])! - order.get(b[0])!;
  outcome.failures.sort(byQuery);
  outcome.warnings.sort(byQuery);
  return outcome;
}
