/** At most `limit` holders at once; the others wait in arrival order. */
export class Semaphore {
  private readonly limit: number;
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(limit: number) {
    if (!(limit >= 1)) throw new RangeError('a semaphore needs a limit of at least 1');
    this.limit = limit;
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
      const next = this.waiting.shift();
      if (next === undefined) this.held -= 1;
      else next();
    };
  }
}
