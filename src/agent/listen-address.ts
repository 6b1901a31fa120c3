import { isIP, isIPv6 } from 'node:net';

export interface ListenAddress {
  /** A host name or an IP address; IPv6 without brackets. */
  readonly host: string;
  /** 0 lets the system pick a free port. */
  readonly port: number;
}

export const DEFAULT_LISTEN = '127.0.0.1:9105';

const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/** `host:port` or `[ipv6]:port`; the host is required, so listening beyond loopback is always written out. */
export function parseListenAddress(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  const hostOk = m?.[1] !== undefined ? isIPv6(m[1]) : host !== undefined && (isIP(host) === 4 || HOSTNAME.test(host));
  if (!m || !hostOk || host === undefined || port > 65535) {
    throw new Error(`--listen takes host:port or [ipv6]:port with a port from 0 to 65535, not "${text}"`);
  }
  return { host, port };
}

/** Whether only this machine can reach the address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** The address as it goes in a URL: IPv6 in brackets. */
export function urlHost(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}
