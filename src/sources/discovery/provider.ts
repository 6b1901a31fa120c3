import type { Target } from '../../targets/target.js';

/** One source of targets that come and go: DNS names, or file_sd files. */
export interface TargetProvider {
  /** The targets as of the last refresh; after a failed one, the last known. */
  readonly targets: readonly Target[];
  /** A line for the header about the last refresh (a failed lookup, a broken file), or undefined. */
  readonly notice: string | undefined;
  /** How often to look again, in ms; undefined: at every scrape interval. */
  readonly refreshMs: number | undefined;
  /** Looks again. Never rejects: a failure is the notice, and the last known targets stay. */
  refresh(): Promise<void>;
  /** Starts telling of changes as they happen (file_sd watches its files); `changed` asks for a refresh. */
  watch?(changed: () => void): void;
  close(): void;
}

/** The message of a failure, whatever was thrown. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
