/**
 * Where a target's GPUs go. A GPU exporter (dcgm-exporter, nvidia_gpu_exporter, AMD's exporter)
 * given beside a node's own target on the same host fills that node's GPUs and has no row of its
 * own; alone on its host it is a row of its own with GPUs. A node's own payload with GPU families
 * (the agent's) fills its own GPUs. The host join is targets/host-join.ts's: by port (9400, 9835,
 * `--gpu-port`) or, once a payload shows GPU families and no node families, by payload.
 */
import type { Sample } from '../../exposition/types.js';
import { GpuReader } from '../../metrics/gpu.js';
import type { ClusterStore } from '../../store/cluster-store.js';
import type { Target } from '../../targets/target.js';
import { HostJoin } from '../../targets/host-join.js';

export class GpuAttach {
  private readonly join = new HostJoin();
  private readonly readers = new Map<string, GpuReader>();

  constructor(private readonly store: ClusterStore) {}

  /** `declared`: ids of targets that are GPU exporters whatever their port (`--gpu-port`'s). */
  setTargets(targets: readonly Target[], declared: Iterable<string> = []): void {
    this.join.setTargets(targets, new Map([...declared].map((id) => [id, 'gpu' as const])));
    const keep = new Set(targets.map((t) => t.id));
    for (const id of this.readers.keys()) if (!keep.has(id)) this.readers.delete(id);
  }

  /** The node row a GPU exporter's figures go to; undefined when the target is a row of its own. */
  nodeFor(targetId: string): string | undefined {
    return this.join.kindOf(targetId) === 'gpu' ? this.join.nodeFor(targetId) : undefined;
  }

  /** A GPU exporter joined to a node: its payload is read here alone, not as a node or an app. */
  isJoined(targetId: string): boolean {
    return this.nodeFor(targetId) !== undefined;
  }

  /**
   * One successful payload of a target. `ownRow` is false for a node target whose payload has no
   * node families (an app): the first time such a payload shows GPUs, the target may turn out to
   * be a GPU exporter of a node's host, whose row must then go (returned true).
   */
  payload(targetId: string, samples: readonly Sample[], atMs: number, isApp: boolean): { movedUnderNode: boolean } {
    let reader = this.readers.get(targetId);
    if (!reader) this.readers.set(targetId, (reader = new GpuReader()));
    const gpus = reader.read(samples, atMs);
    let movedUnderNode = false;
    if (gpus !== null && isApp && this.join.kindOf(targetId) === undefined) movedUnderNode = this.join.markCompanion(targetId, 'gpu');
    const node = this.nodeFor(targetId);
    if (node !== undefined) {
      if (movedUnderNode) this.store.remove(targetId);
      this.store.recordGpus(node, atMs, gpus ?? []);
    } else if (gpus !== null) {
      // A node's payload without GPU families leaves alone the GPUs an exporter of its host gave it.
      this.store.recordGpus(targetId, atMs, gpus);
    }
    return { movedUnderNode };
  }

  /** A joined GPU exporter failed: its node's GPUs show the error; the node itself stays up. */
  failed(targetId: string, atMs: number, error: string): boolean {
    const node = this.nodeFor(targetId);
    if (node === undefined) return false;
    this.store.recordGpusDown(node, atMs, error);
    return true;
  }
}
