import { Semaphore } from '../../scrape/semaphore.js';

/** Runs the tasks, at most `limit` at once, and settles them all: one failure does not hide the others. */
export function settleLimited<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<PromiseSettledResult<T>[]> {
  const semaphore = new Semaphore(limit);
  return Promise.allSettled(
    tasks.map(async (task) => {
      const release = await semaphore.acquire();
      try {
        return await task();
      } finally {
        release();
      }
    }),
  );
}
