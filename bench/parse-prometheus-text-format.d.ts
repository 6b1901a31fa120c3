// The package ships no types; only what the benchmark and the tests read is declared.
declare module 'parse-prometheus-text-format' {
  export interface PeerMetric {
    readonly value?: string;
    readonly labels?: Record<string, string>;
    readonly timestamp_ms?: string;
    readonly buckets?: Record<string, string>;
    readonly quantiles?: Record<string, string>;
    readonly count?: string;
    readonly sum?: string;
  }
  export interface PeerFamily {
    readonly name: string;
    readonly help: string;
    readonly type: string;
    readonly metrics: PeerMetric[];
  }
  export default function parsePrometheusTextFormat(text: string): PeerFamily[];
}
