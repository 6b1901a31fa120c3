/**
 * Node and pod figures from the metrics API, every interval, while the kubelets cannot be reached.
 * Its pod metrics do not say where a pod runs: the source's pod list (kube-pods.ts) does; without
 * permission for that, nodes just have no pods.
 */
import type { PodFigures } from '../../metrics/kube-figures.js';
import { ApiError, type KubeApi } from './api-client.js';
import type { KubeNodes } from './kube-nodes.js';
import type { KubePods } from './kube-pods.js';
import { readMetricsApi } from './metrics-api.js';

export class MetricsApiPoller {
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private stopped = false;

  /** `closed`: the metrics API cannot serve at all (forbidden, not installed); returns whether to stop asking. */
  constructor(
    private readonly api: KubeApi,
    private readonly nodes: KubeNodes,
    private readonly closed: (error: ApiError) => boolean,
    private readonly pods: Pick<KubePods, 'known' | 'nodeOfPod' | 'list'>,
  ) {}

  start(intervalMs: () => number): void {
    this.running ??= this.loop(intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  /** One reading of every node and pod. */
  async poll(): Promise<void> {
    const started = Date.now();
    // --once: one list of the pods is enough; when running, the source keeps them current with a watch.
    if (this.running === undefined && !this.pods.known) await this.pods.list();
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
      const node = this.pods.nodeOfPod(key);
      if (node === undefined || node === '') continue;
      let list = byNode.get(node);
      if (!list) byNode.set(node, (list = []));
      list.push(pod);
    }
    const durationMs = Date.now() - started;
    for (const name of this.nodes.names()) {
      this.nodes.recordUsage(name, reading.nodes.get(name), started, durationMs, this.pods.known ? (byNode.get(name) ?? []) : null);
    }
  }

  private async loop(intervalMs: () => number): Promise<void> {
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
