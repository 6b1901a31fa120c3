import { spawn, type ChildProcess } from 'node:child_process';
import { vi } from 'vitest';
import { BIN } from '../helpers/run-cli.js';

export interface AgentProcess {
  readonly url: string;
  /** stderr so far. */
  stderr(): string;
  /** SIGTERM to its pid; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** `cluster-top agent` from the built binary, waited for (bounded) until it says it is serving. */
export async function startAgentProcess(args: readonly string[]): Promise<AgentProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'agent', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    return exited;
  };
  // Its URL once it says it is serving; undefined if it exits first, or says nothing for 10 s.
  const url = await vi
    .waitFor(
      () => {
        if (child.exitCode !== null) return undefined;
        const url = / at (http:\/\/\S+\/metrics)/.exec(stderr)?.[1];
        if (url === undefined) throw new Error('not serving yet');
        return url;
      },
      { timeout: 10_000, interval: 100 },
    )
    .catch(() => undefined);
  if (url !== undefined) return { url, stderr: () => stderr, stop };
  await stop();
  throw new Error(`the agent did not start: ${stderr.trim()}`);
}
