import type { ObjectMeta } from './k8s-types.js';

export interface StoredObject {
  metadata: ObjectMeta;
}

export interface Change<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
  /** The object as it was before this change, for watches with selectors to see objects leave them. */
  previous?: T;
  rv: number;
}

/** etcd's revision: one counter shared by every kind, so resourceVersions are comparable across them. */
export class Revision {
  current = 1;

  next(): number {
    return ++this.current;
  }
}

/** Like the watch cache's sliding window; past it, old resourceVersions expire. */
const HISTORY_CAPACITY = 1000;

const keyOf = (meta: ObjectMeta): string => (meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name);

/** One resource's objects, their change history and the listeners (open watches) told of each change. */
export class ObjectStore<T extends StoredObject> {
  private readonly objects = new Map<string, T>();
  private history: Change<T>[] = [];
  /** A watch from a resourceVersion below this has missed events: it gets 410 Expired. */
  private floor = 0;
  private readonly listeners = new Set<(change: Change<T>) => void>();

  constructor(private readonly revision: Revision) {}

  list(): T[] {
    return [...this.objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Adds or replaces the object, giving it the next resourceVersion. Stored objects are never mutated. */
  put(object: T): T {
    const stored = structuredClone(object);
    const rv = this.revision.next();
    stored.metadata.resourceVersion = String(rv);
    const key = keyOf(stored.metadata);
    const previous = this.objects.get(key);
    this.objects.set(key, stored);
    this.record(previous ? { type: 'MODIFIED', object: stored, previous, rv } : { type: 'ADDED', object: stored, rv });
    return stored;
  }

  remove(name: string, namespace?: string): T | undefined {
    const key = namespace ? `${namespace}/${name}` : name;
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    this.objects.delete(key);
    const rv = this.revision.next();
    const object = structuredClone(previous);
    object.metadata.resourceVersion = String(rv);
    this.record({ type: 'DELETED', object, previous, rv });
    return object;
  }

  /** Whether history from `rv` on is gone (compacted, or past the window). */
  isExpired(rv: number): boolean {
    return rv < this.floor;
  }

  /** The changes after `rv`, or the watch cache's "too old" message when some of them are gone. */
  since(rv: number): Change<T>[] | { expired: string } {
    if (this.isExpired(rv)) return { expired: `too old resource version: ${rv} (${this.floor})` };
    return this.history.filter((c) => c.rv > rv);
  }

  /** Forgets the history, as a compaction or a watch cache restart does. */
  compact(): void {
    this.history = [];
    this.floor = this.revision.current;
  }

  subscribe(listener: (change: Change<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(change: Change<T>): void {
    this.history.push(change);
    if (this.history.length > HISTORY_CAPACITY) {
      const dropped = this.history.shift();
      if (dropped) this.floor = dropped.rv;
    }
    for (const listener of [...this.listeners]) listener(change);
  }
}
