/**
 * The figures of a --prometheus source that stay put between reboots (names, core counts, memory,
 * swap and disk sizes, boot times): a quarter of a refresh's samples if asked every time. They are
 * asked on the first refresh, with the next one after a node appears or comes back up (a reboot
 * changes its boot time) or after one of their answers failed or came back incomplete, and
 * otherwise once a minute, or every sixth refresh when refreshes are ten seconds apart or more; in
 * between, their last answers serve, indexed once.
 */
import type { InstantSample } from './decode.js';
import { StaticIndex, type StaticResults } from './figures.js';
import { staticQueries, type RefreshQuery, type StaticQuery } from './queries.js';

export const STATIC_EVERY_MS = 60_000;
const STATIC_EVERY_REFRESHES = 6;
export const STATIC_NAMES: readonly RefreshQuery[] = Object.keys(staticQueries('')) as StaticQuery[];

export class StaticFigures {
  private results: StaticResults = {};
  private warnings: Partial<Record<StaticQuery, readonly string[]>> = {};
  private atMs: number | undefined;
  private due = false;
  /** The answers in use, indexed. */
  index = new StaticIndex({});

  /** Whether the refresh starting at `at` asks the static queries, refreshes being `intervalMs` apart. */
  wanted(at: number, intervalMs: number): boolean {
    return this.due || this.atMs === undefined || at - this.atMs >= Math.max(STATIC_EVERY_MS, STATIC_EVERY_REFRESHES * intervalMs);
  }

  /** Asks them with the next refresh: a node appeared, or came back up. */
  askSoon(): void {
    this.due = true;
  }

  /** The last node_uname_info answer; undefined until one came. */
  get uname(): readonly InstantSample[] | undefined {
    return this.results.uname;
  }

  /** The warnings of the answers in use: a partial one is said so for as long as it serves. */
  get inUseWarnings(): string[] {
    return Object.values(this.warnings).flat();
  }

  /**
   * Takes a refresh's static answers, each in place of the last one that came. A failed query
   * keeps its last answer; it and one that came with warnings are asked again next refresh.
   */
  keep(results: Partial<Record<RefreshQuery, readonly InstantSample[]>>, warnings: readonly (readonly [RefreshQuery, string])[], at: number): void {
    const kept: StaticResults = { ...this.results };
    const keptWarnings = { ...this.warnings };
    let again = false;
    for (const name of STATIC_NAMES as readonly StaticQuery[]) {
      const answer = results[name];
      if (answer === undefined) {
        again = true;
        continue;
      }
      kept[name] = answer;
      keptWarnings[name] = warnings.filter(([of]) => of === name).map(([, w]) => w);
      if (keptWarnings[name].length > 0) again = true;
    }
    this.results = kept;
    this.warnings = keptWarnings;
    this.index = new StaticIndex(kept);
    this.atMs = at;
    this.due = again;
  }
}
