/** Default timeout: below the interval so a slow target cannot overlap its own next turn. */
export function effectiveTimeoutMs(options: { readonly timeoutMs?: number | undefined; readonly intervalMs: number }): number {
  return options.timeoutMs ?? defaultTimeoutMs(options.intervalMs);
}

/** The timeout when none is given: most of the interval, at most 10 s (Prometheus's default). */
export function defaultTimeoutMs(intervalMs: number): number {
  return Math.min(10_000, Math.floor(intervalMs * 0.8));
}
