/** This machine: what runs when no source is asked for. It has no flags of its own, only the interval. */
export interface LocalFlags {
  readonly kind: 'local';
  readonly intervalMs: number;
}
