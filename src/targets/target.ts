/** A metrics endpoint to scrape, as the scraper and the pipeline see it. */
export interface Target {
  /** Stable key: the URL without credentials. */
  readonly id: string;
  /** Where to send the request (may carry user:password for basic auth). */
  readonly url: URL;
  /** The URL as shown to people: never contains a password. */
  readonly displayUrl: string;
  /** Host part of the URL, the fallback node name. */
  readonly host: string;
  /** Extra labels from discovery (job, instance, static labels); empty for plain lists. */
  readonly labels: Readonly<Record<string, string>>;
}
