/**
 * `--gpu-port` with Kubernetes: each node's GPU exporter, read through the API server's node proxy
 * in the node's scrape turn, fills the node's GPUs; a failure is the node's GPU error only.
 */
import { parseExposition } from '../../exposition/parser.js';
import { ExpositionError } from '../../exposition/types.js';
import { GpuReader } from '../../metrics/gpu.js';
import type { ScrapeResult } from '../../scrape/types.js';
import type { ClusterStore } from '../../store/cluster-store.js';

/** Samples kept from one GPU payload at most: 8 GPUs × a few hundred fields is far below. */
const MAX_SAMPLES = 50_000;

export class KubeGpus {
  private readonly readers = new Map<string, GpuReader>();

  constructor(private readonly store: ClusterStore) {}

  record(node: string, result: ScrapeResult): void {
    if (!this.store.get(node)) {
      this.readers.delete(node);
      return;
    }
    if (!result.ok) {
      this.store.recordGpusDown(node, result.startedAtMs, result.error);
      return;
    }
    let samples;
    try {
      samples = parseExposition(result.takeBody(), { maxSamples: MAX_SAMPLES }).samples;
    } catch (error) {
      this.store.recordGpusDown(node, result.startedAtMs, `invalid GPU metrics payload: ${error instanceof ExpositionError ? error.message : 'unreadable'}`);
      return;
    }
    let reader = this.readers.get(node);
    if (!reader) this.readers.set(node, (reader = new GpuReader()));
    this.store.recordGpus(node, result.startedAtMs, reader.read(samples, result.startedAtMs) ?? []);
  }
}
