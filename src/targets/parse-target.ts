import type { Target } from './target.js';
import { redactTargetText, redactUrl } from './redact.js';
import { CtError, EXIT_USAGE } from '../util/errors.js';

export const DEFAULT_PORT = 9100;

/** A target the user wrote that cannot be scraped; the message names it. */
export class TargetError extends CtError {
  readonly code = 'CT_ERR_TARGET';
  readonly exitStatus = EXIT_USAGE;

  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/**
 * Turns what a user writes into a Target:
 * `host` -> http://host:9100/metrics, `host:port` -> http://host:port/metrics,
 * `[::1]:9100` or a bare `::1` for IPv6, and a full http(s) URL used as given.
 */
export function parseTarget(text: string, labels: Readonly<Record<string, string>> = {}): Target {
  const raw = text.trim();
  if (raw === '') throw new TargetError('empty target');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return fromUrl(raw, labels);
  return fromHostPort(raw, labels);
}

function fromUrl(raw: string, labels: Readonly<Record<string, string>>): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetError(`invalid target URL "${redactTargetText(raw)}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetError(`invalid target "${redactTargetText(raw)}": only http and https URLs can be scraped`);
  }
  // `http://u:pa/ss@host/` is host "u", port "pa": an `@` past the host is most likely a password cut short.
  if (url.username === '' && url.password === '' && raw.slice(raw.indexOf('//') + 2).includes('@')) {
    throw new TargetError(`invalid target "${redactTargetText(raw)}": "@" after the host (in a password, write "/" as %2F, "?" as %3F, "#" as %23; in a path or query, "@" as %40)`);
  }
  return makeTarget(url, labels);
}

function fromHostPort(raw: string, labels: Readonly<Record<string, string>>): Target {
  const shown = redactTargetText(raw);
  if (raw.includes('@')) throw new TargetError(`invalid target "${shown}": credentials go in a URL (http://user:password@host:port/metrics)`);
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\](?::(.*))?$/.exec(raw);
  if (bracketed) {
    host = `[${bracketed[1]}]`;
    portText = bracketed[2];
  } else if ((raw.match(/:/g) ?? []).length >= 2) {
    // A bare IPv6 address cannot carry a port: the port would be ambiguous.
    if (!/^[0-9A-Fa-f:.]+$/.test(raw)) throw new TargetError(`invalid target "${shown}": not a host, host:port or URL`);
    host = `[${raw}]`;
  } else {
    const colon = raw.indexOf(':');
    host = colon === -1 ? raw : raw.slice(0, colon);
    portText = colon === -1 ? undefined : raw.slice(colon + 1);
    if (!HOSTNAME.test(host)) throw new TargetError(`invalid target "${shown}": "${redactTargetText(host)}" is not a host name or address`);
  }
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!/^\d+$/.test(portText ?? String(DEFAULT_PORT)) || port < 1 || port > 65535) {
    throw new TargetError(`invalid target "${shown}": port must be a number from 1 to 65535`);
  }
  let url: URL;
  try {
    url = new URL(`http://${host}:${port}/metrics`);
  } catch {
    throw new TargetError(`invalid target "${shown}": not a host, host:port or URL`);
  }
  return makeTarget(url, labels);
}

function makeTarget(url: URL, labels: Readonly<Record<string, string>>): Target {
  const id = new URL(url.href);
  id.username = '';
  id.password = '';
  return {
    id: id.href,
    url,
    displayUrl: redactUrl(url),
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    labels,
  };
}
