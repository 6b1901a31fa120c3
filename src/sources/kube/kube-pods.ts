/**
 * The cluster's pods that are not finished, listed and watched (list-watch.ts), each kept as its
 * PodFacts only, by node. Changes are handed on once per burst (a list brings thousands), as the
 * names of the nodes whose pods changed. A viewer that may not list pods gets none, and one notice.
 */
import { ApiError, type KubeApi } from './api-client.js';
import { ListWatch } from './list-watch.js';
import { ACTIVE_PODS_SELECTOR, readPod, type PodFacts } from './pod-info.js';

/** What is kept of a pod under its node: three small fields (its phase is one of five shared strings). */
export type KeptPod = Omit<PodFacts, 'node'>;

interface NodePods {
  /** The node's name, one string for all its pods. */
  readonly name: string;
  readonly pods: Map<string, KeptPod>;
}

export class KubePods {
  /** node → `namespace/name` → facts; a pod not yet scheduled is under ''. */
  private readonly byNode = new Map<string, NodePods>();
  /** `namespace/name` → its node, to find it when it goes. */
  private readonly nodeOf = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private flushQueued = false;
  private readonly watcher: ListWatch<PodFacts>;
  private listed = false;
  private problemNow: ApiError | undefined;

  constructor(
    api: KubeApi,
    /** The nodes whose pods changed, once per burst of changes. */
    private readonly onChange: (nodes: ReadonlySet<string>) => void,
    pollMs: () => number,
  ) {
    this.watcher = new ListWatch({
      api,
      path: '/api/v1/pods',
      query: { fieldSelector: ACTIVE_PODS_SELECTOR },
      read: readPod,
      onUpsert: (key, facts) => this.upsert(key, facts),
      onRemove: (key) => this.remove(key),
      // Relisting (watching refused, listing allowed) keeps the pods current all the same, a list per pollMs.
      onProblem: (error, relisting) => {
        this.problemNow = relisting ? undefined : error;
        if ((error === undefined || relisting) && !this.listed) {
          this.listed = true;
          for (const node of this.byNode.keys()) this.changed(node);
        }
      },
      pollMs,
    });
  }

  /** Whether the pods have been listed: until then (or without permission) nodes have no facts of pods. */
  get known(): boolean {
    return this.listed;
  }

  /** What keeps the pods from being listed now; undefined when they are. */
  get problem(): ApiError | undefined {
    return this.problemNow;
  }

  /** The node's pods by `namespace/name`; undefined while the pods are not known. */
  on(node: string): ReadonlyMap<string, KeptPod> | undefined {
    if (!this.listed) return undefined;
    return this.byNode.get(node)?.pods ?? EMPTY;
  }

  /** The node a pod runs on ('' not yet scheduled), by `namespace/name`; undefined for a pod not known. */
  nodeOfPod(key: string): string | undefined {
    return this.nodeOf.get(key);
  }

  /** GPUs the node's pods hold; undefined while the pods are not known. */
  allocatedGpus(node: string): number | undefined {
    const pods = this.on(node);
    if (!pods) return undefined;
    let sum = 0;
    for (const p of pods.values()) sum += p.gpus;
    return sum;
  }

  start(): void {
    this.watcher.start();
  }

  /** One list (for --once); a refusal is kept as the problem, not thrown. */
  async list(): Promise<void> {
    try {
      await this.watcher.list();
      this.problemNow = undefined;
      if (!this.listed) {
        this.listed = true;
        for (const node of this.byNode.keys()) this.changed(node);
      }
    } catch (error) {
      this.problemNow = error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 0);
    }
  }

  stop(): Promise<void> {
    return this.watcher.stop();
  }

  private upsert(key: string, facts: PodFacts): void {
    const was = this.nodeOf.get(key);
    if (was !== undefined && was !== facts.node) this.remove(key);
    // Pods change often (conditions, IPs, probes): only a change of what is kept reaches the view.
    const kept = was === facts.node ? this.byNode.get(was)?.pods.get(key) : undefined;
    if (kept && kept.phase === facts.phase && kept.gpus === facts.gpus && kept.restarts === facts.restarts) return;
    let node = this.byNode.get(facts.node);
    if (!node) this.byNode.set(facts.node, (node = { name: facts.node, pods: new Map() }));
    node.pods.set(key, { phase: facts.phase, gpus: facts.gpus, restarts: facts.restarts });
    this.nodeOf.set(key, node.name);
    this.changed(node.name);
  }

  private remove(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const pods = this.byNode.get(node)?.pods;
    pods?.delete(key);
    if (pods?.size === 0) this.byNode.delete(node);
    this.changed(node);
  }

  private changed(node: string): void {
    if (node === '' || !this.listed) return;
    this.dirty.add(node);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      const nodes = new Set(this.dirty);
      this.dirty.clear();
      this.onChange(nodes);
    });
  }
}

const EMPTY: ReadonlyMap<string, KeptPod> = new Map();
