/** At most `limit` holders at once; the others wait in arrival order. The limit may change while held. */
export class Semaphore {
  private limit: number;
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.limit = checkedLimit(limit);
  }

  get size(): number {
    return this.limit;
  }

  /**
   * A new limit: a higher one lets waiters in at once; under a lower one, holders past it keep
   * their places until they release, and nobody new gets in until the count is under it.
   */
  setLimit(limit: number): void {
    this.limit = checkedLimit(limit);
    while (this.held < this.limit) {
      const next = this.waiting.shift();
      if (next === undefined) break;
      this.held += 1;
      next();
    }
  }

  /** Resolves with the release function once a place is free; call it exactly once. */
  async acquire(): Promise<() => void> {
    if (this.held < this.limit) {
      this.held += 1;
    } else {
      // The releaser hands its place straight to us, so `held` is unchanged.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Past a lowered limit the place is given up, not handed on.
      const next = this.held <= this.limit ? this.waiting.shift() : undefined;
      if (next === undefined) this.held -= 1;
      else next();
    };
  }
}

function checkedLimit(limit: number): number {
  if (!(limit >= 1)) throw new RangeError('a semaphore needs a limit of at least 1');
  return limit;
}
