/**
 * DNS service discovery: A and AAAA names with a port, or SRV names, looked up again on every
 * refresh, so the containers behind a Docker network alias or a Kubernetes headless service appear
 * and disappear as they come and go. A name with no records has no targets; a lookup that fails
 * (timeout, server failure) keeps the name's last known targets and says so.
 */
import { isIP } from 'node:net';
import type { Resolver } from 'node:dns/promises';
import type { Target } from '../../targets/target.js';
import { discoveredTarget, type TargetTemplate } from './discovered-target.js';
import { reasonOf, type TargetProvider } from './provider.js';

export interface DnsQuery {
  readonly name: string;
  /** `A/AAAA`: both, as a host name lookup would (the --dns flag). */
  readonly type: 'A' | 'AAAA' | 'A/AAAA' | 'SRV';
  /** The targets' port, for A and AAAA. */
  readonly port?: number;
}

export interface DnsProviderOptions {
  readonly resolver: Resolver;
  readonly queries: readonly DnsQuery[];
  readonly template: TargetTemplate;
  /** undefined: every scrape interval. */
  readonly refreshMs: number | undefined;
  /**
   * Resolve the names SRV records point to through `resolver` too (given with --dns-server, which
   * the system resolver the scrape would use does not know). Else they are scraped by name.
   */
  readonly resolveSrvTargets: boolean;
}

// A name that does not exist, or has no records of the type: no targets, not a failure.
const NO_RECORDS = new Set(['ENOTFOUND', 'ENODATA']);

const DNS_ERRORS: Record<string, string> = {
  ETIMEOUT: 'timed out',
  ECONNREFUSED: 'connection refused',
  ESERVFAIL: 'server failure',
  EREFUSED: 'query refused',
};

export class DnsProvider implements TargetProvider {
  readonly refreshMs: number | undefined;
  private readonly options: DnsProviderOptions;
  private readonly found = new Map<string, readonly Target[]>();
  private readonly notices = new Map<string, string>();
  private current: readonly Target[] = [];

  constructor(options: DnsProviderOptions) {
    this.options = options;
    this.refreshMs = options.refreshMs;
  }

  get targets(): readonly Target[] {
    return this.current;
  }

  get notice(): string | undefined {
    return this.notices.size === 0 ? undefined : [...this.notices.values()].join('; ');
  }

  async refresh(): Promise<void> {
    await Promise.all(this.options.queries.map((q) => this.lookUp(q)));
    this.current = this.options.queries.flatMap((q) => this.found.get(keyOf(q)) ?? []);
  }

  close(): void {
    this.options.resolver.cancel();
  }

  private async lookUp(q: DnsQuery): Promise<void> {
    const key = keyOf(q);
    try {
      const targets = q.type === 'SRV' ? await this.srvTargets(q.name) : await this.addressTargets(q);
      this.found.set(key, targets);
      if (targets.length === 0) this.notices.set(key, `dns ${q.name}: no ${q.type} records`);
      else this.notices.delete(key);
    } catch (error) {
      const kept = this.found.get(key)?.length ?? 0;
      this.notices.set(key, `dns ${q.name}: ${describeDnsError(error)}, keeping the last ${kept} target${kept === 1 ? '' : 's'}`);
    }
  }

  private async addressTargets(q: DnsQuery): Promise<Target[]> {
    const ips = await this.addresses(q.name, q.type === 'A/AAAA' ? ['A', 'AAAA'] : [q.type === 'AAAA' ? 'AAAA' : 'A']);
    return ips.map((ip) => discoveredTarget(this.options.template, hostPort(ip, q.port)));
  }

  private async srvTargets(name: string): Promise<Target[]> {
    const records = await orNone(this.options.resolver.resolveSrv(name));
    const targets = await Promise.all(
      records.map(async (r) => {
        const host = r.name.replace(/\.$/, '');
        const address = hostPort(host, r.port);
        if (!this.options.resolveSrvTargets || isIP(host) !== 0) return [discoveredTarget(this.options.template, address)];
        // One address per record: it is one endpoint, whatever number of addresses its name has.
        const [ip] = await this.addresses(host, ['A', 'AAAA']);
        return ip === undefined ? [] : [discoveredTarget(this.options.template, address, {}, ip)];
      }),
    );
    return targets.flat();
  }

  /** The name's addresses of the given types, in that order; none when it has none. */
  private async addresses(name: string, types: readonly ('A' | 'AAAA')[]): Promise<string[]> {
    const { resolver } = this.options;
    const lists = await Promise.all(types.map((t) => orNone(t === 'A' ? resolver.resolve4(name) : resolver.resolve6(name))));
    return lists.flat();
  }
}

function keyOf(q: DnsQuery): string {
  return `${q.type} ${q.name} ${q.port ?? ''}`;
}

function hostPort(host: string, port: number | undefined): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}

async function orNone<T>(lookup: Promise<T[]>): Promise<T[]> {
  try {
    return await lookup;
  } catch (error) {
    if (NO_RECORDS.has(String((error as { code?: unknown }).code))) return [];
    throw error;
  }
}

function describeDnsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `lookup failed (${DNS_ERRORS[code] ?? code})`;
  return `lookup failed (${reasonOf(error)})`;
}
