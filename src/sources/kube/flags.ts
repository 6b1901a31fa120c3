/** Parsing and checking --kubeconfig, --context and --node-exporter-port. */
import { InvalidArgumentError } from 'commander';

export interface KubeFlags {
  /** A kubeconfig file, or true (the flag alone): $KUBECONFIG, ~/.kube/config, or the pod's service account. */
  readonly kubeconfig?: string | true;
  readonly context?: string;
  readonly nodeExporterPort?: number;
}

/** Proxied requests in flight at most by default: all of them land on the one API server. */
export const KUBE_CONCURRENCY = 16;

export function portArg(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65_535) {
    throw new InvalidArgumentError(`--node-exporter-port takes a port from 1 to 65535, such as 9100, not "${text}"`);
  }
  return port;
}

/** The reason the flags cannot go together, or undefined when they can. */
interface OtherFlags {
  readonly prometheus?: unknown;
  readonly demo?: unknown;
  readonly replay?: unknown;
  readonly insecure?: boolean;
  readonly caFile?: string;
  readonly bearerTokenFile?: string;
}

export function kubeConflict(hasTargets: boolean, f: KubeFlags & OtherFlags): string | undefined {
  if (f.kubeconfig === undefined) {
    if (f.context !== undefined) return '--context goes with --kubeconfig';
    if (f.nodeExporterPort !== undefined) return '--node-exporter-port goes with --kubeconfig';
    return undefined;
  }
  if (hasTargets) return '--kubeconfig finds the nodes itself: give no targets or --targets-file with it';
  if (f.prometheus !== undefined || f.demo !== undefined || f.replay !== undefined) return '--kubeconfig cannot be used with --prometheus, --demo or --replay';
  if (f.insecure || f.caFile !== undefined || f.bearerTokenFile !== undefined) {
    return '--insecure, --ca-file and --bearer-token-file are for targets: with --kubeconfig, the kubeconfig says how to connect (insecure-skip-tls-verify, certificate-authority, tokenFile)';
  }
  return undefined;
}
