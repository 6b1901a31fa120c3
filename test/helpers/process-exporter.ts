import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { freePort, type RunningExporter } from './node-exporter.js';
import { fileTempDir, removeTempDir } from './temp-dir-core.js';

export const PROCESS_EXPORTER = '/usr/bin/prometheus-process-exporter';

/** One group per command name, every process: the exporter's `{{.Comm}}` template. */
const BY_COMM = ['process_names:', '  - name: "{{.Comm}}"', '    cmdline: [".+"]', ''].join('\n');

/** Starts the real prometheus-process-exporter on a loopback port with a config in a temp folder; waits (bounded) until it answers. */
export async function startProcessExporter(config = BY_COMM): Promise<RunningExporter> {
  const port = await freePort();
  const dir = fileTempDir('process-exporter');
  writeFileSync(join(dir, 'config.yml'), config);
  const child: ChildProcess = spawn(PROCESS_EXPORTER, [`-web.listen-address=127.0.0.1:${port}`, `-config.path=${join(dir, 'config.yml')}`, '-gather-smaps=false'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
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
  const answers = await vi
    .waitFor(
      async () => {
        if (child.exitCode !== null) return false;
        const res = await fetch(url);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return true;
      },
      { timeout: 10_000, interval: 100 },
    )
    .catch(() => false);
  if (answers) return { port, url, stop };
  await stop();
  throw new Error(`process-exporter did not start on port ${port}: ${stderr.trim().split('\n').pop() ?? ''}`);
}
