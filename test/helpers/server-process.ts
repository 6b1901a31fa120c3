/**
 * A real server binary (node_exporter, process-exporter, Prometheus, VictoriaMetrics) run for a
 * test on a loopback port: spawned, waited for (bounded) until its probe URL answers, and stopped
 * by pid with its temporary folder removed. One place for what every such helper needs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { removeTempDir } from './temp-dir-core.js';

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

export interface ServerProcess {
  readonly pid: number;
  /** SIGTERM, wait for the exit, remove the folder; safe to call twice. */
  stop(): Promise<void>;
}

export interface ServerStart {
  /** For the error: "node_exporter did not start on port …". */
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly port: number;
  /** The server's temporary folder, removed on stop. */
  readonly dir: string;
  /** Answers 2xx once the server is ready. */
  readonly probeUrl: string;
  /** Tries, 100 ms apart (default 200: 20 s). */
  readonly attempts?: number;
}

export async function startServerProcess(start: ServerStart): Promise<ServerProcess> {
  const child: ChildProcess = spawn(start.binary, [...start.args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    removeTempDir(start.dir);
  };
  for (let attempt = 0; attempt < (start.attempts ?? 200) && child.exitCode === null; attempt++) {
    try {
      const res = await fetch(start.probeUrl);
      await res.arrayBuffer();
      if (res.ok && child.pid !== undefined) return { pid: child.pid, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${start.name} did not start on port ${start.port}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
}
