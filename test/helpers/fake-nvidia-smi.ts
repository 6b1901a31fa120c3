/**
 * A fake `nvidia-smi` for tests: a shell script that prints the given CSV for exactly the two
 * queries cluster-top asks (src/sources/local/nvidia-smi.ts) and fails for anything else. Put its
 * folder first on PATH; the folder is a temp-dir.ts one, removed when the test (or file) is over.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS_QUERY, GPU_QUERY } from '../../src/sources/local/nvidia-smi.js';
import { tempDir } from './temp-dir.js';

/** The folder holding the fake `nvidia-smi`, answering `gpuCsv` and `appsCsv` (`--format=csv,noheader,nounits` text). */
export function fakeNvidiaSmi(gpuCsv: string, appsCsv: string): string {
  const dir = tempDir('nvidia-smi');
  writeFileSync(join(dir, 'gpu.csv'), gpuCsv);
  writeFileSync(join(dir, 'apps.csv'), appsCsv);
  const script = join(dir, 'nvidia-smi');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `if [ "$*" = "${GPU_QUERY.join(' ')}" ]; then exec cat "${dir}/gpu.csv"; fi`,
      `if [ "$*" = "${APPS_QUERY.join(' ')}" ]; then exec cat "${dir}/apps.csv"; fi`,
      'echo "unexpected arguments: $*" >&2',
      'exit 2',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return dir;
}
