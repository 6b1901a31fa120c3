/**
 * Fixed-capacity ring of samples over typed arrays: one time column (float64 ms since epoch) and
 * any number of value columns (float32: history is for drawing; exact latest values are kept
 * elsewhere). Appending is O(1) and allocates nothing, so memory is fixed at construction and
 * independent of how long the program runs. A missing value is NaN (a gap in a chart).
 */
export class Ring<K extends string> {
  readonly capacity: number;
  private readonly times: Float64Array;
  private readonly columns: Record<K, Float32Array>;
  private head = 0; // index of the next write
  private count = 0;

  /** `storage`: where in a shared buffer the ring lives (RingPool); default a buffer of its own. */
  constructor(capacity: number, keys: readonly K[], storage?: { readonly buffer: ArrayBuffer; readonly offset: number }) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError('ring capacity must be an integer >= 2');
    this.capacity = capacity;
    const buffer = storage?.buffer ?? new ArrayBuffer(ringBytes(capacity, keys.length));
    const offset = storage?.offset ?? 0;
    this.times = new Float64Array(buffer, offset, capacity);
    const columns = {} as Record<K, Float32Array>;
    keys.forEach((key, k) => (columns[key] = new Float32Array(buffer, offset + capacity * (8 + 4 * k), capacity)));
    this.columns = columns;
  }

  get length(): number {
    return this.count;
  }

  /** Appends one row; keys absent from `values` get NaN. */
  push(timeMs: number, values: Partial<Record<K, number | null>>): void {
    const i = this.head;
    this.times[i] = timeMs;
    for (const key in this.columns) {
      const v = values[key];
      this.columns[key][i] = v === undefined || v === null ? NaN : v;
    }
    this.head = (i + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Physical index of the i-th oldest row (0 = oldest). */
  private slot(i: number): number {
    return (this.head - this.count + i + this.capacity) % this.capacity;
  }

  timeAt(i: number): number {
    return this.times[this.slot(i)] ?? NaN;
  }

  valueAt(key: K, i: number): number {
    return this.columns[key][this.slot(i)] ?? NaN;
  }

  latestTime(): number | null {
    return this.count === 0 ? null : this.timeAt(this.count - 1);
  }

  /**
   * Puts rows before the ones held (history loaded after the first live rows came in): `times`
   * oldest first, a column per key (absent keys and missing values NaN). Rows not older than the
   * oldest held are left out; of all, the newest `capacity` stay. Allocates only a copy of the
   * rows held.
   */
  prepend(times: ArrayLike<number>, columns: Partial<Record<K, ArrayLike<number>>>): void {
    const held = this.count;
    const heldTimes = new Float64Array(held);
    const heldColumns = {} as Record<K, Float32Array>;
    for (let i = 0; i < held; i++) heldTimes[i] = this.timeAt(i);
    for (const key in this.columns) {
      const copy = (heldColumns[key] = new Float32Array(held));
      for (let i = 0; i < held; i++) copy[i] = this.valueAt(key, i);
    }
    const before = held === 0 ? Infinity : heldTimes[0]!;
    let older = 0;
    while (older < times.length && times[older]! < before) older++;
    // Only the newest `capacity` rows survive: skip older ones that would be pushed out at once.
    const from = Math.max(0, older + held - this.capacity);
    this.clear();
    for (let r = from; r < older; r++) this.writeRow(times[r]!, (key) => columns[key]?.[r]);
    for (let i = 0; i < held; i++) this.writeRow(heldTimes[i]!, (key) => heldColumns[key][i]);
  }

  private writeRow(timeMs: number, value: (key: K) => number | undefined): void {
    const i = this.head;
    this.times[i] = timeMs;
    for (const key in this.columns) this.columns[key][i] = value(key) ?? NaN;
    this.head = (i + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Forgets every row (a replay jumping back in time); the memory stays allocated. */
  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** The last `n` values of a column, oldest first (fewer when the ring holds fewer). */
  tail(key: K, n: number = this.count): number[] {
    const take = Math.min(n, this.count);
    const out = new Array<number>(take);
    for (let j = 0; j < take; j++) out[j] = this.valueAt(key, this.count - take + j);
    return out;
  }

  /** Bytes held by the typed arrays: what the bytes-per-node figure of docs/architecture.md is made of. */
  get byteLength(): number {
    let bytes = this.times.byteLength;
    for (const key in this.columns) bytes += this.columns[key].byteLength;
    return bytes;
  }
}

/** Bytes of one ring's times and columns, rounded up so the next ring's times are 8-byte aligned. */
function ringBytes(capacity: number, keys: number): number {
  return Math.ceil((capacity * (8 + 4 * keys)) / 8) * 8;
}

/** Rings per shared buffer: 64 nodes' history of 300 rows is about 700 KB. */
const RINGS_PER_SLAB = 64;

/**
 * Rings of one shape cut from shared buffers, and given back when their node goes: a store of
 * 10,000 nodes makes 10,000 rings, and a buffer apiece (zeroed, tracked by the collector as
 * external memory) cost as much CPU as the rest of a 10,000-node refresh.
 */
export class RingPool<K extends string> {
  private readonly free: Ring<K>[] = [];
  private slab: ArrayBuffer | undefined;
  private used = RINGS_PER_SLAB;
  private readonly bytes: number;

  constructor(
    readonly capacity: number,
    private readonly keys: readonly K[],
  ) {
    this.bytes = ringBytes(capacity, keys.length);
  }

  /** An empty ring. */
  take(): Ring<K> {
    const reused = this.free.pop();
    if (reused !== undefined) {
      reused.clear();
      return reused;
    }
    if (this.slab === undefined || this.used === RINGS_PER_SLAB) {
      this.slab = new ArrayBuffer(this.bytes * RINGS_PER_SLAB);
      this.used = 0;
    }
    return new Ring(this.capacity, this.keys, { buffer: this.slab, offset: this.bytes * this.used++ });
  }

  /** A ring nobody reads any more, for the next take(). */
  give(ring: Ring<K>): void {
    this.free.push(ring);
  }
}
