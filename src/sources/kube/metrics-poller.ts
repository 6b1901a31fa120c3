/**
 * Node and pod figures from the metrics API, every interval, while the kubelets cannot be reached.
 * Its pod metrics do not say where a pod runs, so the running pods are listed (and watched while
 * running) for their nodes; without permission for that, nodes just have no pods.
 */
import type { PodFigures } from '../../metrics/kube-figures.js';
import { ApiError, type KubeApi } from './api-client.js';
import { fields, isFields } from './json.js';
import type { KubeNodes } from './kube-nodes.js';
import { ListWatch } from './list-watch.js';
import { readMetricsApi } from './metrics-api.js';

export class MetricsApiPoller {
  /** `namespace/name` → node. */
  private readonly podNodes = new Map<string, string>();
  private readonly pods: ListWatch<string>;
  private podsKnown = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private stopped = false;

  /** `closed`: the metrics API cannot serve at all (forbidden, not installed); returns whether to stop asking. */
  constructor(
    private readonly api: KubeApi,
    private readonly nodes: KubeNodes,
    private readonly closed: (error: ApiError) => boolean,
  ) {
    this.pods = new ListWatch({
      api,
      path: '/api/v1/pods',
      query: { fieldSelector: 'status.phase=Running' },
      read: readPodNode,
      onUpsert: (key, node) => this.podNodes.set(key, node),
      onRemove: (key) => this.podNodes.delete(key),
      onProblem: (error) => (this.podsKnown = error === undefined),
      pollMs: () => 60_000,
    });
  }

  start(intervalMs: () => number): void {
    this.running ??= this.loop(intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await Promise.all([this.running, this.pods.stop()]);
  }

  /** One reading of every node and pod. */
  async poll(): Promise<void> {
    const started = Date.now();
    if (this.running === undefined && !this.podsKnown) {
      // --once: one list of the pods is enough; a running poller keeps them current with a watch.
      this.podsKnown = await this.pods.list().then(() => true, () => false);
    }
    let reading;
    try {
      reading = await readMetricsApi(this.api);
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(String(error), 0);
      if (this.closed(problem)) return;
      for (const name of this.nodes.names()) this.nodes.markDown(name, started, Date.now() - started, `metrics API: ${problem.message}`);
      return;
    }
    const byNode = new Map<string, PodFigures[]>();
    for (const [key, pod] of reading.pods) {
      const node = this.podNodes.get(key);
      if (node === undefined) continue;
      let list = byNode.get(node);
      if (!list) byNode.set(node, (list = []));
      list.push(pod);
    }
    const durationMs = Date.now() - started;
    for (const name of this.nodes.names()) {
      this.nodes.recordUsage(name, reading.nodes.get(name), started, durationMs, this.podsKnown ? (byNode.get(name) ?? []) : null);
    }
  }

  private async loop(intervalMs: () => number): Promise<void> {
    this.pods.start();
    while (!this.stopped) {
      const started = Date.now();
      await this.poll();
      const wait = started + intervalMs() - Date.now();
      if (wait <= 0 || this.stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

function readPodNode(object: unknown): { key: string; value: string } | undefined {
  if (!isFields(object)) return undefined;
  const { name, namespace } = fields(object.metadata);
  const node = fields(object.spec).nodeName;
  if (typeof name !== 'string' || typeof namespace !== 'string' || typeof node !== 'string') return undefined;
  return { key: `${namespace}/${name}`, value: node };
}
