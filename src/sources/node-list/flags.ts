/** Parsing and checking --cadvisor-port: a cAdvisor scraped beside every node of a node list. */
import { InvalidArgumentError } from 'commander';

export interface NodeListFlags {
  /** Also scrape `http://<host>:<port>/metrics` of every target's host, as that node's containers. */
  readonly cadvisorPort?: number;
}

export function cadvisorPortArg(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65_535) {
    throw new InvalidArgumentError(`--cadvisor-port takes a port from 1 to 65535, such as 8080, not "${text}"`);
  }
  return port;
}

/** The reason --cadvisor-port cannot be used with the other flags, or undefined. */
export function nodeListConflict(f: NodeListFlags & { readonly kubeconfig?: unknown; readonly prometheus?: unknown; readonly replay?: unknown; readonly demo?: unknown }): string | undefined {
  if (f.cadvisorPort === undefined) return undefined;
  if (f.kubeconfig !== undefined) return '--cadvisor-port is for node lists: with --kubeconfig, the kubelet gives each node\'s pods and containers';
  if (f.prometheus !== undefined || f.replay !== undefined || f.demo !== undefined) return '--cadvisor-port is for node lists: it cannot be used with --prometheus, --replay or --demo';
  return undefined;
}
