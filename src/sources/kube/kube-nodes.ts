/**
 * The nodes the cluster has now and what the store shows of them: their Kubernetes facts, and
 * figures from the kubelet (pods too), from node_exporter through the proxy, or from the metrics
 * API. One store entry per Node, keyed by its name.
 */
import type { KubeNodeInfo, PodFigures } from '../../metrics/kube-figures.js';
import { KubeletDeriver, KUBELET_FAMILIES, type KubeletDerived, type NodeCapacity } from '../../metrics/kubelet.js';
import { NodeExporterDeriver, NODE_EXPORTER_FAMILIES } from '../../metrics/node-exporter.js';
import type { NodeFigures, NodeSource } from '../../metrics/node-figures.js';
import type { ScrapeResult, ScrapeSuccess } from '../../scrape/types.js';
import type { ClusterStore } from '../../store/cluster-store.js';
import { NodeReport } from '../../collect/node-report.js';
import { PayloadReader } from '../../collect/payload.js';
import type { ParseResult } from '../../exposition/types.js';
import { usageFigures, type NodeUsage } from './metrics-api.js';
import { CONTAINER_FAMILIES } from '../../metrics/cadvisor.js';
import { PROCESS_FAMILY_FILTER } from '../../metrics/process-figures.js';
import { NodeCompanions } from './node-companions.js';
import type { KeptPod } from './kube-pods.js';
import { mergePods } from './pod-merge.js';

/** What the Pod objects say of a node's pods (kube-pods.ts); undefined while they are not known. */
export interface PodFactsOf {
  on(node: string): ReadonlyMap<string, KeptPod> | undefined;
  allocatedGpus(node: string): number | undefined;
}

/** What is read of the node_exporter port: `cluster-top agent` there adds its processes and containers. */
const EXPORTER_FAMILIES: ReadonlySet<string> = new Set([...NODE_EXPORTER_FAMILIES, ...PROCESS_FAMILY_FILTER, ...CONTAINER_FAMILIES]);

interface NodeState {
  info: KubeNodeInfo;
  readonly kubelet: KubeletDeriver;
  readonly exporter: NodeExporterDeriver;
  readonly companions: NodeCompanions;
  /** The pods' last figures (kubelet or metrics API), to join with the Pod objects again when those change. */
  podFigures: readonly PodFigures[] | null;
}

export class KubeNodes {
  private readonly nodes = new Map<string, NodeState>();
  private readonly report: NodeReport;
  // Kubelets of one version write the same lines, as node_exporters do: one reader for each kind.
  private readonly kubeletPayloads = new PayloadReader();
  private readonly exporterPayloads = new PayloadReader();
  private readonly processPayloads = new PayloadReader();

  constructor(
    private readonly store: ClusterStore,
    /** The URL shown as a node's target: what its figures are read from in the current mode. */
    private readonly targetOf: (name: string) => string,
    private readonly podFacts: PodFactsOf,
  ) {
    this.report = new NodeReport(store);
  }

  names(): string[] {
    return [...this.nodes.keys()];
  }

  capacity(name: string): NodeCapacity {
    const capacity = this.nodes.get(name)?.info.capacity;
    return { cpuCores: capacity?.cpuCores ?? 0, memoryBytes: capacity?.memoryBytes ?? 0 };
  }

  /** A Node was listed or changed; returns whether it is new. */
  upsert(name: string, info: KubeNodeInfo): boolean {
    const known = this.nodes.get(name);
    if (known) {
      known.info = info;
      this.store.upsert({ id: name, name, target: this.targetOf(name), labels: info.labels });
      this.store.setKube(name, this.withAllocation(name, info));
      return false;
    }
    this.nodes.set(name, { info, kubelet: new KubeletDeriver(), exporter: new NodeExporterDeriver(name), companions: new NodeCompanions(this.store, name), podFigures: null });
    this.show(name, info);
    return true;
  }

  remove(name: string): void {
    this.nodes.delete(name);
    this.report.forget(name);
    this.store.remove(name);
  }

  /** The store keeps a node's target for life: after a change of mode every node is shown anew. */
  reshow(): void {
    for (const [name, node] of this.nodes) {
      this.store.remove(name);
      this.report.forget(name);
      this.show(name, node.info);
    }
  }

  /** One turn's answers; returns whether the node got figures. */
  recordScrape(kubelet: ScrapeResult, exporter: ScrapeResult | undefined): boolean {
    const name = kubelet.target.id;
    const node = this.nodes.get(name);
    if (!node) return false; // gone while the scrape was in flight
    const fromKubelet = kubelet.ok ? this.fromKubelet(node, kubelet) : { error: `kubelet: ${kubelet.error}` };
    this.showPods(name, node, 'derived' in fromKubelet ? fromKubelet.derived.pods : null);
    // node_exporter's figures are the fuller ones; the kubelet's stand in while it does not answer.
    const fromExporter = exporter?.ok ? this.fromExporter(node, exporter) : undefined;
    if (exporter) node.companions.fromExporter(fromExporter && 'parsed' in fromExporter ? fromExporter.parsed : undefined, exporter.startedAtMs);
    if (exporter?.ok && fromExporter && 'figures' in fromExporter) {
      this.record(name, exporter, 'node_exporter', fromExporter.figures, fromExporter.samples);
      return true;
    }
    if (!('derived' in fromKubelet)) {
      this.markDown(name, kubelet.startedAtMs, kubelet.durationMs, fromKubelet.error);
      return false;
    }
    if (kubelet.ok) this.record(name, kubelet, 'kubelet', fromKubelet.derived.figures, fromKubelet.samples);
    return kubelet.ok;
  }

  /** The metrics API's reading for a node (undefined: it has none for it) and its pods. */
  recordUsage(name: string, usage: NodeUsage | undefined, atMs: number, durationMs: number, pods: readonly PodFigures[] | null): void {
    const node = this.nodes.get(name);
    if (!node) return;
    this.showPods(name, node, pods);
    if (!usage) return this.markDown(name, atMs, durationMs, 'the metrics API has no figures for this node (yet)');
    this.report.up(name, { atMs, durationMs, bodyBytes: 0, wireBytes: 0, samples: 0 }, { name, source: 'kubelet', figures: usageFigures(usage, this.capacity(name)) });
  }

  markDown(name: string, atMs: number, durationMs: number, error: string): void {
    if (!this.nodes.has(name)) return;
    this.report.down(name, atMs, durationMs, error);
  }

  /** The Pod objects of these nodes changed: their pods and GPUs held are shown anew. */
  podsChanged(names: ReadonlySet<string>): void {
    for (const name of names) {
      const node = this.nodes.get(name);
      if (!node) continue;
      this.store.setKube(name, this.withAllocation(name, node.info));
      this.showPods(name, node, node.podFigures);
    }
  }

  private showPods(name: string, node: NodeState, figures: readonly PodFigures[] | null): void {
    node.podFigures = figures;
    this.store.setPods(name, mergePods(figures, this.podFacts.on(name)));
  }

  private withAllocation(name: string, info: KubeNodeInfo): KubeNodeInfo {
    const allocatedGpus = this.podFacts.allocatedGpus(name);
    return allocatedGpus === undefined ? info : { ...info, allocatedGpus };
  }

  private show(name: string, info: KubeNodeInfo): void {
    this.store.upsert({ id: name, name, target: this.targetOf(name), source: 'kubelet', labels: info.labels });
    this.store.setKube(name, this.withAllocation(name, info));
    const node = this.nodes.get(name);
    if (node) this.showPods(name, node, null);
  }

  private fromKubelet(node: NodeState, result: ScrapeSuccess): { derived: KubeletDerived; samples: number } | { error: string } {
    const parsed = read(this.kubeletPayloads, result, KUBELET_FAMILIES);
    if ('error' in parsed) return { error: `kubelet: ${parsed.error}` };
    const derived = node.kubelet.update(parsed.samples, result.startedAtMs, this.capacity(result.target.id));
    if (derived.scrapeError) return { error: 'kubelet: it could not collect the stats (resource_scrape_error 1)' };
    return { derived, samples: parsed.sampleLines };
  }

  /** --process-port's answer of the node's turn. */
  recordProcesses(name: string, result: ScrapeResult): void {
    this.nodes.get(name)?.companions.fromProcessPort(result, this.processPayloads);
  }

  private fromExporter(node: NodeState, result: ScrapeSuccess): { figures: NodeFigures; samples: number; parsed: ParseResult['samples'] } | { error: string; parsed?: ParseResult['samples'] } {
    const parsed = read(this.exporterPayloads, result, EXPORTER_FAMILIES);
    if ('error' in parsed) return parsed;
    const derived = node.exporter.update(parsed.samples, result.startedAtMs);
    return derived.source === 'node_exporter' ? { figures: derived.figures, samples: parsed.sampleLines, parsed: parsed.samples } : { error: 'no node_ metrics', parsed: parsed.samples };
  }

  private record(name: string, result: ScrapeSuccess, source: NodeSource, figures: NodeFigures, samples: number): void {
    const scrape = { atMs: result.startedAtMs, durationMs: result.durationMs, bodyBytes: result.bodyBytes, wireBytes: result.wireBytes, samples };
    this.report.up(name, scrape, { name, source, figures });
  }
}

function read(payloads: PayloadReader, result: ScrapeSuccess, families: ReadonlySet<string>): ParseResult | { error: string } {
  const parsed = payloads.read(result.takeBody(), result.contentType, families);
  return typeof parsed === 'string' ? { error: parsed } : parsed;
}
