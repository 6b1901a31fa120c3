import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { vi } from 'vitest';
import { fileTempDir, removeTempDir } from './temp-dir-core.js';

export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

/** A free loopback port, found by binding port 0 and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningExporter {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the real node_exporter on a loopback port and waits (bounded) until it answers. */
export async function startNodeExporter(): Promise<RunningExporter> {
  const port = await freePort();
  const dir = fileTempDir('node-exporter');
  const child: ChildProcess = spawn(
    NODE_EXPORTER,
    [`--web.listen-address=127.0.0.1:${port}`, `--collector.textfile.directory=${dir}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}/metrics`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    removeTempDir(dir);
  };
  // Whether it answers: false if it exits first, or does not answer for 10 s.
  const answers = await vi
    .waitFor(
      async () => {
        if (child.exitCode !== null) return false;
        const res = await fetch(url); // throws while it is not listening yet
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return true;
      },
      { timeout: 10_000, interval: 100 },
    )
    .catch(() => false);
  if (answers) return { port, url, stop };
  await stop();
  throw new Error(`node_exporter did not start on port ${port}: ${stderr.trim().split('\n').pop() ?? ''}`);
}
