/**
 * The command line as options: what every run shares (output, view, history, rules) and, as a
 * discriminated union on `kind`, the one source it reads from, with that source's own flags. Each
 * source folder declares its flags (`flags.ts`); this module puts them on one program and says
 * which source the flags given pick.
 */
import { Command, Option } from 'commander';
import { VERSION } from '../version.js';
import { byteSizeArg, durationArg, positiveIntArg } from '../util/flag-args.js';
import { UsageError } from '../util/errors.js';
import { MAX_CONCURRENCY, MIN_CONCURRENCY } from '../scrape/concurrency.js';
import { buildAgentCommand } from './agent-options.js';
import { addRuleOptions, ruleFlags, type RawRuleFlags, type RuleFlags } from './rule-flags.js';
import { addNodeListFlags, scrapeFlags, type NodeListFlags, type RawScrapeFlags, type ScrapeFlags } from '../sources/node-list/flags.js';
import { addDemoFlags, demoFlags, demoProblem, type DemoFlags, type RawDemoFlags } from '../sources/demo/flags.js';
import { addRecordFlags, recordFlags, recordProblem, type RawRecordFlags, type RecordFlags } from '../sources/recording/flags.js';
import { addReplayFlags, replayFlags, replayProblem, type RawReplayFlags, type ReplayFlags } from '../sources/replay/flags.js';
import { addPrometheusFlags, prometheusFlags, prometheusProblem, type PrometheusFlags, type RawPrometheusFlags } from '../sources/prometheus/flags.js';
import { addKubeFlags, KUBE_CONCURRENCY, kubeFlags, kubeProblem, type KubeFlags, type RawKubeFlags } from '../sources/kube/flags.js';
import { addDiscoveryFlags, discoveryFlags, discoveryProblem, wantsDiscovery, type DiscoveryFlags, type RawDiscoveryFlags } from '../sources/discovery/flags.js';
import type { LocalFlags } from '../sources/local/flags.js';

// Kept here too for the command line's callers (bin/, main.ts, tests): the classes live lower down.
export { UsageError } from '../util/errors.js';
export { defaultTimeoutMs, effectiveTimeoutMs } from '../scrape/timeout.js';

/** Where the figures come from: one kind per run. */
export type SourceFlags = NodeListFlags | DiscoveryFlags | DemoFlags | PrometheusFlags | KubeFlags | LocalFlags | ReplayFlags;
export type SourceKind = SourceFlags['kind'];
/** The sources that read something live, and so can be recorded. */
export type LiveSourceFlags = Exclude<SourceFlags, ReplayFlags>;

interface RunOptions extends RuleFlags {
  readonly once: boolean;
  readonly output: 'table' | 'json';
  readonly historyMs: number;
  readonly color: boolean;
  /** Wheel and clicks in the interactive view; off leaves the mouse to the terminal (text selection). */
  readonly mouse: boolean;
}

/** A replay is not recorded (it would copy the file); any live source may be. */
export type CliOptions = RunOptions & ({ readonly source: ReplayFlags; readonly record?: undefined } | { readonly source: LiveSourceFlags; readonly record?: RecordFlags });

/**
 * The flags that pick each source (by commander's attribute name). Flags of two kinds cannot go
 * together: commander says so, naming both. Targets are arguments, not options: each source's own
 * check refuses them.
 */
const PICKERS: Readonly<Record<Exclude<SourceKind, 'node-list' | 'local'>, readonly string[]>> = {
  demo: ['demo'],
  replay: ['replay'],
  prometheus: ['prometheus'],
  kube: ['kubeconfig'],
  discovery: ['scrapeConfig', 'dns', 'dnsSrv'],
};

export function buildProgram(): Command {
  const program = new Command()
    .name('cluster-top')
    .description('An interactive terminal monitor for whole clusters, from their Prometheus metrics endpoints.')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help and exit')
    .argument('[targets...]', 'metrics endpoints: host (port 9100), host:port, [ipv6]:port, or an http(s):// URL; none: this machine');
  addNodeListFlags(program)
    .addOption(new Option('-i, --interval <duration>', 'time between scrapes of a target (500ms, 2s, 1m)').argParser(durationArg('--interval', 100)).default(2000, '2s'))
    .option('--timeout <duration>', 'per-scrape time limit (default: 80% of the interval, at most 10s)', durationArg('--timeout', 10))
    .addOption(
      // No default value: unset, the limit follows the load (src/scrape/concurrency.ts); commander
      // shows only a defined default, so the description says it.
      new Option('--concurrency <n>', `scrapes in flight at once, at most (default: follows the load, ${MIN_CONCURRENCY} to ${MAX_CONCURRENCY}; ${KUBE_CONCURRENCY} with --kubeconfig)`)
        .argParser(positiveIntArg('--concurrency', 10_000)),
    )
    .option('--once', 'scrape twice one interval apart (so rates exist), print a snapshot and exit')
    .addOption(new Option('-o, --output <format>', 'snapshot format with --once').choices(['table', 'json']).default('table'))
    .addOption(new Option('--history <duration>', 'how much history to keep per node').argParser(durationArg('--history', 1000)).default(600_000, '10m'))
    .addOption(new Option('--max-body-size <size>', 'largest metrics payload accepted, after decompression').argParser(byteSizeArg('--max-body-size', 1, '16MiB')).default(16 * 1024 * 1024, '16MiB'))
    .option('--no-color', 'no colors (also when NO_COLOR is set)')
    .option('--no-mouse', 'leave the mouse to the terminal: no wheel scrolling or clicks in the view');
  for (const add of [addDemoFlags, addRecordFlags, addReplayFlags, addPrometheusFlags, addKubeFlags, addDiscoveryFlags]) add(program);
  for (const [kind, names] of Object.entries(PICKERS)) {
    const others = Object.entries(PICKERS).filter(([other]) => other !== kind).flatMap(([, flags]) => flags);
    for (const option of program.options) if (names.includes(option.attributeName())) option.conflicts(others);
  }
  program
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    // An action of its own, or commander would answer a bare `cluster-top` with help, not this machine.
    .action(() => {})
    .addCommand(buildAgentCommand());
  return addRuleOptions(program);
}

interface RawOptions extends RawScrapeFlags, RawDemoFlags, RawRecordFlags, RawReplayFlags, RawPrometheusFlags, RawKubeFlags, RawDiscoveryFlags, RawRuleFlags {
  interval: number;
  timeout?: number;
  concurrency?: number;
  once?: boolean;
  output: 'table' | 'json';
  history: number;
  maxBodySize: number;
  color: boolean;
  mouse: boolean;
}

/** The options of a parsed program (not the `agent` subcommand's). */
export function cliOptions(program: Command, env: NodeJS.ProcessEnv): CliOptions {
  // Whether -i was typed, not defaulted: a --scrape-config's scrape_interval applies when not.
  return toCliOptions(program.processedArgs[0] as string[], { ...program.opts<RawOptions>(), intervalGiven: program.getOptionValueSource('interval') === 'cli' }, env);
}

export function toCliOptions(targets: string[], raw: RawOptions, env: NodeJS.ProcessEnv): CliOptions {
  const hasTargets = targets.length > 0 || raw.targetsFile !== undefined;
  const problem =
    timingProblem(raw) ??
    prometheusProblem(hasTargets, raw) ??
    demoProblem(hasTargets, raw) ??
    replayProblem(hasTargets, raw) ??
    recordProblem(raw) ??
    kubeProblem(hasTargets, raw) ??
    discoveryProblem(raw);
  if (problem !== undefined) throw new UsageError(problem);
  const rules = ruleFlags(raw);
  if (typeof rules === 'string') throw new UsageError(rules);
  const run: RunOptions = {
    once: raw.once === true,
    output: raw.output,
    historyMs: raw.history,
    color: raw.color && !('NO_COLOR' in env && env.NO_COLOR !== ''),
    mouse: raw.mouse,
    ...rules,
  };
  if (raw.replay !== undefined) return { ...run, source: replayFlags({ ...raw, replay: raw.replay }) };
  const scrape = scrapeFlags(raw, { intervalMs: raw.interval, timeoutMs: raw.timeout, concurrency: raw.concurrency, maxBodyBytes: raw.maxBodySize });
  return { ...run, source: liveSource(targets, raw, scrape), record: recordFlags(raw) };
}

/** The source the flags pick; commander has refused flags of two sources together. */
function liveSource(targets: readonly string[], raw: RawOptions, scrape: ScrapeFlags): LiveSourceFlags {
  if (raw.demo !== undefined) return demoFlags({ ...raw, demo: raw.demo }, scrape);
  if (raw.prometheus !== undefined) return prometheusFlags({ ...raw, prometheus: raw.prometheus }, scrape);
  if (raw.kubeconfig !== undefined) return kubeFlags({ ...raw, kubeconfig: raw.kubeconfig }, scrape);
  if (wantsDiscovery(raw)) return discoveryFlags(raw, { targets, targetsFile: raw.targetsFile }, scrape);
  if (targets.length > 0 || raw.targetsFile !== undefined) return { kind: 'node-list', ...scrape, targets, targetsFile: raw.targetsFile };
  // This machine's GPUs come from nvidia-smi; a port to scrape needs hosts.
  if (raw.gpuPort !== undefined) throw new UsageError('--gpu-port goes with targets, --targets-file, --scrape-config, --dns, --dns-srv or --kubeconfig');
  return { kind: 'local', intervalMs: raw.interval };
}

function timingProblem(raw: RawOptions): string | undefined {
  if (raw.history < raw.interval) return `--history (${raw.history}ms) must be at least --interval (${raw.interval}ms): it keeps that many refreshes`;
  if (raw.timeout !== undefined && raw.timeout > raw.interval) return `--timeout (${raw.timeout}ms) must not be longer than --interval (${raw.interval}ms)`;
  return undefined;
}
