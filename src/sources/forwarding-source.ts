import type { ClusterStore } from '../store/cluster-store.js';
import type { Source } from './source.js';

/**
 * A source that adds something around another (a simulator to stop with it, a recording, the
 * targets discovery finds): what it does not override goes to the inner source. A replay's clock
 * (clockMs, setPaused, seek) is not passed on: none of the wrappers wraps a replay.
 */
export abstract class ForwardingSource<S extends Source = Source> implements Source {
  constructor(protected readonly inner: S) {}

  get store(): ClusterStore {
    return this.inner.store;
  }

  get interval(): number {
    return this.inner.interval;
  }

  get notice(): string | undefined {
    return this.inner.notice;
  }

  get warning(): string | undefined {
    return this.inner.warning;
  }

  get partial(): string | undefined {
    return this.inner.partial;
  }

  start(): void {
    this.inner.start();
  }

  collectOnce(): Promise<void> {
    return this.inner.collectOnce();
  }

  setIntervalMs(ms: number): void {
    this.inner.setIntervalMs(ms);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
