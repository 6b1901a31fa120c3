/**
 * The schedule of the scrape -> parse -> derive step: targets scraped spread over the interval
 * (see ScrapeScheduler), and one cluster-wide history row per interval, as long as it runs; or,
 * for `--once`, rounds one interval apart so that rates exist.
 */
import { ScrapeScheduler, type ScrapeClient, type ScrapeSchedulerOptions } from '../scrape/scheduler.js';
import type { Target } from '../targets/target.js';
import type { ClusterStore } from '../store/cluster-store.js';

export interface OnceOptions {
  /** One refresh of every node; default: every target scraped once. */
  readonly round?: () => Promise<void>;
  /** After the two rounds, more while this holds (kubelets that have not collected anew), within `withinMs` of the first. */
  readonly more?: { readonly wanted: () => boolean; readonly withinMs: number };
}

export class CollectLoop {
  private readonly scheduler: ScrapeScheduler;
  private readonly now: () => number;
  private intervalMs: number;
  private clusterTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: ClusterStore,
    client: ScrapeClient,
    options: ScrapeSchedulerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs;
    this.scheduler = new ScrapeScheduler(client, options);
  }

  get interval(): number {
    return this.intervalMs;
  }

  setTargets(targets: readonly Target[]): void {
    this.scheduler.setTargets(targets);
  }

  /**
   * Keeps scraping until stop() (`scraping` false: the source fills the store another way for
   * now, and only the cluster rows run), and adds one cluster-wide history row per interval.
   */
  start(scraping = true): void {
    if (scraping) this.scheduler.start();
    this.startClusterTimer();
  }

  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
    this.scheduler.setIntervalMs(ms);
    if (this.clusterTimer) this.startClusterTimer();
  }

  scrapeAllOnce(): Promise<void> {
    return this.scheduler.scrapeAllOnce();
  }

  /** Two rounds one interval apart, so that rates exist (and more as `more` asks), then one cluster row; for `--once`. */
  async collectOnce(options: OnceOptions = {}): Promise<void> {
    const round = options.round ?? (() => this.scheduler.scrapeAllOnce());
    const first = this.now();
    await round();
    await delay(first + this.intervalMs - this.now());
    await round();
    const more = options.more;
    while (more?.wanted() && this.now() + this.intervalMs <= first + more.withinMs) {
      await delay(this.intervalMs);
      await round();
    }
    this.store.appendClusterPoint(this.now());
  }

  /** Stops the rows and the scrapes, and waits for the scrapes in flight. */
  async stop(): Promise<void> {
    clearInterval(this.clusterTimer);
    this.clusterTimer = undefined;
    await this.scheduler.stop();
  }

  private startClusterTimer(): void {
    clearInterval(this.clusterTimer);
    this.clusterTimer = setInterval(() => this.store.appendClusterPoint(this.now()), this.intervalMs);
    this.clusterTimer.unref();
  }
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
