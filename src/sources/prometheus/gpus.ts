/**
 * GPUs through a Prometheus-compatible server: dcgm-exporter's and AMD device-metrics-exporter's
 * families, one query each per refresh whatever the node count, read by the one GPU reader and
 * joined to the nodes by host: the exporter's `Hostname`/`hostname` label against the node's name
 * (its nodename); a series without such a label by its `instance` host against the node's, where
 * one node has it.
 * The --selector is not applied: it picks the node_exporter jobs, and GPU exporters are jobs of
 * their own; the join keeps GPUs of hosts that are no node out.
 */
import type { Sample } from '../../exposition/types.js';
import { GpuReader, type GpuFigures } from '../../metrics/gpu.js';
import type { ClusterStore } from '../../store/cluster-store.js';
import { describeFailure, type PrometheusClient } from './client.js';
import type { InstantSample, Labels } from './decode.js';

/** The families the reader takes, by exporter: dcgm-exporter's names, AMD's with any prefix. */
export const GPU_QUERIES = {
  dcgm: '{__name__=~"DCGM_FI_DEV_(GPU_UTIL|MEM_COPY_UTIL|FB_USED|FB_FREE|FB_RESERVED|FB_TOTAL|GPU_TEMP|MEMORY_TEMP|POWER_USAGE|POWER_MGMT_LIMIT|SM_CLOCK|MEM_CLOCK|ENC_UTIL|DEC_UTIL|XID_ERRORS|UNCORRECTABLE_REMAPPED_ROWS|ROW_REMAP_FAILURE)|DCGM_FI_PROF_(GR_ENGINE_ACTIVE|PIPE_TENSOR_ACTIVE|DRAM_ACTIVE)"}',
  amd: '{__name__=~"(.+_)?gpu_(gfx_activity|umc_activity|used_vram|total_vram|junction_temperature|edge_temperature|memory_temperature|power_usage|package_power|average_package_power)"}',
} as const;

/** A node as the join sees it: its store id, its name (the nodename) and its instance label. */
export interface GpuNodeRef {
  readonly id: string;
  readonly name: string;
  readonly instance: string;
}

const lower = (s: string): string => s.toLowerCase();

/** `10.0.0.5:9400` -> `10.0.0.5`, `[::1]:9400` -> `::1`, `gpu1` -> `gpu1`. */
export function instanceHost(instance: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (bracketed) return lower(bracketed[1]!);
  const colon = instance.lastIndexOf(':');
  return lower(colon > 0 && instance.indexOf(':') === colon ? instance.slice(0, colon) : instance);
}

function seriesHost(labels: Labels): { readonly named?: string; readonly instance?: string } {
  const named = labels.Hostname || labels.hostname || undefined;
  return { ...(named ? { named: lower(named) } : {}), ...(labels.instance ? { instance: instanceHost(labels.instance) } : {}) };
}

export class PrometheusGpus {
  private readonly readers = new Map<string, GpuReader>();
  /** Why the last GPU queries failed, for the source's notice; undefined when they did not. */
  failure: string | undefined;

  /** Both queries, and the answers' warnings; a failed one is a notice, never the refresh's failure. */
  async query(client: PrometheusClient): Promise<{ readonly series: InstantSample[]; readonly warnings: string[] }> {
    const settled = await Promise.allSettled(Object.values(GPU_QUERIES).map((q) => client.query(q)));
    const series: InstantSample[] = [];
    const warnings: string[] = [];
    const failed: string[] = [];
    for (const s of settled) {
      if (s.status === 'fulfilled') {
        series.push(...s.value.result);
        warnings.push(...s.value.warnings);
      } else failed.push(describeFailure(s.reason));
    }
    this.failure = failed.length > 0 ? failed[0] : undefined;
    return { series, warnings };
  }

  /** Joins the series to `nodes` and records each node's GPUs; nodes without any keep none. */
  apply(series: readonly InstantSample[], nodes: readonly GpuNodeRef[], store: ClusterStore, atMs: number): void {
    // No GPU series, and no node has GPUs from an earlier refresh: nothing to join or clear.
    if (series.length === 0 && this.readers.size === 0) return;
    const byName = new Map<string, string>();
    const byInstance = new Map<string, string | null>();
    for (const n of nodes) {
      byName.set(lower(n.name), n.id);
      const host = instanceHost(n.instance);
      // Two nodes on one host (loopback, a test): the instance tells them apart no more.
      byInstance.set(host, byInstance.has(host) ? null : n.id);
    }
    const perNode = new Map<string, Sample[]>();
    for (const s of series) {
      const host = seriesHost(s.labels);
      // A series that names its host is that host's or none's: its instance may be a shared address (a pod IP, loopback).
      const id = host.named !== undefined ? byName.get(host.named) : host.instance !== undefined ? byInstance.get(host.instance) : undefined;
      if (id === undefined || id === null) continue;
      const sample: Sample = { name: s.labels.__name__ ?? '', labels: s.labels, value: s.value, timestampMs: atMs };
      const list = perNode.get(id);
      if (list) list.push(sample);
      else perNode.set(id, [sample]);
    }
    for (const n of nodes) {
      const samples = perNode.get(n.id);
      if (!samples) {
        // A node's GPUs are null until it has some: only one that had them needs them cleared.
        if (this.readers.delete(n.id)) store.recordGpus(n.id, atMs, null);
        continue;
      }
      let reader = this.readers.get(n.id);
      if (!reader) this.readers.set(n.id, (reader = new GpuReader()));
      const gpus: GpuFigures[] | null = reader.read(samples, atMs);
      store.recordGpus(n.id, atMs, gpus);
    }
  }
}
