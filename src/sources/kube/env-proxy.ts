/**
 * The proxy kubectl would use for an API server when the kubeconfig names none: client-go's
 * transport takes it from the environment with Go's http.ProxyFromEnvironment, whose rules are
 * followed here (golang.org/x/net/http/httpproxy):
 *
 * - HTTPS_PROXY for an https server, HTTP_PROXY for an http one; the upper-case name first, then
 *   the lower-case one; a value without a scheme is an http proxy ("proxy.corp:3128").
 * - Never for localhost or a loopback address.
 * - NO_PROXY, comma-separated: `*`; an IP, with a port or not; a CIDR; a domain, which matches
 *   itself and its subdomains ("corp.example"), or only its subdomains (".corp.example",
 *   "*.corp.example"), with a port or not.
 */
import { BlockList, isIP } from 'node:net';
import { KubeconfigError } from './kubeconfig-files.js';

const SCHEMES = new Set(['http', 'https', 'socks5']);

export function proxyFromEnvironment(server: URL, env: NodeJS.ProcessEnv): string | undefined {
  const https = server.protocol === 'https:';
  const [name, value] = firstSet(env, https ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy']);
  if (value === undefined) return undefined;
  const host = server.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = server.port || (https ? '443' : '80');
  if (!useProxy(host, port, firstSet(env, ['NO_PROXY', 'no_proxy'])[1] ?? '')) return undefined;
  return proxyUrl(name, value);
}

function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): [string, string | undefined] {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return [name, value];
  }
  return [names[0] ?? '', undefined];
}

/** Messages name the variable and the scheme only: the value may hold a password. */
function proxyUrl(name: string, value: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(value) ? value : `http://${value}`;
  if (!URL.canParse(text)) throw new KubeconfigError(`$${name}: not a proxy URL`);
  const scheme = new URL(text).protocol.slice(0, -1);
  if (!SCHEMES.has(scheme)) throw new KubeconfigError(`$${name}: the proxy must be an http://, https:// or socks5:// URL (not ${scheme}:)`);
  return text;
}

function useProxy(host: string, port: string, noProxy: string): boolean {
  if (host === 'localhost' || isLoopback(host)) return false;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return false;
    if (matches(entry, host, port)) return false;
  }
  return true;
}

function matches(entry: string, host: string, port: string): boolean {
  const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
  if (cidr) {
    const [, base = '', bits = ''] = cidr;
    const family = isIP(base);
    if (family === 0 || isIP(host) !== family || Number(bits) > (family === 4 ? 32 : 128)) return false;
    const list = new BlockList();
    list.addSubnet(base, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }
  const [entryHost, entryPort] = splitHostPort(entry);
  if (entryHost === '') return false;
  if (entryPort !== undefined && entryPort !== port) return false;
  if (isIP(entryHost) !== 0) return isIP(host) !== 0 && sameAddress(entryHost, host);
  const domain = entryHost.startsWith('*.') ? entryHost.slice(1) : entryHost;
  if (domain.startsWith('.')) return host.endsWith(domain);
  return host === domain || host.endsWith(`.${domain}`);
}

/** "host:port", "[v6]:port", or a bare host or IPv6 address (whose colons are no port). */
function splitHostPort(entry: string): [string, string | undefined] {
  const bracketed = /^\[(.*)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1] ?? '', bracketed[2]];
  if (isIP(entry) === 6) return [entry, undefined];
  const withPort = /^(.*):(\d+)$/.exec(entry);
  return withPort ? [withPort[1] ?? '', withPort[2]] : [entry, undefined];
}

function sameAddress(a: string, b: string): boolean {
  const family = isIP(a);
  if (family !== isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(a, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(b, family === 4 ? 'ipv4' : 'ipv6');
}

function isLoopback(host: string): boolean {
  const family = isIP(host);
  if (family === 0) return false;
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  // An IPv4-mapped loopback (::ffff:127.0.0.1) is loopback to Go too.
  list.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
  return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
