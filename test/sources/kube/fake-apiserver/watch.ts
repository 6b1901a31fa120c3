import type { ServerResponse } from 'node:http';
import type { WatchEventType } from './k8s-types.js';
import { expired } from './status.js';
import type { Change, ObjectStore, StoredObject } from './store.js';

export interface WatchEvent {
  type: WatchEventType;
  object: unknown;
}

export interface WatchRequest<T extends StoredObject> {
  store: ObjectStore<T>;
  kind: string;
  matches: (object: T) => boolean;
  /** The query's resourceVersion: unset and "0" both start with the current state as ADDED events. */
  resourceVersion: string | null;
  allowBookmarks: boolean;
  timeoutSeconds: number | undefined;
  /** How each object is written: itself, or a Table row when the client asked for tables. */
  encode: (object: T, first: boolean) => unknown;
  currentRevision: () => number;
}

interface OpenWatch {
  bookmark(): void;
  end(abrupt: boolean): void;
}

/** Which event, if any, a watch with a selector sees for a change: objects entering or leaving it too. */
function project<T extends StoredObject>(change: Change<T>, matches: (o: T) => boolean): WatchEventType | undefined {
  const before = change.previous !== undefined && matches(change.previous);
  if (change.type === 'DELETED') return before ? 'DELETED' : undefined;
  const after = matches(change.object);
  if (after) return before ? 'MODIFIED' : 'ADDED';
  return before ? 'DELETED' : undefined;
}

/** The open watch streams, which tests can bookmark, break or outlive. */
export class WatchHub {
  private readonly open = new Set<OpenWatch>();

  get count(): number {
    return this.open.size;
  }

  serve<T extends StoredObject>(res: ServerResponse, w: WatchRequest<T>): void {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    let first = true;
    const send = (type: WatchEventType, object: unknown): void => {
      res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const sendObject = (type: WatchEventType, object: T): void => {
      send(type, w.encode(object, first));
      first = false;
    };

    const rv = w.resourceVersion === null || w.resourceVersion === '' || w.resourceVersion === '0' ? undefined : Number(w.resourceVersion);
    const backlog = rv === undefined ? undefined : w.store.since(rv);
    if (backlog && !Array.isArray(backlog)) {
      // The watch cache answers a too-old resourceVersion inside the stream, not with an HTTP status.
      send('ERROR', expired(backlog.expired));
      res.end();
      return;
    }
    const onChange = (change: Change<T>): void => {
      const type = project(change, w.matches);
      if (type) sendObject(type, change.object);
    };
    if (backlog) {
      for (const change of backlog) onChange(change);
    } else {
      for (const object of w.store.list().filter(w.matches)) sendObject('ADDED', object);
    }
    const unsubscribe = w.store.subscribe(onChange);
    // Forgotten before the stream ends, so a client that saw the end never sees the watch still counted.
    const forget = (): void => {
      unsubscribe();
      clearTimeout(timer);
      this.open.delete(watch);
    };
    const timer = w.timeoutSeconds === undefined ? undefined : setTimeout(() => watch.end(false), w.timeoutSeconds * 1000);
    const watch: OpenWatch = {
      bookmark: () => {
        if (w.allowBookmarks) {
          send('BOOKMARK', { kind: w.kind, apiVersion: 'v1', metadata: { resourceVersion: String(w.currentRevision()), creationTimestamp: null } });
        }
      },
      end: (abrupt) => {
        forget();
        if (abrupt) res.destroy();
        else res.end();
      },
    };
    this.open.add(watch);
    res.once('close', forget);
  }

  bookmark(): void {
    for (const w of this.open) w.bookmark();
  }

  /** Ends every open watch: cleanly, as at its timeout or an apiserver shutdown, or by dropping the connection. */
  breakAll(abrupt: boolean): void {
    for (const w of [...this.open]) w.end(abrupt);
  }
}
