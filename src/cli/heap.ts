/**
 * V8's heap setting for a long-running monitor, applied by the launcher three seconds in: V8
 * reads it at every collection, and the start-up (module code, first frames) loads faster without
 * it (about 30 ms less CPU before the first frame, 5 %).
 *
 * Objects that live about one scrape interval (each node's latest figures, a scrape's state, ink's
 * frame) outlive V8's young-generation collections and go to the old generation, about 4 MB a second
 * at 1,000 nodes. By default V8 lets the old generation grow to about twice what a full collection
 * left before collecting again, which put the view at 1,000 nodes at 205-267 MB of RSS. Growing by
 * half instead keeps it under 190 MB at a cost measured within the noise of the CPU figures (docs/performance.md,
 * Scale). `--optimize-for-size` did more for memory but cost 0.05-0.1 CPU seconds a second.
 */
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 50;

/** The V8 flags to set, or none when the user started node with a heap-growing setting of their own. */
export function heapFlags(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

export function tuneHeap(execArgv: readonly string[] = process.execArgv): void {
  const flags = heapFlags(execArgv);
  if (flags !== undefined) setFlagsFromString(flags);
}
