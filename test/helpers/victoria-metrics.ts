/**
 * The real VictoriaMetrics (single-node, Debian's victoria-metrics) on a loopback port with a
 * throw-away data folder, stopped by pid. Samples are loaded through its import API rather than
 * scraped, so tests and benchmarks can hold thousands of nodes' series in seconds.
 */
import { join } from 'node:path';
import { freePort, startServerProcess } from './server-process.js';
import { fileTempDir } from './temp-dir-core.js';

export const VICTORIA_METRICS = '/usr/bin/victoria-metrics';

export interface RunningVictoriaMetrics {
  readonly url: string;
  readonly pid: number;
  /** POST /api/v1/import/prometheus: Prometheus text, timestamps in ms. */
  importText(text: string): Promise<void>;
  /** Makes everything imported so far searchable (POST /internal/force_flush). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startVictoriaMetrics(): Promise<RunningVictoriaMetrics> {
  const port = await freePort();
  const dir = fileTempDir('victoria-metrics');
  const url = `http://127.0.0.1:${port}`;
  const { pid, stop } = await startServerProcess({
    name: 'victoria-metrics',
    binary: VICTORIA_METRICS,
    args: [
        `-storageDataPath=${join(dir, 'data')}`,
        `-httpListenAddr=127.0.0.1:${port}`,
        // Imported samples are old enough already; without this an instant query looks 30 s back.
        '-search.latencyOffset=0s',
        // No retention cut-off can drop the samples, and no background self-monitoring.
        '-retentionPeriod=100y',
        '-selfScrapeInterval=0',
        '-loggerLevel=ERROR',
        // 10,000 nodes' per-core CPU series are about a million: more than the default limit for this machine's memory.
        '-search.maxUniqueTimeseries=20000000',
        // 50,000 nodes' CPU series take a busy 2-core machine longer than the default 30 s to rate.
        '-search.maxQueryDuration=120s',
      ],
    port,
    dir,
    probeUrl: `${url}/health`,
  });
  const post = async (path: string, body?: string) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', body });
    const text = await res.text();
    if (!res.ok) throw new Error(`victoria-metrics ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  };
  return { url, pid, importText: (text) => post('/api/v1/import/prometheus', text), flush: () => post('/internal/force_flush'), stop };
}
