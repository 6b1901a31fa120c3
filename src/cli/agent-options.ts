import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_LISTEN, parseListenAddress, type ListenAddress } from '../agent/listen-address.js';
import type { AgentCliOptions } from '../agent/run-agent.js';

/** Subcommands whose action ran in a parse: commander runs actions, it does not report which ran. */
const invoked = new WeakSet<Command>();

/** `cluster-top agent`: this machine's metrics over HTTP for a cluster-top (or Prometheus) elsewhere. */
export function buildAgentCommand(): Command {
  return new Command('agent')
    .description("serve this machine's metrics at /metrics in node_exporter's format (no node_exporter needed)")
    .addOption(
      new Option('--listen <host:port>', 'address to listen on; anything beyond loopback must be written out (e.g. 0.0.0.0:9105)')
        .argParser(listenAddress)
        .default(parseListenAddress(DEFAULT_LISTEN), DEFAULT_LISTEN),
    )
    .option('--token-file <path>', 'require "Authorization: Bearer <token>", the token read from this file')
    .addOption(
      new Option('--processes <n>', 'serve the top n processes by CPU and the top n by memory, and every command name\'s totals; 0: none')
        .argParser(processCount)
        .default(DEFAULT_PROCESSES),
    )
    .option('--process-args', "serve the top processes' command lines, values after secret-looking flags masked (off: they may hold secrets)")
    .allowExcessArguments(false)
    .action((_options, command: Command) => {
      invoked.add(command);
    });
}

/** The agent's options when the parsed command line was `cluster-top agent ...`, else undefined. */
export function agentOptions(program: Command): AgentCliOptions | undefined {
  const agent = program.commands.find((c) => c.name() === 'agent');
  if (!agent || !invoked.has(agent)) return undefined;
  const raw = agent.opts<{ listen: ListenAddress; tokenFile?: string; processes: number; processArgs?: boolean }>();
  return { listen: raw.listen, tokenFile: raw.tokenFile, processes: raw.processes, processArgs: raw.processArgs === true };
}

const DEFAULT_PROCESSES = 30;
/** More would make every scrape heavy for Prometheus and for us: the groups cover the rest. */
const MAX_PROCESSES = 1000;

function processCount(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > MAX_PROCESSES) throw new InvalidArgumentError(`expected a whole number from 0 to ${MAX_PROCESSES}, got "${text}"`);
  return n;
}

function listenAddress(text: string): ListenAddress {
  try {
    return parseListenAddress(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}
