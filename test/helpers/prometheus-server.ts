import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './node-exporter.js';
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
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    removeTempDir(dir);
  };
  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { data?: { result?: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data?.result ?? [];
  };
  // Loading big blocks takes a while: up to a minute.
  for (let attempt = 0; attempt < (fill ? 600 : 200) && child.exitCode === null; attempt++) {
    try {
      const res = await fetch(`${url}/-/ready`);
      await res.arrayBuffer();
      if (res.ok && child.pid !== undefined) return { url, pid: child.pid, dir, query, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`prometheus did not start on port ${port}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
}
