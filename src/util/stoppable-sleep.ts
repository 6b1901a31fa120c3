/**
 * Waiting between refreshes in a loop that must end at once when stopped: stop() resolves the
 * pending wait, and every later wait resolves immediately.
 */
export class StoppableSleep {
  private wake: (() => void) | undefined;
  private stoppedFlag = false;

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stoppedFlag) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  stop(): void {
    this.stoppedFlag = true;
    this.wake?.();
  }
}
