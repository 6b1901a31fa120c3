/**
 * The real Prometheus (2.42 from Debian) scraping the same targets at the same interval, on
 * loopback with a throw-away TSDB: its CPU and RSS from /proc, and the share of scrapes it missed.
 */
import { startPrometheus } from '../../test/helpers/prometheus-server.js';
import { killIfAlive, sleep, Span, type SpanFigures } from './proc.js';

const STOP_GRACE_MS = 30_000;

export interface PrometheusFigures extends SpanFigures {
  /** 1 − (samples of `up` in the measured span) / (targets × intervals in it). */
  readonly missedShare: number;
}

export interface PrometheusRunOptions {
  readonly urls: readonly string[];
  readonly intervalMs: number;
  readonly simulatorPid: number;
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** As cluster-top's default: the timeout is 80 % of the interval. */
function config(urls: readonly string[], intervalMs: number): string {
  const targets = urls.map((u) => `'${new URL(u).host}'`).join(', ');
  return [
    'global:',
    `  scrape_interval: ${intervalMs}ms`,
    `  scrape_timeout: ${Math.floor(intervalMs * 0.8)}ms`,
    'scrape_configs:',
    '  - job_name: sim',
    `    static_configs: [{ targets: [${targets}] }]`,
    '',
  ].join('\n');
}

export async function runPrometheus(o: PrometheusRunOptions): Promise<PrometheusFigures> {
  const prometheus = await startPrometheus(() => config(o.urls, o.intervalMs));
  try {
    await sleep(o.warmupMs);
    const span = new Span(prometheus.pid, o.simulatorPid);
    await sleep(o.measureMs);
    const figures = span.end();
    const seconds = Math.floor(o.measureMs / 1000);
    const [row] = await prometheus.query(`sum(count_over_time(up{job="sim"}[${seconds}s]))`);
    const expected = (o.urls.length * o.measureMs) / o.intervalMs;
    const scraped = Number(row?.value[1] ?? 0);
    return { ...figures, missedShare: Math.max(0, 1 - scraped / expected) };
  } finally {
    const stopped = prometheus.stop();
    const timer = setTimeout(() => killIfAlive(prometheus.pid, 'SIGKILL'), STOP_GRACE_MS);
    await stopped;
    clearTimeout(timer);
  }
}
