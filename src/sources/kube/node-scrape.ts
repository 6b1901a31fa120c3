/**
 * One node's turn in the scrape schedule: the kubelet's resource metrics through the API server's
 * node proxy and, with --node-exporter-port, --gpu-port and --process-port, those exporters through
 * the same proxy. They go one after the other in the node's single concurrency slot, so the API
 * server never has more proxy requests in flight than the concurrency limit.
 */
import { Scraper } from '../../scrape/scraper.js';
import type { ScrapeClient } from '../../scrape/scheduler.js';
import type { ScrapeResult } from '../../scrape/types.js';
import type { Target } from '../../targets/target.js';
import { KubeAuthError, type Credentials, type TlsMaterial } from './credentials.js';
import { sameTls, scraperTls } from './tls.js';

/** The kubelet's resource metrics, through the API server's node proxy. */
export function kubeletPath(name: string): string {
  return `/api/v1/nodes/${encodeURIComponent(name)}/proxy/metrics/resource`;
}

/** node_exporter on the node's `port`, through the same proxy (the API server dials the node's address). */
export function exporterPath(name: string, port: number): string {
  return `/api/v1/nodes/${encodeURIComponent(name)}:${port}/proxy/metrics`;
}

export interface NodeScrapeOptions {
  readonly credentials: Credentials;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** Proxy requests in flight at most: the connections the Scraper keeps to the API server. */
  readonly concurrency: number;
  /** The node_exporter target of a node's kubelet target, when node_exporter is scraped too. */
  readonly exporterTarget?: (kubelet: Target) => Target;
  /** The GPU exporter target of a node's kubelet target, with --gpu-port. */
  readonly gpuTarget?: (kubelet: Target) => Target;
  /** The process exporter target of a node's kubelet target, with --process-port. */
  readonly processTarget?: (kubelet: Target) => Target;
}

export class NodeScrapeClient implements ScrapeClient {
  /** node_exporter's answer of the same turn, found by the kubelet result the scheduler hands back. */
  private readonly exporterResults = new WeakMap<ScrapeResult, ScrapeResult>();
  private readonly gpuResults = new WeakMap<ScrapeResult, ScrapeResult>();
  private readonly processResults = new WeakMap<ScrapeResult, ScrapeResult>();
  private scraper: Scraper | undefined;
  private scraperTls: TlsMaterial | undefined;
  private readonly retiring = new Set<Promise<void>>();

  constructor(private readonly options: NodeScrapeOptions) {}

  async scrape(target: Target, signal?: AbortSignal): Promise<ScrapeResult> {
    const kubelet = await this.proxied(target, signal);
    const exporter = this.options.exporterTarget?.(target);
    if (exporter) this.exporterResults.set(kubelet, await this.proxied(exporter, signal));
    const gpu = this.options.gpuTarget?.(target);
    if (gpu) this.gpuResults.set(kubelet, await this.proxied(gpu, signal));
    const processes = this.options.processTarget?.(target);
    if (processes) this.processResults.set(kubelet, await this.proxied(processes, signal));
    return kubelet;
  }

  processResult(kubelet: ScrapeResult): ScrapeResult | undefined {
    return this.processResults.get(kubelet);
  }

  gpuResult(kubelet: ScrapeResult): ScrapeResult | undefined {
    return this.gpuResults.get(kubelet);
  }

  exporterResult(kubelet: ScrapeResult): ScrapeResult | undefined {
    return this.exporterResults.get(kubelet);
  }

  forget(target: Target): void {
    this.scraper?.forget(target);
    const exporter = this.options.exporterTarget?.(target);
    if (exporter) this.scraper?.forget(exporter);
    const gpu = this.options.gpuTarget?.(target);
    if (gpu) this.scraper?.forget(gpu);
    const processes = this.options.processTarget?.(target);
    if (processes) this.scraper?.forget(processes);
  }

  async close(): Promise<void> {
    await this.scraper?.close();
    this.scraper = undefined;
    await Promise.all(this.retiring);
  }

  /** One GET through the proxy; a 401 renews the credentials and tries once more (a token that just expired). */
  private async proxied(target: Target, signal: AbortSignal | undefined): Promise<ScrapeResult> {
    const { credentials } = this.options;
    const startedAtMs = Date.now();
    try {
      let auth = await credentials.current();
      let result = await this.scraperFor(auth.tls).scrape(target, signal);
      if (!result.ok && result.status === 401) {
        auth = await credentials.renew(auth);
        result = await this.scraperFor(auth.tls).scrape(target, signal);
      }
      return result;
    } catch (error) {
      if (!(error instanceof KubeAuthError)) throw error;
      return { ok: false, target, error: error.message, startedAtMs, durationMs: Date.now() - startedAtMs };
    }
  }

  /** The Scraper's pools are made for one set of TLS material: a new client certificate needs new ones. */
  private scraperFor(tls: TlsMaterial): Scraper {
    if (this.scraper && this.scraperTls && sameTls(this.scraperTls, tls)) return this.scraper;
    if (this.scraper) {
      const retired = this.scraper.close();
      this.retiring.add(retired);
      void retired.then(() => this.retiring.delete(retired));
    }
    const { credentials, timeoutMs, maxBodyBytes, concurrency } = this.options;
    this.scraperTls = tls;
    this.scraper = new Scraper({
      timeoutMs,
      maxBodyBytes,
      tls: scraperTls(tls),
      // The cached headers: proxied() has just made sure they are current.
      headers: async () => (await credentials.current()).headers,
      connectionsPerOrigin: concurrency,
      ...(credentials.config.proxyUrl === undefined ? {} : { proxy: credentials.config.proxyUrl }),
    });
    return this.scraper;
  }
}
