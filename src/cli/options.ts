import { Command, InvalidArgumentError, Option } from 'commander';
import { VERSION } from '../version.js';
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../util/usage-error.js';
import { buildAgentCommand } from './agent-options.js';
import { collect, headerPairs, prometheusConflict, selectorArg } from '../sources/prometheus/flags.js';
import { parseAt, parseSpeed, sourceFlagConflict, sourceFlags, type RawSourceFlags, type SourceFlags } from './source-flags.js';
import { KUBE_CONCURRENCY, kubeConflict, portArg, type KubeFlags } from '../sources/kube/flags.js';
import { addGpuOptions, gpuFlags, type GpuFlags, type RawGpuFlags } from './gpu-flags.js';
import { addRuleOptions, ruleFlags, type RawRuleFlags, type RuleFlags } from './rule-flags.js';
import { discoveryConflict, discoveryFlags, dnsArg, dnsServerArg, dnsSrvArg, type DiscoveryFlags, type RawDiscoveryFlags } from '../sources/discovery/flags.js';

// Kept here too for the command line's callers (bin/, main.ts, tests): the classes live lower down.
export { UsageError } from '../util/usage-error.js';
export { defaultTimeoutMs, effectiveTimeoutMs } from '../scrape/timeout.js';

export interface CliOptions extends SourceFlags, KubeFlags, DiscoveryFlags, RuleFlags, GpuFlags {
  readonly targets: string[];
  readonly targetsFile?: string;
  readonly intervalMs: number;
  readonly timeoutMs?: number;
  readonly concurrency: number;
  readonly once: boolean;
  readonly output: 'table' | 'json';
  readonly insecure: boolean;
  readonly caFile?: string;
  readonly bearerTokenFile?: string;
  readonly historyMs: number;
  readonly maxBodyBytes: number;
  readonly color: boolean;
  /** Wheel and clicks in the interactive view; off leaves the mouse to the terminal (text selection). */
  readonly mouse: boolean;
  /** Base URL of a Prometheus-compatible server to read every node from, instead of scraping. */
  readonly prometheus?: string;
  /** Validated label matchers for every --prometheus query. */
  readonly selector?: string;
  readonly prometheusUser?: string;
  readonly prometheusPasswordFile?: string;
  readonly headers?: readonly (readonly [string, string])[];
}


function duration(flag: string, min: number) {
  return (text: string): number => {
    const ms = parseDuration(text);
    if (ms === null) throw new InvalidArgumentError(`${flag} takes a duration such as 500ms, 2s or 1m, not "${text}"`);
    if (ms < min) throw new InvalidArgumentError(`${flag} must be at least ${min}ms`);
    return ms;
  };
}

function positiveInt(flag: string, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from 1 to ${max}, not "${text}"`);
    }
    return n;
  };
}

const SIZE = /^(\d+)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/i;
const SIZE_UNIT: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1e3, mb: 1e6, gb: 1e9 };

function byteSize(flag: string, minKiB: number, example: string) {
  return (text: string): number => {
    const m = SIZE.exec(text.trim());
    const n = m ? Number(m[1]) * (SIZE_UNIT[(m[2] ?? 'b').toLowerCase()] ?? NaN) : NaN;
    if (!Number.isFinite(n) || n < minKiB * 1024) throw new InvalidArgumentError(`${flag} takes a size of at least ${minKiB}KiB such as ${example}, not "${text}"`);
    return n;
  };
}

export function buildProgram(): Command {
  const program = new Command()
    .name('cluster-top')
    .description('An interactive terminal monitor for whole clusters, from their Prometheus metrics endpoints.')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help and exit')
    .argument('[targets...]', 'metrics endpoints: host (port 9100), host:port, [ipv6]:port, or an http(s):// URL; none: this machine')
    .option('-f, --targets-file <path>', 'read targets from a file: one per line, # comments')
    .addOption(new Option('-i, --interval <duration>', 'time between scrapes of a target (500ms, 2s, 1m)').argParser(duration('--interval', 100)).default(2000, '2s'))
    .option('--timeout <duration>', 'per-scrape time limit (default: 80% of the interval, at most 10s)', duration('--timeout', 10))
    .option('--concurrency <n>', `scrapes in flight at once, at most (default: 64; ${KUBE_CONCURRENCY} with --kubeconfig)`, positiveInt('--concurrency', 10_000))
    .option('--once', 'scrape twice one interval apart (so rates exist), print a snapshot and exit')
    .addOption(new Option('-o, --output <format>', 'snapshot format with --once').choices(['table', 'json']).default('table'))
    .option('--insecure', 'do not verify the targets\' TLS certificates')
    .option('--ca-file <path>', 'PEM certificate authorities to trust for https targets')
    .option('--bearer-token-file <path>', 'send "Authorization: Bearer <token>" with the token read from this file')
    .addOption(new Option('--history <duration>', 'how much history to keep per node').argParser(duration('--history', 1000)).default(600_000, '10m'))
    .addOption(new Option('--max-body-size <size>', 'largest metrics payload accepted, after decompression').argParser(byteSize('--max-body-size', 1, '16MiB')).default(16 * 1024 * 1024, '16MiB'))
    .option('--demo [nodes]', 'watch a simulated cluster of this many nodes on loopback (default: 24)', positiveInt('--demo', 2000))
    .option('--seed <n>', 'with --demo: which simulated cluster (default: 1)', positiveInt('--seed', 2 ** 31 - 1))
    .option('--record <file>', 'write every refresh to this recording file')
    .option('--record-max-size <size>', 'with --record: past this size, keep the file as <file>.1 and begin anew (default: 100MiB)', byteSize('--record-max-size', 64, '100MiB'))
    .option('--replay <file>', 'play a recording back instead of scraping')
    .option('--speed <x>', 'with --replay: recorded seconds played per second (default: 1)', parseSpeed)
    .option('--at <time>', 'with --replay: the moment to show, an ISO time or an offset from the start such as +5m', parseAt)
    .option('--no-color', 'no colors (also when NO_COLOR is set)')
    .option('--no-mouse', 'leave the mouse to the terminal: no wheel scrolling or clicks in the view')
    .option('--prometheus <url>', 'read every node from this Prometheus-compatible server (base URL) instead of scraping')
    .option('--selector <matchers>', 'with --prometheus: label matchers added to every query, such as job="node"', selectorArg)
    .option('--prometheus-user <name>', 'with --prometheus: basic auth user, with --prometheus-password-file')
    .option('--prometheus-password-file <path>', 'with --prometheus: basic auth password, read from this file')
    .option('-H, --header <header>', 'with --prometheus: send this header ("Name: value"); repeatable', collect, [])
    .option('--kubeconfig [path]', 'watch a Kubernetes cluster\'s nodes and pods, with this kubeconfig (alone: $KUBECONFIG, ~/.kube/config, or the pod\'s service account)')
    .option('--context <name>', 'with --kubeconfig: this context instead of the current one')
    .option('--node-exporter-port <port>', 'with --kubeconfig: also read node_exporter on this port of every node, through the API server', portArg)
    .option('--scrape-config <file>', 'scrape the jobs of this Prometheus configuration (static, DNS and file discovery, auth, TLS)')
    .option('--job <name>', 'with --scrape-config: only this job; repeatable', collect, [])
    .option('--dns <name[:port]>', 'scrape every A/AAAA address of this name (port 9100 by default), looked up again every refresh; repeatable', dnsArg, [])
    .option('--dns-srv <name>', 'scrape every target of this SRV name, looked up again every refresh; repeatable', dnsSrvArg, [])
    .option('--dns-refresh <duration>', 'with --dns or --dns-srv: how often to look again (default: every interval)', duration('--dns-refresh', 100))
    .option('--dns-server <ip[:port]>', 'the DNS server for --dns, --dns-srv and dns_sd_configs (default: the system\'s)', dnsServerArg)
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    // An action of its own, or commander would answer a bare `cluster-top` with help, not this machine.
    .action(() => {})
    .addCommand(buildAgentCommand());
  return addGpuOptions(addRuleOptions(program));
}

interface RawOptions extends RawSourceFlags, KubeFlags, RawDiscoveryFlags, RawRuleFlags, RawGpuFlags {
  targetsFile?: string;
  interval: number;
  timeout?: number;
  concurrency?: number;
  once?: boolean;
  output: 'table' | 'json';
  insecure?: boolean;
  caFile?: string;
  bearerTokenFile?: string;
  history: number;
  maxBodySize: number;
  color: boolean;
  mouse: boolean;
  prometheus?: string;
  selector?: string;
  prometheusUser?: string;
  prometheusPasswordFile?: string;
  header: string[];
}

export function toCliOptions(targets: string[], raw: RawOptions, env: NodeJS.ProcessEnv): CliOptions {
  if (raw.history < raw.interval) {
    throw new UsageError(`--history (${raw.history}ms) must be at least --interval (${raw.interval}ms): it keeps that many refreshes`);
  }
  if (raw.timeout !== undefined && raw.timeout > raw.interval) {
    throw new UsageError(`--timeout (${raw.timeout}ms) must not be longer than --interval (${raw.interval}ms)`);
  }
  const prometheusProblem = prometheusConflict(targets, raw.targetsFile, raw);
  if (prometheusProblem !== undefined) throw new UsageError(prometheusProblem);
  const conflict = sourceFlagConflict(targets.length > 0 || raw.targetsFile !== undefined, raw);
  if (conflict) throw new UsageError(conflict);
  const kubeProblem = kubeConflict(targets.length > 0 || raw.targetsFile !== undefined, raw);
  if (kubeProblem) throw new UsageError(kubeProblem);
  const discoveryProblem = discoveryConflict(raw);
  if (discoveryProblem) throw new UsageError(discoveryProblem);
  const rules = ruleFlags(raw);
  if (typeof rules === 'string') throw new UsageError(rules);
  const gpu = gpuFlags(raw, { hasTargets: targets.length > 0 || raw.targetsFile !== undefined, kubeconfig: raw.kubeconfig, prometheus: raw.prometheus });
  if (typeof gpu === 'string') throw new UsageError(gpu);
  return {
    ...sourceFlags(raw),
    targets,
    targetsFile: raw.targetsFile,
    intervalMs: raw.interval,
    timeoutMs: raw.timeout,
    concurrency: raw.concurrency ?? (raw.kubeconfig === undefined ? 64 : KUBE_CONCURRENCY),
    once: raw.once === true,
    output: raw.output,
    insecure: raw.insecure === true,
    caFile: raw.caFile,
    bearerTokenFile: raw.bearerTokenFile,
    historyMs: raw.history,
    maxBodyBytes: raw.maxBodySize,
    color: raw.color && !('NO_COLOR' in env && env.NO_COLOR !== ''),
    mouse: raw.mouse,
    prometheus: raw.prometheus,
    selector: raw.selector,
    prometheusUser: raw.prometheusUser,
    prometheusPasswordFile: raw.prometheusPasswordFile,
    headers: headerPairs(raw.header),
    kubeconfig: raw.kubeconfig,
    context: raw.context,
    nodeExporterPort: raw.nodeExporterPort,
    ...discoveryFlags(raw),
    ...rules,
    ...gpu,
  };
}
