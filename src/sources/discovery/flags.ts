/** Parsing and checking --scrape-config, --job, --dns, --dns-srv, --dns-refresh and --dns-server. */
import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_PORT } from '../../targets/parse-target.js';
import type { DnsQuery } from './dns-provider.js';

export interface DiscoveryFlags {
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

interface OtherFlags {
  readonly prometheus?: unknown;
  readonly kubeconfig?: unknown;
  readonly demo?: unknown;
  readonly replay?: unknown;
}

/** What is wrong with these flags together, or undefined. */
export function discoveryConflict(f: RawDiscoveryFlags & OtherFlags): string | undefined {
  if (f.job.length > 0 && f.scrapeConfig === undefined) return '--job picks jobs of --scrape-config <file>';
  const dns = f.dns.length > 0 || f.dnsSrv.length > 0;
  if (f.dnsRefresh !== undefined && !dns) return '--dns-refresh goes with --dns or --dns-srv';
  if (f.dnsServer !== undefined && !dns && f.scrapeConfig === undefined) return '--dns-server goes with --dns, --dns-srv or --scrape-config';
  if ((dns || f.scrapeConfig !== undefined) && (f.prometheus !== undefined || f.kubeconfig !== undefined || f.demo !== undefined || f.replay !== undefined)) {
    return '--scrape-config, --dns and --dns-srv find targets to scrape: they cannot be used with --prometheus, --kubeconfig, --demo or --replay';
  }
  return undefined;
}

export function discoveryFlags(raw: RawDiscoveryFlags): DiscoveryFlags {
  return {
    scrapeConfig: raw.scrapeConfig,
    jobs: raw.job,
    dns: [...raw.dns, ...raw.dnsSrv],
    dnsRefreshMs: raw.dnsRefresh,
    dnsServer: raw.dnsServer,
    intervalGiven: raw.intervalGiven === true,
  };
}

/** Whether the flags ask for discovery: then the targets, if any, are its static ones. */
export function wantsDiscovery(f: DiscoveryFlags): boolean {
  return f.scrapeConfig !== undefined || f.dns.length > 0;
}
