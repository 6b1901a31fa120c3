/** `--gpu-port`: a GPU exporter (dcgm-exporter :9400, nvidia_gpu_exporter :9835, AMD :5000) on every node's host. */
import type { Command } from 'commander';
import { portArg } from '../sources/kube/flags.js';
import type { Target } from '../targets/target.js';
import { parseTarget } from '../targets/parse-target.js';

export interface GpuFlags {
  readonly gpuPort?: number;
}

export interface RawGpuFlags {
  gpuPort?: number;
}

export function addGpuOptions(program: Command): Command {
  return program.option(
    '--gpu-port <port>',
    "also scrape a GPU exporter on this port of every node's host (9400: dcgm-exporter); with --kubeconfig through the API server",
    portArg,
  );
}

interface Context {
  readonly hasTargets: boolean;
  readonly kubeconfig?: unknown;
  readonly prometheus?: string;
}

/** The flag checked against the source; a string is the usage error's message. */
export function gpuFlags(raw: RawGpuFlags, ctx: Context): GpuFlags | string {
  if (raw.gpuPort === undefined) return {};
  if (ctx.prometheus !== undefined) return '--gpu-port is not needed with --prometheus: the GPU exporters\' families are read from the server';
  if (!ctx.hasTargets && ctx.kubeconfig === undefined) return '--gpu-port goes with targets, --targets-file or --kubeconfig';
  return { gpuPort: raw.gpuPort };
}

/** One GPU exporter target per host of `targets`, on `port`, each once. */
export function gpuTargets(targets: readonly Target[], port: number): Target[] {
  const seen = new Set<string>();
  const out: Target[] = [];
  for (const t of targets) {
    const host = t.url.hostname; // IPv6 keeps its brackets here
    if (seen.has(host)) continue;
    seen.add(host);
    out.push(parseTarget(`${t.url.protocol}//${host}:${port}/metrics`));
  }
  return out;
}
