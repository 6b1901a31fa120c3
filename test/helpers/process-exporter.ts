import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningExporter } from './node-exporter.js';
import { freePort, startServerProcess } from './server-process.js';
import { fileTempDir } from './temp-dir-core.js';

export const PROCESS_EXPORTER = '/usr/bin/prometheus-process-exporter';

/** One group per command name, every process: the exporter's `{{.Comm}}` template. */
const BY_COMM = ['process_names:', '  - name: "{{.Comm}}"', '    cmdline: [".+"]', ''].join('\n');

/** Starts the real prometheus-process-exporter on a loopback port with a config in a temp folder; waits (bounded) until it answers. */
export async function startProcessExporter(config = BY_COMM): Promise<RunningExporter> {
  const port = await freePort();
  const dir = fileTempDir('process-exporter');
  writeFileSync(join(dir, 'config.yml'), config);
  const url = `http://127.0.0.1:${port}/metrics`;
  const args = [`-web.listen-address=127.0.0.1:${port}`, `-config.path=${join(dir, 'config.yml')}`, '-gather-smaps=false'];
  const { stop } = await startServerProcess({ name: 'process-exporter', binary: PROCESS_EXPORTER, args, port, dir, probeUrl: url });
  return { port, url, stop };
}
