/**
 * The report of the scrape -> parse -> derive step: a node's refresh, good or failed, as the store
 * shows it, with the scrape health the header, the detail and the snapshot read.
 */
import { HealthBook, type SuccessRecord } from '../scrape/health.js';
import type { ClusterStore, NodeUpdate } from '../store/cluster-store.js';

export class NodeReport {
  private readonly health = new HealthBook();

  constructor(private readonly store: ClusterStore) {}

  /** A refresh that gave figures: its health, and one history row. */
  up(id: string, scrape: SuccessRecord, update: Omit<NodeUpdate, 'health'>): void {
    this.health.recordSuccess(id, scrape);
    this.store.record(id, scrape.atMs, { ...update, health: this.health.get(id) });
  }

  /** A failed refresh: the node shows as down with `error`, and its history gets a gap. */
  down(id: string, atMs: number, durationMs: number, error: string): void {
    this.health.recordFailure(id, { atMs, durationMs, error });
    this.store.recordDown(id, atMs, this.health.get(id));
  }

  /** The node left: a node of the same id later starts with no failures counted. */
  forget(id: string): void {
    this.health.delete(id);
  }
}
