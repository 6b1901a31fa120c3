/** What the simulator's tests share: a node spec to vary, and ways to name what a payload holds. */
import type { Sample } from '../../src/exposition/types.js';
import type { SimNodeSpec } from '../../src/simulator/sim-node.js';

export const GIB = 1024 ** 3;
export const BOOT = Date.UTC(2026, 0, 10);

export const spec = (over: Partial<SimNodeSpec> = {}): SimNodeSpec => ({
  name: 'sim-node-007',
  cores: 8,
  memoryBytes: 32 * GIB,
  seed: 42,
  baseLoad: 0.3,
  bootTimeMs: BOOT,
  ...over,
});

export function seriesKey(s: Sample): string {
  return `${s.name}${JSON.stringify(s.labels)}`;
}

/** Family names in payload order, from the TYPE line node_exporter writes for each. */
export function familyNames(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);
}
