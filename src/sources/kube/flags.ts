/** Parsing and checking --kubeconfig, --context, --node-exporter-port and --process-port. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RawScrapeFlags, ScrapeFlags } from '../node-list/flags.js';

export interface KubeFlags {
  readonly kind: 'kube';
  /** A kubeconfig file, or true (the flag alone): $KUBECONFIG, ~/.kube/config, or the pod's service account. */
  readonly kubeconfig: string | true;
  readonly context?: string;
  readonly nodeExporterPort?: number;
  /** `--gpu-port`: a GPU exporter on every node, through the API server's node proxy. */
  readonly gpuPort?: number;
  /** `--process-port`: a process exporter on every node, through the API server's node proxy. */
  readonly processPort?: number;
  readonly intervalMs: number;
  readonly timeoutMs?: number;
  readonly concurrency: number;
  readonly maxBodyBytes: number;
}

/** As commander gives them. */
export interface RawKubeFlags {
  kubeconfig?: string | true;
  context?: string;
  nodeExporterPort?: number;
  processPort?: number;
}

/** Proxied requests in flight at most by default: all of them land on the one API server. */
export const KUBE_CONCURRENCY = 16;

/** A port flag's parser: 1 to 65535, else a one-line error naming the flag and an example. */
function kubePortArg(flag: string, example: number): (text: string) => number {
  return (text) => {
    const port = Number(text);
    if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65_535) {
      throw new InvalidArgumentError(`${flag} takes a port from 1 to 65535, such as ${example}, not "${text}"`);
    }
    return port;
  };
}

const portArg = kubePortArg('--node-exporter-port', 9100);

export function addKubeFlags(program: Command): Command {
  return program
    .addOption(
      new Option('--kubeconfig [path]', 'watch a Kubernetes cluster\'s nodes and pods, with this kubeconfig (alone: $KUBECONFIG, ~/.kube/config, or the pod\'s service account)')
        // Every request goes to the one API server: fewer at once than to many exporters.
        .implies({ concurrency: KUBE_CONCURRENCY }),
    )
    .option('--context <name>', 'with --kubeconfig: this context instead of the current one')
    .option('--node-exporter-port <port>', 'with --kubeconfig: also read node_exporter (or cluster-top agent: its processes and containers too) on this port of every node, through the API server', portArg)
    .addOption(
      new Option('--process-port <port>', "with --kubeconfig: also read a process exporter on this port of every node (9256: prometheus-process-exporter), through the API server")
        .argParser(kubePortArg('--process-port', 9256))
        // As --gpu-port: Prometheus, a replay and the demo scrape no nodes of ours; discovery's jobs name their own targets.
        .conflicts(['prometheus', 'replay', 'demo', 'scrapeConfig', 'dns', 'dnsSrv']),
    );
}

/** What commander cannot say of these flags, as a usage message naming the flag; undefined when they fit. */
export function kubeProblem(hasTargets: boolean, f: RawKubeFlags & RawScrapeFlags): string | undefined {
  if (f.kubeconfig === undefined) {
    if (f.context !== undefined) return '--context goes with --kubeconfig';
    if (f.nodeExporterPort !== undefined) return '--node-exporter-port goes with --kubeconfig';
    if (f.processPort !== undefined) return '--process-port goes with --kubeconfig';
    return undefined;
  }
  if (hasTargets) return '--kubeconfig finds the nodes itself: give no targets or --targets-file with it';
  // A conflict commander could report too, but not with where the kubeconfig says it instead.
  if (f.insecure === true || f.caFile !== undefined || f.bearerTokenFile !== undefined) {
    return '--insecure, --ca-file and --bearer-token-file are for targets: with --kubeconfig, the kubeconfig says how to connect (insecure-skip-tls-verify, certificate-authority, tokenFile)';
  }
  return undefined;
}

export function kubeFlags(raw: RawKubeFlags & { kubeconfig: string | true }, scrape: ScrapeFlags): KubeFlags {
  const { intervalMs, timeoutMs, maxBodyBytes, gpuPort } = scrape;
  // --kubeconfig implies it; a caller that builds the flags by hand may leave it out.
  const concurrency = scrape.concurrency ?? KUBE_CONCURRENCY;
  return { kind: 'kube', kubeconfig: raw.kubeconfig, context: raw.context, nodeExporterPort: raw.nodeExporterPort, ...(raw.processPort === undefined ? {} : { processPort: raw.processPort }), ...(gpuPort === undefined ? {} : { gpuPort }), intervalMs, timeoutMs, concurrency, maxBodyBytes };
}
