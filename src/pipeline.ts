import type { Target } from './targets/target.js';
import type { ScrapeResult, ScrapeSuccess } from './scrape/types.js';
import { Scraper, type ScraperOptions } from './scrape/scraper.js';
import { ScrapeScheduler } from './scrape/scheduler.js';
import { HealthBook } from './scrape/health.js';
import { parseExposition, formatFromContentType } from './exposition/parser.js';
import { LineCache } from './exposition/line-cache.js';
import { ExpositionError, type ParseResult } from './exposition/types.js';
import { NodeExporterDeriver, type Derived } from './metrics/node-exporter.js';
import { EMPTY_FIGURES } from './metrics/node-figures.js';
import { ColumnSet, TargetSeries } from './metrics/target-series.js';
import { CollectorNarrowing, LEARNING_FAMILIES } from './metrics/collector-narrowing.js';
import type { UserColumn } from './expr/column.js';
import { ClusterStore } from './store/cluster-store.js';
import type { Source } from './source.js';
import { descriptorShortage } from './util/open-files.js';

export interface PipelineOptions {
  readonly targets: readonly Target[];
  readonly intervalMs: number;
  readonly concurrency: number;
  readonly historyPoints: number;
  readonly scraper: ScraperOptions;
  /** Samples kept from one payload at most: a runaway endpoint cannot exhaust memory. */
  readonly maxSamples?: number;
  /** `--column`s, evaluated on every target's scrapes. */
  readonly columns?: readonly UserColumn[];
  readonly now?: () => number;
}

const DEFAULT_MAX_SAMPLES = 200_000;

/**
 * How long after a target's first scrape its second comes, once running (see the scheduler's
 * firstRateMs): rates need two scrapes, and the view should not wait an interval for its first
 * CPU and network figures. CPU % is a ratio of counter increases, which node_exporter counts in
 * 10 ms ticks per core: over 750 ms, within 1.3 % of a core. Byte rates divide by the time between
 * the two scrapes, and 10 ms of jitter in when the exporter reads its counters is 1.3 % too.
 */
export const FIRST_RATE_MS = 750;

/**
 * Wires the one-way flow: targets -> scheduler/scraper -> parser -> derivation -> store.
 * Nothing else knows more than one neighbour; the UI and the snapshot read only the store.
 */
export class Pipeline implements Source {
  readonly store: ClusterStore;
  private readonly scraper: Scraper;
  private readonly scheduler: ScrapeScheduler;
  private readonly health = new HealthBook();
  // Shared by every target: node_exporters of one version write the same lines, node after node.
  private readonly lines = new LineCache();
  private readonly derivers = new Map<string, NodeExporterDeriver>();
  private readonly series = new Map<string, TargetSeries>();
  /** Targets asked for only the node view's collectors (see CollectorNarrowing). */
  private readonly narrowings = new Map<string, CollectorNarrowing>();
  private readonly columnSet: ColumnSet;
  private readonly now: () => number;
  private readonly maxSamples: number;
  private intervalMs: number;
  private clusterTimer: NodeJS.Timeout | undefined;
  /** Set while the targets need more file descriptors than the limit allows (see open-files.ts). */
  private descriptors: string | undefined;

  constructor(options: PipelineOptions) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs;
    this.maxSamples = options.maxSamples ?? DEFAULT_MAX_SAMPLES;
    this.columnSet = new ColumnSet(options.columns ?? []);
    this.store = new ClusterStore(options.historyPoints, this.columnSet.columns.map((c) => c.name));
    this.scraper = new Scraper({ ...options.scraper, requestPath: (target) => this.narrowings.get(target.id)?.requestPath });
    this.scheduler = new ScrapeScheduler(this.scraper, {
      intervalMs: options.intervalMs,
      concurrency: options.concurrency,
      onResult: (result) => this.handle(result),
      now: this.now,
      firstRateMs: FIRST_RATE_MS,
    });
    this.setTargets(options.targets);
  }

  setTargets(targets: readonly Target[]): void {
    const keep = new Set(targets.map((t) => t.id));
    for (const node of this.store.nodes()) {
      if (keep.has(node.id)) continue;
      this.store.remove(node.id);
      this.derivers.delete(node.id);
      this.series.delete(node.id);
      this.narrowings.delete(node.id);
      this.health.delete(node.id);
    }
    for (const t of targets) {
      this.store.upsert({ id: t.id, name: t.host, target: t.displayUrl, labels: t.labels });
      // Columns may read any family, of collectors narrowing would leave out; a query of the
      // target's own (a scrape config's params) is the user's to choose.
      if (this.columnSet.columns.length === 0 && t.url.search === '' && !this.narrowings.has(t.id)) {
        this.narrowings.set(t.id, new CollectorNarrowing(t.url.pathname));
      }
    }
    this.scheduler.setTargets([...targets]);
    this.descriptors = descriptorShortage(targets.length);
  }

  /** For the header: the one line that says the open-files limit is too low for these targets. */
  get notice(): string | undefined {
    return this.descriptors;
  }

  /** The same on stderr when the run ends. */
  get warning(): string | undefined {
    return this.descriptors;
  }

  /**
   * Keeps scraping until stop(); one cluster-wide history row per interval. Every target is scraped
   * at once and again FIRST_RATE_MS later, so rates exist within about a second; then its turns
   * come on the interval's grid.
   */
  start(): void {
    this.scheduler.start();
    this.startClusterTimer();
  }

  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
    this.scheduler.setIntervalMs(ms);
    if (this.clusterTimer) this.startClusterTimer();
  }

  get interval(): number {
    return this.intervalMs;
  }

  /** Two rounds one interval apart, so that rates exist; for `--once`. */
  async collectOnce(): Promise<void> {
    const first = this.now();
    await this.scheduler.scrapeAllOnce();
    const wait = first + this.intervalMs - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.scheduler.scrapeAllOnce();
    this.store.appendClusterPoint(this.now());
  }

  async stop(): Promise<void> {
    if (this.clusterTimer) clearInterval(this.clusterTimer);
    this.clusterTimer = undefined;
    await this.scheduler.stop();
    await this.scraper.close();
  }

  private startClusterTimer(): void {
    if (this.clusterTimer) clearInterval(this.clusterTimer);
    this.clusterTimer = setInterval(() => this.store.appendClusterPoint(this.now()), this.intervalMs);
    this.clusterTimer.unref();
  }

  private handle(result: ScrapeResult): boolean {
    const id = result.target.id;
    if (!this.store.get(id)) return false; // removed while the scrape was in flight
    const narrowing = this.narrowings.get(id);
    if (!result.ok) {
      // A narrowed request refused is ours to take back, not the node's failure: the next turn asks for everything.
      if (narrowing && result.status === 400 && result.requestPath !== undefined) {
        narrowing.refused();
        return true;
      }
      this.markDown(id, result.startedAtMs, result.durationMs, result.error);
      return false;
    }
    let series = this.series.get(id);
    if (!series) this.series.set(id, (series = new TargetSeries(this.columnSet)));
    const families = narrowing?.learning && series.families !== undefined ? LEARNING_FAMILIES : series.families;
    const text = result.takeBody();
    let parsed = this.parse(text, result, families);
    // A narrowed payload short of a family: skipped, as if not scraped; the next turn asks for everything.
    if (typeof parsed !== 'string' && narrowing && !series.isApp && !narrowing.observe(parsed.samples, result.requestPath)) return true;
    let derived: Derived = { name: result.target.host, source: 'app', figures: EMPTY_FIGURES };
    if (typeof parsed !== 'string' && !series.isApp) {
      let deriver = this.derivers.get(id);
      if (!deriver) this.derivers.set(id, (deriver = new NodeExporterDeriver(result.target.host)));
      derived = deriver.update(parsed.samples, result.startedAtMs);
      // An app's first payload went through the node filter, which kept nothing of it.
      if (series.decide(derived.source)) parsed = this.parse(text, result, undefined);
    }
    if (typeof parsed === 'string') {
      this.markDown(id, result.startedAtMs, result.durationMs, parsed);
      return false;
    }
    const readings = series.update(parsed, result.startedAtMs);
    this.health.recordSuccess(id, {
      atMs: result.startedAtMs,
      durationMs: result.durationMs,
      bodyBytes: result.bodyBytes,
      wireBytes: result.wireBytes,
      samples: parsed.sampleLines,
    });
    this.store.record(id, result.startedAtMs, { ...derived, health: this.health.get(id), ...readings });
    return true;
  }

  /** The payload's samples, or the target's error when it is no metrics payload. */
  private parse(text: string, result: ScrapeSuccess, families: ReadonlySet<string> | undefined): ParseResult | string {
    try {
      return parseExposition(text, { format: formatFromContentType(result.contentType), families, maxSamples: this.maxSamples, cache: this.lines });
    } catch (error) {
      const reason = error instanceof ExpositionError ? error.message : 'unreadable payload';
      return `invalid metrics payload: ${reason}`;
    }
  }

  private markDown(id: string, atMs: number, durationMs: number, error: string): void {
    this.health.recordFailure(id, { atMs, durationMs, error });
    this.store.recordDown(id, atMs, this.health.get(id));
  }
}
