/**
 * Open files against the process's limit. A scrape keeps one keep-alive connection per target,
 * so N targets hold about N descriptors at once plus Node's own few dozen; past the limit
 * (`ulimit -n`) every connect fails with EMFILE, target by target. Said once, up front, instead.
 * Node raises its soft limit to the hard one at start, so the soft limit read here is the real one.
 */
import { readFileSync } from 'node:fs';

/** Descriptors a run holds besides its connections (stdio, the event loop, the terminal, files). */
export const BASE_DESCRIPTORS = 64;

/** The soft open-files limit where /proc tells it (Linux); undefined elsewhere or unlimited. */
export function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    const n = Number(soft);
    return soft === undefined || !Number.isFinite(n) ? undefined : n;
  } catch {
    return undefined;
  }
}

/** Descriptors `targets` scraped targets hold at once. */
export function descriptorsNeeded(targets: number): number {
  return targets + BASE_DESCRIPTORS;
}

/** One line when `targets` targets need more descriptors than `limit` allows, else undefined. */
export function descriptorShortage(targets: number, limit: number | undefined = openFilesLimit()): string | undefined {
  const need = descriptorsNeeded(targets);
  if (limit === undefined || need <= limit) return undefined;
  // A round figure with room to grow: the next multiple of 1,024 above twice the need.
  const suggest = Math.ceil((2 * need) / 1024) * 1024;
  return `${targets} targets need about ${need} open files (a connection each) but the limit is ${limit}: raise it with ulimit -n ${suggest}`;
}
