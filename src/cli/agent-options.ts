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
    .allowExcessArguments(false)
    .action((_options, command: Command) => {
      invoked.add(command);
    });
}

/** The agent's options when the parsed command line was `cluster-top agent ...`, else undefined. */
export function agentOptions(program: Command): AgentCliOptions | undefined {
  const agent = program.commands.find((c) => c.name() === 'agent');
  if (!agent || !invoked.has(agent)) return undefined;
  const raw = agent.opts<{ listen: ListenAddress; tokenFile?: string }>();
  return { listen: raw.listen, tokenFile: raw.tokenFile };
}

function listenAddress(text: string): ListenAddress {
  try {
    return parseListenAddress(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}
