/**
 * V8 hands out a substring of 13 characters or more as a view of the string it was sliced from: a
 * label value parsed from a payload keeps the whole payload (tens to hundreds of KB) alive for as
 * long as the value is held. Keys and names that outlive the scrape (a row in the store, a
 * counter's key) are copied off it: the slice of a concatenation is a fresh flat string.
 */
export function detach(s: string): string {
  return ` ${s}`.slice(1);
}

/** detach() for a value that may be missing. */
export function detachOrNull(s: string | null): string | null {
  return s === null ? null : detach(s);
}
