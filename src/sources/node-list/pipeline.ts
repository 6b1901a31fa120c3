import type { Target } from '../../targets/target.js';
import type { ScrapeResult, ScrapeSuccess } from '../../scrape/types.js';
import { Scraper, type ScraperOptions } from '../../scrape/scraper.js';
import type { ParseResult } from '../../exposition/types.js';
import { NodeExporterDeriver, type Derived } from '../../metrics/node-exporter.js';
import { EMPTY_FIGURES } from '../../metrics/node-figures.js';
import { ColumnSet, TargetSeries } from '../../metrics/target-series.js';
import { CollectorNarrowing, LEARNING_FAMILIES } from '../../metrics/collector-narrowing.js';
import type { UserColumn } from '../../expr/column.js';
import { ClusterStore } from '../../store/cluster-store.js';
import { CollectLoop } from '../../collect/collect-loop.js';
import { NodeReport } from '../../collect/node-report.js';
import { PayloadReader } from '../../collect/payload.js';
import { HostJoin, withCompanionTargets } from '../../targets/host-join.js';
import { parseTarget } from '../../targets/parse-target.js';
import { CONTAINER_FAMILIES, ContainerDeriver, hasContainerFamilies } from '../../metrics/cadvisor.js';
import { ProcessDeriver } from '../../metrics/process-deriver.js';
import { PROCESS_FAMILY_FILTER, type NodeProcesses } from '../../metrics/process-figures.js';
import type { Source } from '../source.js';
import { GpuAttach } from './gpu-attach.js';
import { descriptorShortage } from '../../util/open-files.js';

export interface PipelineOptions {
  readonly targets: readonly Target[];
  readonly intervalMs: number;
  /** A hard cap on scrapes in flight; undefined: it follows the load (see the scheduler). */
  readonly concurrency?: number;
  readonly historyPoints: number;
  readonly scraper: ScraperOptions;
  /** Samples kept from one payload at most (default MAX_SAMPLES): a runaway endpoint cannot exhaust memory. */
  readonly maxSamples?: number;
  /** `--column`s, evaluated on every target's scrapes. */
  readonly columns?: readonly UserColumn[];
  /** `--cadvisor-port`: scrape this port of every target's host too, as the node's containers. */
  readonly cadvisorPort?: number;
  /** `--gpu-port`: scrape this port of every target's host too, as the node's GPUs. */
  readonly gpuPort?: number;
  readonly now?: () => number;
}

/**
 * How long after a target's first scrape its second comes, once running (see the scheduler's
 * firstRateMs): rates need two scrapes, and the view should not wait an interval for its first
 * CPU and network figures. CPU % is a ratio of counter increases, which node_exporter counts in
 * 10 ms ticks per core: over 750 ms, within 1.3 % of a core. Byte rates divide by the time between
 * the two scrapes, and 10 ms of jitter in when the exporter reads its counters is 1.3 % too.
 */
export const FIRST_RATE_MS = 750;

/**
 * Wires the one-way flow: targets -> scheduler/scraper -> parser -> derivation -> store, with
 * the schedule, the parse and the report of src/collect/ that every scraping source shares.
 * Nothing else knows more than one neighbour; the UI and the snapshot read only the store.
 */
export class Pipeline implements Source {
  readonly store: ClusterStore;
  private readonly scraper: Scraper;
  private readonly loop: CollectLoop;
  private readonly report: NodeReport;
  // Shared by every target: node_exporters of one version write the same lines, node after node.
  private readonly payloads: PayloadReader;
  private readonly derivers = new Map<string, NodeExporterDeriver>();
  private readonly series = new Map<string, TargetSeries>();
  /** Targets asked for only the node view's collectors (see CollectorNarrowing). */
  private readonly narrowings = new Map<string, CollectorNarrowing>();
  private readonly columnSet: ColumnSet;
  /** cAdvisors and process exporters beside a node's own target on its host (see HostJoin). */
  private readonly join = new HostJoin();
  private readonly containerDerivers = new Map<string, ContainerDeriver>();
  /** The row each target's containers went to last: a companion's goes empty when it is removed. */
  private readonly containerRows = new Map<string, string>();
  /** Per target with process families (an agent, a process exporter): its rates. */
  private readonly processDerivers = new Map<string, ProcessDeriver>();
  private readonly cadvisorPort: number | undefined;
  private readonly gpuPort: number | undefined;
  /** GPU exporters beside a node's own target on its host, and the GPUs of every payload (gpu-attach.ts). */
  private readonly gpus: GpuAttach;
  /** Set while the targets need more file descriptors than the limit allows (see open-files.ts). */
  private descriptors: string | undefined;

  constructor(options: PipelineOptions) {
    this.payloads = new PayloadReader(options.maxSamples);
    this.columnSet = new ColumnSet(options.columns ?? []);
    this.store = new ClusterStore(options.historyPoints, this.columnSet.columns.map((c) => c.name));
    this.report = new NodeReport(this.store);
    this.gpus = new GpuAttach(this.store);
    this.scraper = new Scraper({ ...options.scraper, requestPath: (target) => this.narrowings.get(target.id)?.requestPath });
    this.loop = new CollectLoop(this.store, this.scraper, {
      intervalMs: options.intervalMs,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      onResult: (result) => this.handle(result),
      ...(options.now === undefined ? {} : { now: options.now }),
      firstRateMs: FIRST_RATE_MS,
    });
    this.cadvisorPort = options.cadvisorPort;
    this.gpuPort = options.gpuPort;
    this.setTargets(options.targets);
  }

  /**
   * The targets to scrape: `given` (a node list's, or discovery's as they change), plus the
   * companions `--cadvisor-port` and `--gpu-port` add on every host among them.
   */
  setTargets(given: readonly Target[]): void {
    const { targets: withCadvisor, declared } =
      this.cadvisorPort === undefined ? { targets: given, declared: undefined } : withCompanionTargets(given, this.cadvisorPort, 'cadvisor', (url) => parseTarget(url));
    const { targets, declared: gpuDeclared } =
      this.gpuPort === undefined ? { targets: withCadvisor, declared: undefined } : withCompanionTargets(withCadvisor, this.gpuPort, 'gpu', (url) => parseTarget(url), 'same');
    const keep = new Set(targets.map((t) => t.id));
    this.join.setTargets(targets, declared);
    this.gpus.setTargets(targets, gpuDeclared?.keys());
    for (const id of [...this.derivers.keys(), ...this.containerDerivers.keys(), ...this.processDerivers.keys(), ...this.store.nodes().map((n) => n.id)]) {
      if (!keep.has(id)) this.forget(id);
    }
    for (const t of targets) {
      // A companion's figures go to its node's row: it has none of its own.
      if (this.join.nodeFor(t.id) !== undefined || this.gpus.isJoined(t.id)) {
        this.store.remove(t.id);
        continue;
      }
      this.store.upsert({ id: t.id, name: t.host, target: t.displayUrl, labels: t.labels });
      // Columns may read any family, of collectors narrowing would leave out; a query of the
      // target's own (a scrape config's params) is the user's to choose.
      if (this.columnSet.columns.length === 0 && t.url.search === '' && !this.narrowings.has(t.id)) {
        this.narrowings.set(t.id, new CollectorNarrowing(t.url.pathname));
      }
    }
    this.loop.setTargets(targets);
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
    this.loop.start();
  }

  setIntervalMs(ms: number): void {
    this.loop.setIntervalMs(ms);
  }

  get interval(): number {
    return this.loop.interval;
  }

  /** Two rounds one interval apart, so that rates exist; for `--once`. */
  collectOnce(): Promise<void> {
    return this.loop.collectOnce();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.scraper.close();
  }

  private forget(id: string): void {
    const row = this.containerRows.get(id);
    if (row !== undefined && row !== id) this.store.setContainers(row, null);
    this.containerRows.delete(id);
    this.store.remove(id);
    this.derivers.delete(id);
    this.containerDerivers.delete(id);
    this.processDerivers.delete(id);
    this.series.delete(id);
    this.narrowings.delete(id);
    this.report.forget(id);
  }

  private handle(result: ScrapeResult): boolean {
    const id = result.target.id;
    if (this.gpus.isJoined(id)) return this.handleJoinedGpu(result);
    const node = this.join.nodeFor(id);
    if (node !== undefined) return this.handleCompanion(result, node);
    if (!this.store.get(id)) return false; // removed while the scrape was in flight
    const narrowing = this.narrowings.get(id);
    if (!result.ok) {
      // A narrowed request refused is ours to take back, not the node's failure: the next turn asks for everything.
      if (narrowing && result.status === 400 && result.requestPath !== undefined) {
        narrowing.refused();
        return true;
      }
      this.down(id, result.startedAtMs, result.durationMs, result.error);
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
      if (derived.source === 'app' && hasContainerFamilies(parsed.samples)) {
        // A cAdvisor: beside a node's target on its host it joins that node, and its row goes;
        // alone, it is a row of its own, kept to the container families (an app would read them all).
        if (this.join.markCompanion(id, 'cadvisor')) {
          const node = this.join.nodeFor(id) as string;
          this.forget(id);
          return this.handleCompanion(result, node, parsed);
        }
        derived = { ...derived, source: 'cadvisor' };
      } else if (series.decide(derived.source)) {
        // An app's first payload went through the node filter, which kept nothing of it.
        parsed = this.parse(text, result, undefined);
      }
    }
    if (typeof parsed === 'string') {
      this.down(id, result.startedAtMs, result.durationMs, parsed);
      return false;
    }
    // A payload of GPU families alone may show the target to be a GPU exporter of a node's host.
    if (this.gpus.payload(id, parsed.samples, result.startedAtMs, series.isApp).movedUnderNode) {
      this.forget(id);
      return true;
    }
    const readings = series.update(parsed, result.startedAtMs);
    const containers = this.updateContainers(id, id, parsed.samples, result.startedAtMs);
    // A cAdvisor alone on its host: the host's CPU and memory from its root cgroup.
    if (derived.source === 'cadvisor' && containers) derived = { ...derived, figures: containers.nodeFigures };
    const processes = this.processesOf(id, parsed.samples, result.startedAtMs);
    // A process exporter found out by its payload, with a node of its own host: it joins that row.
    if (processes?.source === 'process-exporter' && derived.source === 'app' && this.join.markCompanion(id, 'process-exporter')) {
      const node = this.join.nodeFor(id) as string;
      this.store.remove(id);
      this.report.forget(id);
      this.store.setProcesses(node, processes);
      return true;
    }
    const scrape = { atMs: result.startedAtMs, durationMs: result.durationMs, bodyBytes: result.bodyBytes, wireBytes: result.wireBytes, samples: parsed.sampleLines };
    this.report.up(id, scrape, { ...derived, ...readings });
    if (processes !== undefined) this.store.setProcesses(id, processes);
    return true;
  }

  private down(id: string, atMs: number, durationMs: number, error: string): void {
    this.report.down(id, atMs, durationMs, error);
    if (this.processDerivers.has(id)) this.store.setProcesses(id, null);
  }

  /**
   * The target's process table; undefined when it never had process families (its node's
   * processes, if any, come from elsewhere and are left alone), null when it had and has none now.
   */
  private processesOf(id: string, samples: ParseResult['samples'], atMs: number): NodeProcesses | null | undefined {
    const deriver = this.processDerivers.get(id);
    if (!deriver) {
      const fresh = new ProcessDeriver();
      const first = fresh.update(samples, atMs);
      if (first === null) return undefined;
      this.processDerivers.set(id, fresh);
      return first;
    }
    return deriver.update(samples, atMs);
  }

  /** A process exporter's scrape: only its process families are read, for its node's row. */
  private handleProcessCompanion(result: ScrapeResult, node: string): boolean {
    if (!this.store.get(node)) return false;
    const parsed = result.ok ? this.parse(result.takeBody(), result, PROCESS_FAMILY_FILTER) : result.error;
    const processes = typeof parsed === 'string' ? null : this.processesOf(result.target.id, parsed.samples, result.startedAtMs);
    this.store.setProcesses(node, processes ?? null);
    return typeof parsed !== 'string';
  }

  /**
   * A companion's scrape: its figures go to its node's row. A failure empties that part of the row
   * and leaves the node's own health alone: the node may well be up while its cAdvisor is not.
   */
  private handleCompanion(result: ScrapeResult, node: string, parsedAlready?: ParseResult): boolean {
    if (this.join.kindOf(result.target.id) === 'process-exporter') return this.handleProcessCompanion(result, node);
    if (!this.store.get(node)) return false;
    const target = result.target;
    if (!result.ok) {
      this.store.setContainers(node, null);
      return false;
    }
    const parsed = parsedAlready ?? this.parse(result.takeBody(), result, CONTAINER_FAMILIES);
    if (typeof parsed === 'string') {
      this.store.setContainers(node, null);
      return false;
    }
    // cAdvisor always writes its root cgroup: a payload without it is something else on :8080,
    // a row of its own from its next scrape on.
    if (!hasContainerFamilies(parsed.samples)) {
      this.join.markNode(target.id);
      this.store.upsert({ id: target.id, name: target.host, target: target.displayUrl, labels: target.labels });
      return false;
    }
    this.updateContainers(target.id, node, parsed.samples, result.startedAtMs);
    return true;
  }

  /** Containers in a payload (cAdvisor's families, or the agent's in its names) go to `node`'s row. */
  private updateContainers(targetId: string, node: string, samples: ParseResult['samples'], atMs: number): ContainerDeriver | undefined {
    let deriver = this.containerDerivers.get(targetId);
    if (!deriver) {
      if (!hasContainerFamilies(samples)) return undefined;
      this.containerDerivers.set(targetId, (deriver = new ContainerDeriver()));
    }
    this.containerRows.set(targetId, node);
    this.store.setContainers(node, deriver.update(samples, atMs));
    return deriver;
  }

  /** A GPU exporter joined to a node: read for its GPUs alone, its failures the node's GPU error. */
  private handleJoinedGpu(result: ScrapeResult): boolean {
    const id = result.target.id;
    if (!result.ok) return !this.gpus.failed(id, result.startedAtMs, result.error);
    const parsed = this.parse(result.takeBody(), result, undefined);
    if (typeof parsed === 'string') return !this.gpus.failed(id, result.startedAtMs, parsed);
    this.gpus.payload(id, parsed.samples, result.startedAtMs, true);
    return true;
  }

  /** The payload's samples, or the target's error when it is no metrics payload. */
  private parse(text: string, result: ScrapeSuccess, families: ReadonlySet<string> | undefined): ParseResult | string {
    return this.payloads.read(text, result.contentType, families);
  }
}
