/**
 * Seeded randomness for the simulator. Everything a simulated node shows is a function of its
 * seed (and the moment asked for), so two runs with the same seed print the same payloads.
 */

/** A 32-bit integer hash of two integers (murmur3's finaliser), for stateless per-moment noise. */
export function hash32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** hash32 mapped to [0, 1). */
export function hashUnit(a: number, b: number): number {
  return hash32(a, b) / 4294967296;
}

/** A small, fast seeded generator (mulberry32) for building a node's fixed traits. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = hash32(seed | 0, 0x5eed) | 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.next());
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(items.length * this.next())];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  hex(digits: number): string {
    let out = '';
    for (let i = 0; i < digits; i++) out += Math.floor(16 * this.next()).toString(16);
    return out;
  }
}
