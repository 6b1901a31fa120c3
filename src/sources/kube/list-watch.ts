/**
 * Keeps a collection (nodes, pods) current as a reflector does: list (in pages), then watch from
 * the list's resourceVersion with bookmarks. A watch the server ends is resumed from the last
 * resourceVersion seen; a 410 Expired (the history it needs is gone) or a broken connection
 * means a fresh list. Failures back off, doubling up to 30 s; when watching is forbidden but
 * listing is not, the collection is re-listed every `pollMs`.
 */
import { ApiError, type KubeApi } from './api-client.js';
import { isFields } from './json.js';
import { StoppableSleep } from '../../util/stoppable-sleep.js';

export interface ListWatchOptions<T> {
  readonly api: KubeApi;
  /** The collection's path, such as /api/v1/nodes. */
  readonly path: string;
  /** Selectors and the like, on the list and the watch alike. */
  readonly query?: Readonly<Record<string, string>>;
  /** The key and what to keep of an object; undefined skips an object that is not one. */
  readonly read: (object: unknown) => { readonly key: string; readonly value: T } | undefined;
  readonly onUpsert: (key: string, value: T) => void;
  readonly onRemove: (key: string) => void;
  /**
   * What stands in the way now, or undefined once the collection is current again; `relisting`:
   * the problem is a refused watch, and re-listing keeps the collection current instead.
   */
  readonly onProblem?: (problem: ApiError | undefined, relisting: boolean) => void;
  readonly pollMs: () => number;
}

const PAGE_SIZE = 500;
const MAX_PAGES = 1000;
const MAX_BACKOFF_MS = 30_000;
const FIRST_BACKOFF_MS = 250;

/** The server no longer has the history a watch asked for: list again. */
class Expired extends Error {}

export class ListWatch<T> {
  private keys = new Set<string>();
  private resourceVersion = '';
  private readonly controller = new AbortController();
  private running: Promise<void> | undefined;
  private readonly pause = new StoppableSleep();

  constructor(private readonly options: ListWatchOptions<T>) {}

  /** Lists the whole collection and brings the callbacks in line with it; throws ApiError. */
  async list(): Promise<void> {
    const seen = new Set<string>();
    let token: string | undefined;
    let resourceVersion = '';
    for (let page = 0; page < MAX_PAGES && (page === 0 || token); page++) {
      const answer = await this.options.api.getJson(this.path({ limit: String(PAGE_SIZE), ...(token ? { continue: token } : {}) }));
      const items = isFields(answer) && Array.isArray(answer.items) ? answer.items : [];
      const metadata = isFields(answer) && isFields(answer.metadata) ? answer.metadata : {};
      for (const item of items) {
        const read = this.options.read(item);
        if (!read) continue;
        seen.add(read.key);
        this.options.onUpsert(read.key, read.value);
      }
      token = typeof metadata.continue === 'string' && metadata.continue !== '' ? metadata.continue : undefined;
      if (typeof metadata.resourceVersion === 'string') resourceVersion = metadata.resourceVersion;
    }
    for (const key of this.keys) if (!seen.has(key)) this.options.onRemove(key);
    this.keys = seen;
    this.resourceVersion = resourceVersion;
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.pause.stop();
    this.controller.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let current = false;
    let watching = false;
    /** Set once the server refuses the watch: from then on the collection is re-listed every pollMs. */
    let watchForbidden: ApiError | undefined;
    while (!this.pause.stopped) {
      try {
        watching = false;
        if (!current) await this.list();
        current = true;
        this.options.onProblem?.(watchForbidden, watchForbidden !== undefined);
        if (watchForbidden) {
          current = false;
          await this.pause.sleep(this.options.pollMs());
          continue;
        }
        watching = true;
        await this.watch();
        failures = 0;
      } catch (error) {
        if (this.pause.stopped) return;
        current = false;
        if (error instanceof Expired) continue;
        const problem = error instanceof ApiError ? error : new ApiError(String(error), 0);
        if (problem.status === 403 && watching) {
          watchForbidden = problem;
          continue;
        }
        this.options.onProblem?.(problem, false);
        failures++;
        await this.pause.sleep(Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1)));
      }
    }
  }

  /** One watch stream, until the server ends it; throws Expired or ApiError. */
  private async watch(): Promise<void> {
    // As client-go's reflector: a timeout of 5 to 10 minutes, so watches of many clients spread out.
    const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
    const path = this.path({ watch: '1', resourceVersion: this.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(timeoutSeconds) });
    for await (const event of this.options.api.watch(path, this.controller.signal, (timeoutSeconds + 30) * 1000)) {
      const object = isFields(event.object) ? event.object : {};
      if (event.type === 'ERROR') {
        const code = typeof object.code === 'number' ? object.code : 0;
        if (code === 410) throw new Expired();
        throw new ApiError(`watch ${this.options.path}: ${typeof object.message === 'string' ? object.message : `error ${code}`}`, code);
      }
      const metadata = isFields(object.metadata) ? object.metadata : {};
      if (typeof metadata.resourceVersion === 'string') this.resourceVersion = metadata.resourceVersion;
      const read = event.type === 'BOOKMARK' ? undefined : this.options.read(object);
      if (!read) continue;
      if (event.type === 'DELETED') {
        this.keys.delete(read.key);
        this.options.onRemove(read.key);
      } else {
        this.keys.add(read.key);
        this.options.onUpsert(read.key, read.value);
      }
    }
  }

  private path(params: Readonly<Record<string, string>>): string {
    return `${this.options.path}?${new URLSearchParams({ ...this.options.query, ...params }).toString()}`;
  }

}
