import { fileTempDir } from './temp-dir-core.js';
import { freePort, startServerProcess } from './server-process.js';

export { freePort } from './server-process.js';

export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

export interface RunningExporter {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts the real node_exporter on a loopback port (of 127.0.0.1, or of another loopback address
 * for tests of several hosts) and waits (bounded) until it answers.
 */
export async function startNodeExporter(at: { host?: string; port?: number } = {}): Promise<RunningExporter> {
  const host = at.host ?? '127.0.0.1';
  const port = at.port ?? (await freePort());
  const dir = fileTempDir('node-exporter');
  const url = `http://${host}:${port}/metrics`;
  const args = [`--web.listen-address=${host}:${port}`, `--collector.textfile.directory=${dir}`];
  const { stop } = await startServerProcess({ name: 'node_exporter', binary: NODE_EXPORTER, args, port, dir, probeUrl: url });
  return { port, url, stop };
}
