import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startServerProcess } from './server-process.js';
import { fileTempDir, removeTempDir } from './temp-dir-core.js';

export const PROMETHEUS = '/usr/bin/prometheus';

export interface RunningPrometheus {
  readonly url: string;
  /** The server's process, for benchmarks that read its CPU and memory from /proc. */
  readonly pid: number;
  /** A scratch directory of this server's, for files its configuration names (token files). */
  readonly dir: string;
  /** GET /api/v1/query; the result vector, or [] while the query gives nothing. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/**
 * The real Prometheus on a loopback port with a throw-away TSDB, its prometheus.yml written from
 * `config(dir)` (dir: where the configuration may put files of its own). `fill(dataDir)` may put
 * blocks into the TSDB folder before the server starts (promtool tsdb create-blocks-from).
 * Waits (bounded) until ready.
 */
export async function startPrometheus(config: (dir: string) => string, fill?: (dataDir: string) => Promise<void>): Promise<RunningPrometheus> {
  const port = await freePort();
  const dir = fileTempDir('prometheus');
  writeFileSync(join(dir, 'prometheus.yml'), config(dir));
  try {
    await fill?.(join(dir, 'data'));
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  const args = [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`];
  // Loading big blocks takes a while: up to a minute.
  const { pid, stop } = await startServerProcess({ name: 'prometheus', binary: PROMETHEUS, args, port, dir, probeUrl: `${url}/-/ready`, attempts: fill ? 600 : 200 });
  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { data?: { result?: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data?.result ?? [];
  };
  return { url, pid, dir, query, stop };
}
