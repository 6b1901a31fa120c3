/** Parsing and checking --scrape-config, --job, --dns, --dns-srv, --dns-refresh and --dns-server. */
import { isIP } from 'node:net';
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_PORT } from '../../targets/parse-target.js';
import type { DnsQuery } from './dns-provider.js';
import { collect, durationArg } from '../../util/flag-args.js';
import type { ScrapeFlags } from '../node-list/flags.js';

export interface DiscoveryFlags extends ScrapeFlags {
  readonly kind: 'discovery';
  /** Static targets beside the discovered ones: the command line's and --targets-file's. */
  readonly targets: readonly string[];
  readonly targetsFile?: string;
  /** A Prometheus configuration file whose scrape jobs give the targets. */
  readonly scrapeConfig?: string;
  /** --job: the jobs of the file to use; empty: all. */
  readonly jobs: readonly string[];
  /** --dns (A and AAAA) and --dns-srv names, in the order given. */
  readonly dns: readonly DnsQuery[];
  readonly dnsRefreshMs?: number;
  /** `ip` or `ip:port`, as node:dns's setServers takes it. */
  readonly dnsServer?: string;
  /** --interval was on the command line: it wins over the file's global scrape_interval. */
  readonly intervalGiven: boolean;
}

/** As commander gives them. */
export interface RawDiscoveryFlags {
  scrapeConfig?: string;
  job: string[];
  dns: DnsQuery[];
  dnsSrv: DnsQuery[];
  dnsRefresh?: number;
  dnsServer?: string;
  intervalGiven?: boolean;
}

const DNS_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$/;

/** `--dns name[:port]` (port 9100 when not given), repeatable. */
export function dnsArg(text: string, previous: readonly DnsQuery[]): DnsQuery[] {
  const m = /^([^:]+)(?::(\d+))?$/.exec(text.trim());
  const port = Number(m?.[2] ?? DEFAULT_PORT);
  if (!m || !DNS_NAME.test(m[1] ?? '') || !(port >= 1 && port <= 65_535)) {
    throw new InvalidArgumentError(`--dns takes a DNS name and an optional port, such as web or tasks.web:9100, not "${text}"`);
  }
  return [...previous, { name: m[1] ?? '', type: 'A/AAAA', port }];
}

/** `--dns-srv name`, repeatable: each record gives a target and its port. */
export function dnsSrvArg(text: string, previous: readonly DnsQuery[]): DnsQuery[] {
  if (!DNS_NAME.test(text.trim())) throw new InvalidArgumentError(`--dns-srv takes a DNS name such as _metrics._tcp.web.default.svc.cluster.local, not "${text}"`);
  return [...previous, { name: text.trim(), type: 'SRV' }];
}

/** `ip`, `ip:port` or `[ipv6]:port`, as node:dns's setServers takes it. */
export function dnsServerArg(text: string): string {
  const t = text.trim();
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(t) ?? /^([^:]+)(?::(\d+))?$/.exec(t) ?? /^([0-9A-Fa-f:]+)()$/.exec(t);
  const ip = m?.[1] ?? '';
  const port = m?.[2] ? Number(m[2]) : 53;
  if (isIP(ip) === 0 || !(port >= 1 && port <= 65_535)) {
    throw new InvalidArgumentError(`--dns-server takes an IP address and an optional port, such as 10.96.0.10 or 127.0.0.1:5353, not "${text}"`);
  }
  return m?.[2] ? (isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`) : ip;
}

export function addDiscoveryFlags(program: Command): Command {
  return program
    .option('--scrape-config <file>', 'scrape the jobs of this Prometheus configuration (static, DNS and file discovery, auth, TLS)')
    .option('--job <name>', 'with --scrape-config: only this job; repeatable', collect, [])
    .option('--dns <name[:port]>', 'scrape every A/AAAA address of this name (port 9100 by default), looked up again every refresh; repeatable', dnsArg, [])
    .option('--dns-srv <name>', 'scrape every target of this SRV name, looked up again every refresh; repeatable', dnsSrvArg, [])
    .option('--dns-refresh <duration>', 'with --dns or --dns-srv: how often to look again (default: every interval)', durationArg('--dns-refresh', 100))
    .option('--dns-server <ip[:port]>', 'the DNS server for --dns, --dns-srv and dns_sd_configs (default: the system\'s)', dnsServerArg);
}

/** What commander cannot say of these flags, as a usage message naming the flag; undefined when they fit. */
export function discoveryProblem(f: RawDiscoveryFlags): string | undefined {
  if (f.job.length > 0 && f.scrapeConfig === undefined) return '--job picks jobs of --scrape-config <file>';
  const dns = f.dns.length > 0 || f.dnsSrv.length > 0;
  if (f.dnsRefresh !== undefined && !dns) return '--dns-refresh goes with --dns or --dns-srv';
  if (f.dnsServer !== undefined && !dns && f.scrapeConfig === undefined) return '--dns-server goes with --dns, --dns-srv or --scrape-config';
  return undefined;
}

/** Whether the flags ask for discovery: then the targets, if any, are its static ones. */
export function wantsDiscovery(raw: RawDiscoveryFlags): boolean {
  return raw.scrapeConfig !== undefined || raw.dns.length > 0 || raw.dnsSrv.length > 0;
}

export function discoveryFlags(raw: RawDiscoveryFlags, targets: { readonly targets: readonly string[]; readonly targetsFile?: string }, scrape: ScrapeFlags): DiscoveryFlags {
  return {
    kind: 'discovery',
    ...scrape,
    ...targets,
    scrapeConfig: raw.scrapeConfig,
    jobs: raw.job,
    dns: [...raw.dns, ...raw.dnsSrv],
    dnsRefreshMs: raw.dnsRefresh,
    dnsServer: raw.dnsServer,
    intervalGiven: raw.intervalGiven === true,
  };
}
