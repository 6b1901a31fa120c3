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
  /** Auth and TLS of this target's own (a Prometheus job's); absent: the scraper's options. */
  readonly scrape?: TargetScrape;
}

export interface TargetScrape {
  /**
   * The Authorization header's value (`Basic …`, `Bearer …`), asked before every scrape. A function,
   * so the secret is not a field: a target that is logged or serialized cannot show it.
   */
  readonly authorization?: () => string | undefined;
  /**
   * TLS settings in place of the scraper's. Connections are pooled per origin and `name`, so targets
   * of one origin with different settings never share a connection.
   */
  readonly tls?: { readonly name: string; readonly options: ScrapeTls };
  /** A scrape job's own interval and timeout, in place of the run's. */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
}

/** How to speak TLS to a target: the scraper's own settings (ScraperOptions.tls), or a target's. */
export interface ScrapeTls {
  readonly insecure?: boolean;
  readonly ca?: string | Buffer;
  /** Trust `ca` alone, not the system roots too, as kubectl trusts a kubeconfig's CA. */
  readonly caOnly?: boolean;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** The name the certificate must be valid for, when not the URL's host. */
  readonly servername?: string;
}
