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
import { PARTIAL_ANSWER } from './decode.js';
import { RefreshIndex } from './figures.js';
import { STATIC_NAMES, StaticFigures } from './statics.js';
import { PrometheusGpus } from './gpus.js';
import { NodeBook, type NodeRef } from './nodes.js';
import { inventoryQuery, promDuration, refreshQueries, scrapeIntervalQuery, staticQueries, type RefreshQuery } from './queries.js';
import { runRefresh, type Preview, type RefreshOutcome } from './refresh.js';
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
/** See perCoreWanted: about 5 MB of JSON per refresh. */
export const MAX_PER_CORE_SERIES = 50_000;
const ASSUMED_CORES_PER_NODE = 16;
/** Backfill queries cover minutes of history at once: they get longer than a refresh's. */
const BACKFILL_TIMEOUT_MS = 30_000;

type GpuAnswer = Awaited<ReturnType<PrometheusGpus['query']>>;
const NO_GPUS: GpuAnswer = { series: [], warnings: [] };

interface TakeOptions {
  readonly at: number;
  readonly perCore: boolean;
  /** The refresh asked the static queries. */
  readonly staticsAsked: boolean;
  /** Take their answers (not again after a preview took them). */
  readonly keepStatics: boolean;
  /** Add history rows: false for a preview. */
  readonly row: boolean;
}
/** What the first rows do not wait for (see refresh): CPU, and the cores count, a series per core. */
const CPU_QUERIES: readonly RefreshQuery[] = ['cpuOther', 'cpuIdle', 'cores'];

/** How a notice calls an answer that came with warnings or isPartial (decode.ts). */
const INCOMPLETE = 'answer may be incomplete';

/** The reason to show for answers' warnings: isPartial's first, since it says the most. */
function incompleteness(warnings: readonly string[]): string | undefined {
  return warnings.includes(PARTIAL_ANSWER) ? PARTIAL_ANSWER : warnings[0];
}

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
  private incomplete: string | undefined;
  private lastGoodMs: number | undefined;
  private backfillNotice: string | undefined;
  /** A history problem is worth showing until the rings have filled by themselves. */
  private backfillNoticeUntilMs = 0;
  private readonly pause = new StoppableSleep();
  private running: Promise<void> | undefined;
  private loadingHistory: Promise<void> | undefined;
  /** The nodes of the last refresh that listed any. */
  private refs: readonly NodeRef[] = [];
  /** The static queries' last answers (each kept until it is answered again), indexed. */
  private readonly statics = new StaticFigures();
  /** Nodes the inventory listed before the first refresh. */
  private inventoryNodes = 0;

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
   * Why the last refresh's figures may be incomplete, from the servers' own words (a partial
   * answer, a warning); undefined when every answer was whole. The snapshot's `partial`.
   */
  get partial(): string | undefined {
    return this.incomplete;
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

  /** Bytes of answers so far, on the wire and decoded (the benchmark's figure per refresh). */
  get bytesReceived(): { readonly wire: number; readonly body: number } {
    return this.client.bytesReceived;
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
    await this.loadingHistory;
  }

  private async loop(): Promise<void> {
    await this.prepare();
    while (!this.pause.stopped) {
      const started = Date.now();
      if (!this.scrapeIntervalAnswered) await this.learnScrapeInterval();
      await this.refresh();
      // Figures first, then history: its queries are the heaviest, and it lands before the
      // refresh rows already in the rings. Refreshes go on meanwhile.
      if (this.loadingHistory === undefined && this.refs.length > 0 && !this.pause.stopped) this.loadingHistory = this.loadHistory(started);
      await this.pause.sleep(started + this.intervalMs - Date.now());
    }
  }

  /** Learns the scrape interval and, from the inventory, node jobs and names. */
  private async prepare(): Promise<void> {
    const lookback = promDuration(this.options.historyPoints * this.intervalMs);
    const [, inventory] = await Promise.all([
      this.learnScrapeInterval(),
      this.client.query(inventoryQuery(this.options.selector, lookback)).then(
        (r) => r.result,
        () => [], // the first refresh reports what is wrong with the server
      ),
    ]);
    this.book.learn(inventory);
    this.inventoryNodes = inventory.length;
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

  /** Fills the rings of the nodes the first refresh that listed any listed, with the rows before `firstRowMs`. */
  private async loadHistory(firstRowMs: number): Promise<void> {
    const refs = this.refs;
    try {
      const warnings = await backfill({
        client: this.client,
        store: this.store,
        nodes: refs,
        selector: this.options.selector,
        windowMs: this.rateWindowMs,
        stepMs: this.intervalMs,
        endMs: firstRowMs - this.intervalMs,
        // The last slot is the first refresh's.
        rows: this.store.capacity - 1,
        concurrency: MAX_QUERIES_IN_FLIGHT,
        timeoutMs: BACKFILL_TIMEOUT_MS,
      });
      const incomplete = incompleteness(warnings);
      if (incomplete !== undefined) this.backfillNotice = `Prometheus: history ${INCOMPLETE}: ${incomplete}`;
    } catch (error) {
      this.backfillNotice = `Prometheus: history not loaded: ${describeFailure(error)}`;
    }
    this.backfillNoticeUntilMs = Date.now() + this.store.capacity * this.intervalMs;
  }

  private async refresh(): Promise<void> {
    const at = Date.now();
    const perCore = this.perCoreWanted();
    const selector = this.options.selector;
    const live = refreshQueries(selector, promDuration(this.rateWindowMs), perCore);
    const fixed = this.statics.wanted(at, this.intervalMs) ? staticQueries(selector) : undefined;
    // Before anything is shown (and not for --once, which shows only the end), the nodes and every
    // figure but CPU go up as soon as they are in: rating every CPU series of a large fleet takes
    // the server seconds longer than all the rest.
    const preview: Preview<RefreshQuery> | undefined =
      this.running !== undefined && this.lastGoodMs === undefined && fixed !== undefined
        ? {
            without: CPU_QUERIES,
            show: (outcome) => this.take(outcome, NO_GPUS, { at, perCore, staticsAsked: true, keepStatics: true, row: false }),
          }
        : undefined;
    // The heaviest first (the CPU halves, then the static cores count, a series per core), so the
    // refresh ends soonest; but for a preview the light ones first: a server with few cores runs
    // them at half speed beside the CPU queries, and the rows would wait.
    const { cpuOther, cpuIdle, ...lighter } = live;
    const { cores, ...lightStatics } = fixed ?? {};
    const queries: Partial<Record<RefreshQuery, string>> =
      fixed === undefined ? live : preview !== undefined ? { ...lightStatics, ...lighter, cpuOther, cpuIdle, cores } : { cpuOther, cpuIdle, cores, ...lightStatics, ...lighter };
    // The GPU queries beside the node ones, not after: a refresh takes as long as its slowest query.
    const [outcome, gpuAnswer] = await Promise.all([runRefresh(this.client, queries, MAX_QUERIES_IN_FLIGHT, preview), this.gpus.query(this.client)]);
    // After a preview the static answers are taken again: the cores count came after it.
    this.take(outcome, gpuAnswer, { at, perCore, staticsAsked: fixed !== undefined, keepStatics: fixed !== undefined, row: true });
  }

  /** Puts a refresh's answers in the store (nothing when health or names are missing: no telling which nodes exist). */
  private take(outcome: RefreshOutcome<RefreshQuery>, gpuAnswer: GpuAnswer, when: TakeOptions): void {
    const { results, failures, warnings } = outcome;
    const { at, perCore, staticsAsked } = when;
    if (when.keepStatics) this.statics.keep(results, warnings, at);
    const uname = this.statics.uname;
    if (results.health === undefined || uname === undefined) {
      // Without these there is no telling which nodes exist: everything stays as last seen.
      const fatal = failures.find(([name]) => name === 'health' || name === 'uname');
      this.refreshNotice = `Prometheus: ${fatal?.[1] ?? 'no answer'}${this.since()}`;
      return;
    }
    // The static answers in use count as much as this refresh's: a partial one is said so until replaced.
    const liveWarnings = warnings.filter(([name]) => !STATIC_NAMES.includes(name)).map(([, w]) => w);
    this.incomplete = incompleteness([...liveWarnings, ...this.statics.inUseWarnings, ...gpuAnswer.warnings]);
    if (staticsAsked) this.book.learn(uname);
    const refs = this.book.nodes(results.health, uname);
    this.apply(refs, new RefreshIndex(results, this.statics.index, at, perCore), at, staticsAsked, when.row);
    if (when.row) this.gpus.apply(gpuAnswer.series, refs.map((r) => ({ id: r.id, name: this.book.name(r), instance: r.instance })), this.store, at);
    if (refs.length > 0) this.refs = refs;
    this.lastGoodMs = at;
    const selector = this.options.selector;
    if (refs.length === 0) {
      this.refreshNotice = `Prometheus has no node_exporter series${selector ? ` matching {${selector}}` : ''}`;
    } else if (failures.length > 0) {
      this.refreshNotice = `Prometheus: ${failures.map(([name, why]) => `${name} query failed: ${why}`).join('; ')}`;
    } else {
      this.refreshNotice = this.incomplete !== undefined ? `Prometheus: ${INCOMPLETE}: ${this.incomplete}` : this.gpus.failure && `Prometheus: GPU query failed: ${this.gpus.failure}`;
    }
  }

  /**
   * The per-core query answers one sample per core of the fleet: 10,000 nodes of 100 cores are a
   * million samples, about 100 MB of JSON every refresh, for bars only a node's detail shows.
   * Beyond MAX_PER_CORE_SERIES cores it is left out, and nodes show no per-core figures. Before
   * the first count of cores, the inventory's node count stands in, at a typical 16 cores each.
   */
  private perCoreWanted(): boolean {
    const cores = this.statics.index.fleetCores ?? this.inventoryNodes * ASSUMED_CORES_PER_NODE;
    return cores <= MAX_PER_CORE_SERIES;
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

  /**
   * `staticsAsked`: this refresh asked the static queries, so a new node already has its figures.
   * `row`: a history row for each node and the cluster (false: a preview, see refresh).
   */
  private apply(refs: readonly NodeRef[], index: RefreshIndex, at: number, staticsAsked: boolean, row: boolean): void {
    // The same list as the last refresh's (NodeBook keeps it while the same nodes come back): no node went.
    if (refs !== this.refs) {
      const ids = new Set(refs.map((r) => r.id));
      for (const node of this.store.nodes()) {
        if (ids.has(node.id)) continue;
        this.store.remove(node.id);
        this.health.delete(node.id);
      }
    }
    for (const ref of refs) {
      // A node's target and labels follow from its ref: only a new node needs them (the name
      // comes with each record).
      if (this.store.get(ref.id) === undefined) {
        this.upsert(ref);
        if (!staticsAsked) this.statics.askSoon();
      }
      const previous = this.health.get(ref.id);
      const health = index.health(ref, previous ?? UNKNOWN_HEALTH);
      // Back up: perhaps rebooted, with a new boot time (and perhaps memory) to read.
      if (health.up && previous?.up === false && !staticsAsked) this.statics.askSoon();
      this.health.set(ref.id, health);
      if (health.up) this.store.record(ref.id, at, { name: this.book.name(ref), source: 'prometheus', figures: index.figures(ref), health }, row);
      else this.store.recordDown(ref.id, at, health, row);
    }
    if (row) this.store.appendClusterPoint(at);
  }

  private since(): string {
    return this.lastGoodMs === undefined ? '' : ` (figures from ${new Date(this.lastGoodMs).toTimeString().slice(0, 8)})`;
  }

}
