/**
 * Node figures from a Prometheus-compatible server (Prometheus, Thanos, Mimir, VictoriaMetrics)
 * instead of scraping every node: a dozen instant queries per refresh whatever the node count,
 * history backfilled on start. See queries.ts for the PromQL and docs/guide.md for the rate window.
 */
import type { Source } from '../source.js';
import { ClusterStore } from '../../store/cluster-store.js';
import { UNKNOWN_HEALTH, type TargetHealth } from '../../scrape/types.js';
import { backfill } from './backfill.js';
import { describeFailure, MAX_QUERIES_IN_FLIGHT, type PrometheusClient } from './client.js';
import type { InstantSample } from './decode.js';
import { RefreshIndex } from './figures.js';
import { PrometheusGpus } from './gpus.js';
import { NodeBook, type NodeRef } from './nodes.js';
import { inventoryQuery, promDuration, scrapeIntervalQuery } from './queries.js';
import { runRefresh } from './refresh.js';
import { StoppableSleep } from '../../util/stoppable-sleep.js';

export interface PrometheusSourceOptions {
  readonly client: PrometheusClient;
  /** The server as shown in each node's target: no credentials. */
  readonly displayUrl: string;
  /** Validated --selector matchers, '' for none. */
  readonly selector: string;
  readonly intervalMs: number;
  readonly historyPoints: number;
}

/**
 * Until the data shows Prometheus's scrape interval, the usual 15 s is assumed, so the window
 * (four of them) is one minute: long enough for rates at any common setting.
 */
const ASSUMED_SCRAPE_MS = 15_000;
const RATE_WINDOW_SCRAPES = 4;
/** Backfill queries cover minutes of history at once: they get longer than a refresh's. */
const BACKFILL_TIMEOUT_MS = 30_000;

export class PrometheusSource implements Source {
  readonly store: ClusterStore;
  private readonly gpus = new PrometheusGpus();
  private readonly client: PrometheusClient;
  private readonly options: PrometheusSourceOptions;
  private readonly book = new NodeBook();
  private readonly health = new Map<string, TargetHealth>();
  private intervalMs: number;
  private scrapeMs: number | undefined;
  private scrapeIntervalAnswered = false;
  private refreshNotice: string | undefined;
  private lastGoodMs: number | undefined;
  private backfillNotice: string | undefined;
  /** A history problem is worth showing until the rings have filled by themselves. */
  private backfillNoticeUntilMs = 0;
  private readonly pause = new StoppableSleep();
  private running: Promise<void> | undefined;

  constructor(options: PrometheusSourceOptions) {
    this.options = options;
    this.client = options.client;
    this.intervalMs = options.intervalMs;
    this.store = new ClusterStore(options.historyPoints);
  }

  get interval(): number {
    return this.intervalMs;
  }

  /** What went wrong with the last refresh, else a problem loading history, else undefined; read it each frame. */
  get notice(): string | undefined {
    return this.refreshNotice ?? (Date.now() < this.backfillNoticeUntilMs ? this.backfillNotice : undefined);
  }

  /** The last refresh's problem, for stderr when the run ends: with --once, why nothing was read. */
  get warning(): string | undefined {
    return this.refreshNotice;
  }

  /**
   * Rate window: the refresh interval ("over the last interval", as the scrape path), but at least
   * four Prometheus scrape intervals, so one missed scrape cannot blank a rate and a refresh
   * shorter than Prometheus's scrapes still finds two samples.
   */
  get rateWindowMs(): number {
    return Math.max(this.intervalMs, RATE_WINDOW_SCRAPES * (this.scrapeMs ?? ASSUMED_SCRAPE_MS));
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** One refresh suffices: Prometheus already holds the samples rates need. */
  async collectOnce(): Promise<void> {
    await this.prepare();
    await this.refresh();
  }

  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
  }

  async stop(): Promise<void> {
    this.pause.stop();
    await this.client.close();
    await this.running;
  }

  private async loop(): Promise<void> {
    const inventory = await this.prepare();
    if (!this.pause.stopped) await this.loadHistory(inventory);
    while (!this.pause.stopped) {
      const started = Date.now();
      if (!this.scrapeIntervalAnswered) await this.learnScrapeInterval();
      await this.refresh();
      await this.pause.sleep(started + this.intervalMs - Date.now());
    }
  }

  /** Learns the scrape interval and, from the inventory, node jobs and names; returns the inventory. */
  private async prepare(): Promise<readonly InstantSample[]> {
    const lookback = promDuration(this.options.historyPoints * this.intervalMs);
    const [, inventory] = await Promise.all([
      this.learnScrapeInterval(),
      this.client.query(inventoryQuery(this.options.selector, lookback)).then(
        (r) => r.result,
        () => [], // the first refresh reports what is wrong with the server
      ),
    ]);
    this.book.learn(inventory);
    return inventory;
  }

  private async learnScrapeInterval(): Promise<void> {
    try {
      const seconds = (await this.client.query(scrapeIntervalQuery(this.options.selector))).result[0]?.value;
      this.scrapeIntervalAnswered = true;
      // Two samples within the query's 5 minutes are at most that far apart, unless a node's clock jumped.
      if (seconds !== undefined && Number.isFinite(seconds) && seconds > 0) this.scrapeMs = Math.min(seconds, 300) * 1000;
    } catch {
      // Asked again before the next refresh; meanwhile the assumed interval serves.
    }
  }

  /** Fills the rings of the nodes seen within --history; the first refresh then appends after them. */
  private async loadHistory(inventory: readonly InstantSample[]): Promise<void> {
    const refs = this.book.nodes([], inventory);
    if (refs.length === 0) return;
    for (const ref of refs) this.upsert(ref);
    try {
      const warnings = await backfill({
        client: this.client,
        store: this.store,
        nodes: refs,
        selector: this.options.selector,
        window: promDuration(this.rateWindowMs),
        stepMs: this.intervalMs,
        endMs: Date.now(),
        // The last slot is the first refresh's.
        rows: this.store.capacity - 1,
        concurrency: MAX_QUERIES_IN_FLIGHT,
        timeoutMs: BACKFILL_TIMEOUT_MS,
      });
      if (warnings.length > 0) this.backfillNotice = `Prometheus warning (history): ${warnings[0]}`;
    } catch (error) {
      this.backfillNotice = `Prometheus: history not loaded: ${describeFailure(error)}`;
    }
    this.backfillNoticeUntilMs = Date.now() + this.store.capacity * this.intervalMs;
  }

  private async refresh(): Promise<void> {
    const at = Date.now();
    // The GPU queries beside the node ones, not after: a refresh takes as long as its slowest query.
    const [{ results, failures, warnings }, gpuSeries] = await Promise.all([
      runRefresh(this.client, this.options.selector, promDuration(this.rateWindowMs), MAX_QUERIES_IN_FLIGHT),
      this.gpus.query(this.client),
    ]);
    if (results.health === undefined || results.uname === undefined) {
      // Without these there is no telling which nodes exist: everything stays as last seen.
      const fatal = failures.find(([name]) => name === 'health' || name === 'uname');
      this.refreshNotice = `Prometheus: ${fatal?.[1] ?? 'no answer'}${this.since()}`;
      return;
    }
    this.book.learn(results.uname);
    const refs = this.book.nodes(results.health, results.uname);
    this.apply(refs, new RefreshIndex(results, at), at);
    this.gpus.apply(gpuSeries, refs.map((r) => ({ id: r.id, name: this.book.name(r), instance: r.instance })), this.store, at);
    this.lastGoodMs = at;
    if (refs.length === 0) {
      this.refreshNotice = `Prometheus has no node_exporter series${this.options.selector ? ` matching {${this.options.selector}}` : ''}`;
    } else if (failures.length > 0) {
      this.refreshNotice = `Prometheus: ${failures.map(([name, why]) => `${name} query failed: ${why}`).join('; ')}`;
    } else {
      this.refreshNotice = warnings.length > 0 ? `Prometheus warning: ${warnings[0]}` : this.gpus.failure && `Prometheus: GPU query failed: ${this.gpus.failure}`;
    }
  }

  private upsert(ref: NodeRef): void {
    this.store.upsert({
      id: ref.id,
      name: this.book.name(ref),
      target: `${this.options.displayUrl} instance=${ref.instance}${ref.id === ref.instance ? '' : ` job=${ref.job}`}`,
      source: 'prometheus',
      labels: { job: ref.job, instance: ref.instance },
    });
  }

  private apply(refs: readonly NodeRef[], index: RefreshIndex, at: number): void {
    const ids = new Set(refs.map((r) => r.id));
    for (const node of this.store.nodes()) {
      if (ids.has(node.id)) continue;
      this.store.remove(node.id);
      this.health.delete(node.id);
    }
    for (const ref of refs) {
      this.upsert(ref);
      const health = index.health(ref.key, this.health.get(ref.id) ?? UNKNOWN_HEALTH);
      this.health.set(ref.id, health);
      if (health.up) this.store.record(ref.id, at, { name: this.book.name(ref), source: 'prometheus', figures: index.figures(ref.key), health });
      else this.store.recordDown(ref.id, at, health);
    }
    this.store.appendClusterPoint(at);
  }

  private since(): string {
    return this.lastGoodMs === undefined ? '' : ` (figures from ${new Date(this.lastGoodMs).toTimeString().slice(0, 8)})`;
  }

}
