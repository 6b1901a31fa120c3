/**
 * A Kubernetes cluster's nodes and pods, from a kubeconfig, with nothing installed in the cluster:
 * nodes listed and watched, figures from each kubelet through the API server's node proxy (spread
 * over the interval, at most `concurrency` proxy requests in flight), falling back to the metrics
 * API, then to the bare node list (see fallback.ts).
 */
import { KubeGpus } from './kube-gpus.js';
import type { Source } from '../source.js';
import { ClusterStore } from '../../store/cluster-store.js';
import { CollectLoop } from '../../collect/collect-loop.js';
import type { ScrapeResult } from '../../scrape/types.js';
import type { Target } from '../../targets/target.js';
import { redactUrl } from '../../targets/redact.js';
import type { KubeNodeInfo } from '../../metrics/kube-figures.js';
import { ApiError, KubeApi } from './api-client.js';
import { Credentials } from './credentials.js';
import { kubeNotice, metricsApiClosed, type MetricsMode, type NodesProblem } from './fallback.js';
import { KubeNodes } from './kube-nodes.js';
import { KubePods } from './kube-pods.js';
import type { LoadedKubeconfig } from './kubeconfig.js';
import { ListWatch } from './list-watch.js';
import { METRICS_API } from './metrics-api.js';
import { MetricsApiPoller } from './metrics-poller.js';
import { readNode } from './node-info.js';
import { exporterPath, kubeletPath, NodeScrapeClient } from './node-scrape.js';

export interface KubeSourceOptions {
  readonly kubeconfig: LoadedKubeconfig;
  readonly intervalMs: number;
  /** Deadline of one proxied scrape. */
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly historyPoints: number;
  readonly maxBodyBytes: number;
  /** Also scrape node_exporter on this port of every node, through the proxy. */
  readonly nodeExporterPort?: number;
  /** A GPU exporter's port on every node, read through the same proxy (--gpu-port). */
  readonly gpuPort?: number;
  /** A process exporter's port on every node, read through the same proxy (--process-port). */
  readonly processPort?: number;
  /** How long --once waits at most for every kubelet to collect anew, so CPU rates exist (kubelets collect every 10-15 s). */
  readonly rateWaitMs?: number;
}

const RATE_WAIT_MS = 15_000;
/** Lists of thousands of nodes take longer than one node's scrape. */
const MIN_API_TIMEOUT_MS = 30_000;

export class KubeSource implements Source {
  readonly store: ClusterStore;
  private readonly gpus: KubeGpus;
  private readonly api: KubeApi;
  private readonly client: NodeScrapeClient;
  private readonly loop: CollectLoop;
  private readonly nodes: KubeNodes;
  private readonly watcher: ListWatch<KubeNodeInfo>;
  private readonly pods: KubePods;
  private readonly poller: MetricsApiPoller;
  private mode: MetricsMode = 'kubelet';
  private nodesProblem: NodesProblem | undefined;
  private noMetrics: string | undefined;
  private targetsDirty = false;
  private started = false;

  constructor(private readonly options: KubeSourceOptions) {
    this.store = new ClusterStore(options.historyPoints);
    const credentials = new Credentials(options.kubeconfig);
    this.api = new KubeApi(credentials, Math.max(MIN_API_TIMEOUT_MS, options.timeoutMs));
    const port = options.nodeExporterPort;
    const gpuPort = options.gpuPort;
    const processPort = options.processPort;
    this.client = new NodeScrapeClient({
      credentials,
      timeoutMs: options.timeoutMs,
      maxBodyBytes: options.maxBodyBytes,
      concurrency: options.concurrency,
      ...(port === undefined ? {} : { exporterTarget: (kubelet: Target) => this.target(`${kubelet.id}:${port}`, exporterPath(kubelet.id, port)) }),
      ...(gpuPort === undefined ? {} : { gpuTarget: (kubelet: Target) => this.target(`${kubelet.id}:${gpuPort}`, exporterPath(kubelet.id, gpuPort)) }),
      ...(processPort === undefined ? {} : { processTarget: (kubelet: Target) => this.target(`${kubelet.id}:${processPort}`, exporterPath(kubelet.id, processPort)) }),
    });
    this.loop = new CollectLoop(this.store, this.client, {
      intervalMs: options.intervalMs,
      concurrency: options.concurrency,
      onResult: (result) => this.onScrape(result),
    });
    // Pods: at most one list per 2 ms of pods when watching is refused (150,000 pods: every 5 min).
    this.pods = new KubePods(this.api, (nodes) => this.nodes.podsChanged(nodes), () => Math.max(60_000, 2 * this.store.nodes().length * 30));
    this.nodes = new KubeNodes(this.store, (name) => this.displayTarget(name), this.pods);
    this.gpus = new KubeGpus(this.store);
    this.watcher = new ListWatch({
      api: this.api,
      path: '/api/v1/nodes',
      read: (object) => {
        const node = readNode(object);
        return node && { key: node.name, value: node.info };
      },
      onUpsert: (name, info) => this.onNode(name, info),
      onRemove: (name) => {
        this.nodes.remove(name);
        this.targetsChanged();
      },
      onProblem: (error, relisting) => (this.nodesProblem = error && { error, relisting }),
      // A list of thousands of nodes is heavy: at most one per 20 ms of nodes (5,000 nodes: every 100 s).
      pollMs: () => Math.max(this.loop.interval, 20 * this.nodes.names().length),
    });
    this.poller = new MetricsApiPoller(this.api, this.nodes, (error) => this.metricsApiFailed(error), this.pods);
  }

  get interval(): number {
    return this.loop.interval;
  }

  /** Asked again as the store changes: it follows what the permissions and the API server turn out to allow. */
  get notice(): string | undefined {
    return kubeNotice(this.nodesProblem, this.mode, this.noMetrics, this.pods.problem);
  }

  /** For stderr when the run ends: with --once, why figures are missing or come from elsewhere. */
  get warning(): string | undefined {
    return this.notice;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.watcher.start();
    this.pods.start();
    this.loop.start(this.mode === 'kubelet');
    if (this.mode === 'metrics-api') this.poller.start(() => this.interval);
  }

  /** Lists the nodes, then refreshes twice one interval apart, and more while kubelets have not collected anew. */
  async collectOnce(): Promise<void> {
    if (!(await this.discover())) return;
    await this.pods.list();
    await this.loop.collectOnce({
      round: () => this.refresh(),
      more: { wanted: () => this.mode === 'kubelet' && this.awaitingRates(), withinMs: this.options.rateWaitMs ?? RATE_WAIT_MS },
    });
  }

  /** Lists the nodes once (start() keeps them current instead); returns whether that worked. */
  async discover(): Promise<boolean> {
    try {
      await this.watcher.list();
      this.nodesProblem = undefined;
      return true;
    } catch (error) {
      this.nodesProblem = { error: asApiError(error), relisting: false };
      return false;
    }
  }

  /** One refresh of every node's figures now, by whichever way is open. */
  async refresh(): Promise<void> {
    this.applyTargets();
    if (this.mode === 'kubelet') await this.loop.scrapeAllOnce();
    if (this.mode === 'metrics-api') await this.poller.poll();
  }

  setIntervalMs(ms: number): void {
    this.loop.setIntervalMs(ms);
  }

  async stop(): Promise<void> {
    await Promise.all([this.watcher.stop(), this.pods.stop(), this.poller.stop(), this.loop.stop()]);
    await Promise.all([this.client.close(), this.api.close()]);
  }

  private onNode(name: string, info: KubeNodeInfo): void {
    if (!this.nodes.upsert(name, info)) return;
    this.targetsChanged();
    if (this.mode === 'none') this.nodes.markDown(name, Date.now(), 0, this.noMetrics ?? 'no metrics');
  }

  private onScrape(result: ScrapeResult): boolean {
    if (!result.ok && result.status === 403) {
      this.switchTo('metrics-api');
      return false;
    }
    const recorded = this.nodes.recordScrape(result, this.client.exporterResult(result));
    const gpu = this.client.gpuResult(result);
    if (gpu) this.gpus.record(result.target.id, gpu);
    const processes = this.client.processResult(result);
    if (processes) this.nodes.recordProcesses(result.target.id, processes);
    return recorded;
  }

  private metricsApiFailed(error: ApiError): boolean {
    const closed = metricsApiClosed(error);
    if (closed === undefined) return false;
    this.noMetrics = closed;
    this.switchTo('none');
    return true;
  }

  private switchTo(mode: MetricsMode): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.loop.setTargets([]);
    this.nodes.reshow();
    if (mode === 'metrics-api' && this.started) this.poller.start(() => this.interval);
    if (mode === 'none') {
      void this.poller.stop();
      for (const name of this.nodes.names()) this.nodes.markDown(name, Date.now(), 0, this.noMetrics ?? 'no metrics');
    }
  }

  /** Nodes come and go one watch event at a time, and a list brings thousands: the schedule follows once per burst. */
  private targetsChanged(): void {
    if (this.targetsDirty) return;
    this.targetsDirty = true;
    queueMicrotask(() => this.applyTargets());
  }

  private applyTargets(): void {
    if (!this.targetsDirty) return;
    this.targetsDirty = false;
    if (this.mode !== 'kubelet') return;
    this.loop.setTargets(this.nodes.names().map((name) => this.target(name, kubeletPath(name))));
  }

  private target(id: string, path: string): Target {
    const url = this.api.url(path);
    return { id, url, displayUrl: redactUrl(url), host: id, labels: {} };
  }

  private displayTarget(name: string): string {
    const port = this.options.nodeExporterPort;
    if (this.mode === 'kubelet') return redactUrl(this.api.url(port === undefined ? kubeletPath(name) : exporterPath(name, port)));
    const node = encodeURIComponent(name);
    return redactUrl(this.api.url(this.mode === 'metrics-api' ? `${METRICS_API}/nodes/${node}` : `/api/v1/nodes/${node}`));
  }

  /** Whether some kubelet has answered only with one collection so far (its samples' time has not moved). */
  private awaitingRates(): boolean {
    return this.store.nodes().some((n) => n.health.up && n.source === 'kubelet' && n.figures.cpu?.usagePercent === null);
  }
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 0);
}
