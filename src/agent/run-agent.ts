import { readFile } from 'node:fs/promises';
import { thisMachineReader } from '../sources/local/readers.js';
import { describeFsError } from '../util/fs-error.js';
import { EXIT_NOTHING_READ, EXIT_OK, UsageError } from '../util/errors.js';
import { ProcessReader } from '../sources/local/process-reader.js';
import { ProcessTable } from '../sources/local/process-table.js';
import { startAgentServer, type RunningAgent } from './agent-server.js';
import { containerFamilies, DEFAULT_CGROUP_PATHS, hasCgroupV2, readContainerCgroups } from './cgroup-containers.js';
import { openRuntimeApis } from './runtime-api.js';
import type { ProcessServing } from './process-families.js';
import { isLoopback, urlHost, type ListenAddress } from './listen-address.js';

/** `cluster-top agent`'s options, as its command line gives them. */
export interface AgentCliOptions {
  readonly listen: ListenAddress;
  readonly tokenFile?: string;
  /** Top processes served by CPU and by memory; 0: no process families. */
  readonly processes: number;
  /** Serve the top processes' command lines (secrets masked). */
  readonly processArgs: boolean;
}

/** `cluster-top agent`: serves until SIGINT or SIGTERM, then stops cleanly; resolves to the exit status. */
export async function runAgent(options: AgentCliOptions, stderr: NodeJS.WritableStream): Promise<number> {
  const token = options.tokenFile === undefined ? undefined : await readToken(options.tokenFile);
  const reader = thisMachineReader();
  const { host, port } = options.listen;
  let agent: RunningAgent;
  try {
    // Containers where cgroup v2 is mounted (Linux hosts since systemd 247, Docker 20.10).
    // Restart counts (and names where the state files are not readable) from Docker's or Podman's socket, where this user may use it.
    const apis = await openRuntimeApis();
    const containers = (await hasCgroupV2()) ? async () => containerFamilies(await readContainerCgroups(DEFAULT_CGROUP_PATHS, apis)) : undefined;
    agent = await startAgentServer({ host, port, reader, token, containers, processes: processServing(options, reader.missing.length === 0) });
  } catch (error) {
    stderr.write(`cluster-top agent: cannot listen on ${urlHost(host)}:${port}: ${listenError(error)}\n`);
    return EXIT_NOTHING_READ;
  }
  stderr.write(`cluster-top agent: serving this machine's metrics at ${agent.url}${token ? ' (bearer token required)' : ''}\n`);
  if (reader.missing.length > 0) stderr.write(`cluster-top agent: no /proc here: no ${reader.missing.join(', ')} metrics\n`);
  const exposure = exposureWarning(host, token !== undefined);
  if (exposure) stderr.write(`cluster-top agent: ${exposure}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await agent.close();
  return EXIT_OK;
}

/** Processes are read from /proc: none without it, or with --processes 0. */
function processServing(options: AgentCliOptions, hasProc: boolean): ProcessServing | undefined {
  if (!hasProc || options.processes === 0) return undefined;
  return { table: new ProcessTable(new ProcessReader()), top: options.processes, args: options.processArgs };
}

/** What an address beyond loopback exposes: the agent speaks plain HTTP, so say so at start. */
export function exposureWarning(host: string, hasToken: boolean): string | undefined {
  if (isLoopback(host)) return undefined;
  return hasToken
    ? `listening on ${host} over plain HTTP: the token and the metrics cross the network unencrypted`
    : `listening on ${host} over plain HTTP without --token-file: anyone who can reach the port can read these metrics`;
}

/** The message names the flag and the path, never the file's content. */
async function readToken(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--token-file ${path}: ${describeFsError(error)}`);
  }
  const token = text.trim();
  if (token === '') throw new UsageError(`--token-file ${path}: the file is empty`);
  if (/\s/.test(token)) throw new UsageError(`--token-file ${path}: the token must be one word, without blanks`);
  return token;
}

function listenError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return 'the address is in use';
    case 'EACCES':
      return 'permission denied';
    case 'EADDRNOTAVAIL':
      return 'no such address on this machine';
    case 'ENOTFOUND':
      return 'unknown host';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
