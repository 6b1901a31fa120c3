/**
 * The parse of the scrape -> parse -> derive step: one payload's samples, bounded, through a line
 * cache shared by the endpoints of one kind. Every scraping source reads its payloads here.
 */
import { parseExposition, formatFromContentType } from '../exposition/parser.js';
import { LineCache } from '../exposition/line-cache.js';
import { ExpositionError, type ParseResult } from '../exposition/types.js';

/** Samples kept from one payload at most: a runaway endpoint cannot exhaust memory. */
export const MAX_SAMPLES = 200_000;

export class PayloadReader {
  // Exporters of one version write the same lines, node after node: one cache for each kind of endpoint.
  private readonly lines = new LineCache();

  constructor(private readonly maxSamples = MAX_SAMPLES) {}

  /** The payload's samples (of `families` only, when given), or the target's error when it is no metrics payload. */
  read(text: string, contentType: string, families: ReadonlySet<string> | undefined): ParseResult | string {
    try {
      return parseExposition(text, { format: formatFromContentType(contentType), families, maxSamples: this.maxSamples, cache: this.lines });
    } catch (error) {
      const reason = error instanceof ExpositionError ? error.message : 'unreadable payload';
      return `invalid metrics payload: ${reason}`;
    }
  }
}
