/**
 * Asking a node_exporter for only the collectors the node view reads. node_exporter runs just the
 * collectors a scrape names in `collect[]` (since 0.16): the payload is about half the size (57.7
 * KB -> 30.5 KB for node_exporter 1.5 here), so inflating and parsing it costs half, and every
 * node runs 9 of its 40-odd collectors each interval instead of all of them.
 *
 * Nothing is taken on trust. The first payload is the full one: its node_scrape_collector_success
 * samples say which collectors the exporter has, and its families what the node view gets from
 * it. The first narrowed payload must hold every one of those families, or narrowing stops. A
 * narrowed request refused (400: a collector gone since) stops it too. Stopped is for good: the
 * target is scraped in full from then on, as without narrowing.
 */
import type { Sample } from '../exposition/types.js';
import { NODE_EXPORTER_FAMILIES } from './node-exporter.js';
import { CONTAINER_FAMILIES } from './cadvisor.js';
import { PROCESS_FAMILY_FILTER } from './process-figures.js';
import { DCGM_FAMILIES } from './gpu.js';

/**
 * The collectors of the node view's families: boottime writes node_boot_time_seconds where stat
 * does not (BSD, macOS). Only those the exporter has are asked for.
 */
export const NODE_VIEW_COLLECTORS: readonly string[] = ['cpu', 'loadavg', 'meminfo', 'netdev', 'diskstats', 'filesystem', 'stat', 'boottime', 'time', 'uname'];

/** node_exporter's list of its collectors, one sample each. */
export const COLLECTOR_SUCCESS = 'node_scrape_collector_success';

/**
 * The parser filter while learning: the node families, the collector list, the agent's container
 * and process families (it has no collectors), and the GPU families: a narrowed payload that loses
 * them (they are no collector's) is no use.
 */
export const LEARNING_FAMILIES: ReadonlySet<string> = new Set([...NODE_EXPORTER_FAMILIES, ...CONTAINER_FAMILIES, ...PROCESS_FAMILY_FILTER, ...DCGM_FAMILIES, COLLECTOR_SUCCESS]);

type State = 'learning' | 'checking' | 'narrowed' | 'off';

export class CollectorNarrowing {
  private state: State = 'learning';
  private path: string | undefined;
  /** Sample names of the full payload, which the first narrowed one must all have. */
  private expected: ReadonlySet<string> = new Set();

  /** `basePath`: the target URL's path; it must have no query of its own. */
  constructor(private readonly basePath: string) {}

  /** The next full payload teaches the collectors: parse it with LEARNING_FAMILIES. */
  get learning(): boolean {
    return this.state === 'learning';
  }

  /** The path and query to ask for; undefined: the target URL's own. */
  get requestPath(): string | undefined {
    return this.state === 'checking' || this.state === 'narrowed' ? this.path : undefined;
  }

  /**
   * A payload parsed with the node filter arrived, asked for with `requestPath` (undefined: the
   * full one). false: it must not be used, being narrowed and short of a family the full one had.
   */
  observe(samples: readonly Sample[], requestPath: string | undefined): boolean {
    if (requestPath === undefined) {
      if (this.state === 'learning') this.learn(samples);
      return true;
    }
    if (this.state !== 'checking') return true;
    const names = new Set(samples.map((s) => s.name));
    for (const name of this.expected) {
      if (!names.has(name)) {
        this.stop();
        return false;
      }
    }
    this.state = 'narrowed';
    this.expected = new Set();
    return true;
  }

  /** The exporter refused a narrowed request. */
  refused(): void {
    this.stop();
  }

  private learn(samples: readonly Sample[]): void {
    const collectors = new Set<string>();
    const names = new Set<string>();
    for (const s of samples) {
      if (s.name !== COLLECTOR_SUCCESS) names.add(s.name);
      else if (s.labels.collector) collectors.add(s.labels.collector);
    }
    const wanted = NODE_VIEW_COLLECTORS.filter((c) => collectors.has(c));
    // No collector list: no node_exporter. All of them wanted: nothing to gain.
    if (wanted.length === 0 || wanted.length === collectors.size) return this.stop();
    this.path = `${this.basePath}?${wanted.map((c) => `collect%5B%5D=${c}`).join('&')}`;
    this.expected = names;
    this.state = 'checking';
  }

  private stop(): void {
    this.state = 'off';
    this.path = undefined;
    this.expected = new Set();
  }
}
