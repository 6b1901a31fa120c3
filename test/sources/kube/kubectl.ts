import { execFile, spawn } from 'node:child_process';
import { removeTempDir, tempDir } from '../../helpers/temp-dir-core.js';

export const KUBECTL = '/usr/bin/kubectl';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * kubectl with its own HOME and discovery cache: a cache shared between servers that reuse a port would answer
 * discovery from an earlier server (one with the metrics API, say, for one without).
 */
function isolated(): { env: NodeJS.ProcessEnv; cleanUp: () => void } {
  const home = tempDir('kubectl-home');
  return {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
    cleanUp: () => removeTempDir(home),
  };
}

/** `extraEnv` adds to kubectl's isolated environment (a proxy, say). */
export function kubectl(kubeconfig: string, args: string[], timeoutMs = 20_000, extraEnv: NodeJS.ProcessEnv = {}): Promise<KubectlResult> {
  const { env, cleanUp } = isolated();
  return new Promise((resolve) => {
    execFile(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { env: { ...env, ...extraEnv }, timeout: timeoutMs }, (err, stdout, stderr) => {
      cleanUp();
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

/**
 * Runs a kubectl that does not end by itself (`get --watch`) until its output contains `until`, then stops it.
 * `whenStarted` runs once the first output arrived, so changes made there happen while kubectl watches.
 */
export function kubectlUntil(
  kubeconfig: string, args: string[], until: RegExp, whenStarted: () => void, timeoutMs = 20_000,
): Promise<KubectlResult> {
  const { env, cleanUp } = isolated();
  return new Promise((resolve) => {
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!started) {
        started = true;
        whenStarted();
      }
      // Whole lines only: a line that came in two chunks is not cut at the first.
      if (until.test(stdout.slice(0, stdout.lastIndexOf('\n') + 1))) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      cleanUp();
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
