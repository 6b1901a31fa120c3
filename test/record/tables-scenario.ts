/**
 * A GPU node recorded over `ticks` refreshes a second apart, with its tables as a real run has
 * them: processes changing each refresh, containers gone for a refresh (their source down), a
 * second GPU from refresh 2 on, the GPU exporter failing every fifth refresh (k % 5 === 3), a
 * GPU refresh missed now and then (k % 7 === 6: the rings get no row), and no GPU families at all
 * at refresh 8 (the GPUs and their rings go, and come back new).
 */
import type { GpuFigures } from '../../src/metrics/gpu.js';
import type { ProcessRow } from '../../src/metrics/process-figures.js';
import { Recorder } from '../../src/record/recorder.js';
import { ClusterStore, type NodeEntry } from '../../src/store/cluster-store.js';
import { GPU_SERIES } from '../../src/store/gpu-entries.js';
import { STEP_MS, T0 } from './scenario.js';

export const GPU_NODE = 'http://gpu-1:9100/metrics';

export const processRow = (pid: number): ProcessRow => ({
  pid, ppid: 1, user: 'app', command: `worker-${pid}`, args: 'worker --token=***', state: 'S', cpuPercent: pid / 7, memoryBytes: pid * 4096, threads: 4, startTimeSeconds: 1_790_000_000.5, count: null,
});

export const gpuFigures = (k: number, index = 0): GpuFigures => ({
  key: `GPU-${index}`, index, uuid: `GPU-${index}`, model: 'NVIDIA L4', vendor: 'nvidia', migProfile: null, migInstance: null, host: 'gpu-1',
  utilizationPercent: (12.5 * k + index) % 100, memoryUtilizationPercent: 3, memoryUsedBytes: 1e9 + k, memoryTotalBytes: 2.4e10, temperatureCelsius: -2, memoryTemperatureCelsius: null,
  powerWatts: 70.25, powerLimitWatts: 72, smClockMHz: 2040, memoryClockMHz: 6250, encoderPercent: 0, decoderPercent: 0, xid: 0, graphicsActivePercent: 33.3,
  tensorActivePercent: 0, dramActivePercent: 1.5, uncorrectableRemappedRows: 0, rowRemapFailure: false,
  pod: { namespace: 'ml', pod: 'train-0', container: 'main' }, processes: [{ pid: 4242, name: 'python', memoryBytes: 5e8 }],
});

export const tablesTickTime = (k: number): number => T0 + k * STEP_MS;

/** Drives `store` through refresh `k` of the GPU node, then the cluster row. */
export function tablesRefresh(store: ClusterStore, k: number): void {
  const at = tablesTickTime(k);
  store.upsert({ id: GPU_NODE, name: 'gpu-1', target: GPU_NODE });
  store.setProcesses(GPU_NODE, { source: 'agent', processes: [processRow(10 + k), processRow(20)], groups: [{ ...processRow(0), pid: null, ppid: null, args: null, count: 2 }], total: 300 + k });
  store.setContainers(
    GPU_NODE,
    k === 4
      ? null
      : { containers: [{ id: '/docker/abc', name: 'web', image: 'nginx:1', composeProject: null, composeService: null, cpuPercent: 25 + k, memoryBytes: 1e8, memoryLimitBytes: null, receiveBytesPerSecond: 10, transmitBytesPerSecond: 20, readBytesPerSecond: 0, writtenBytesPerSecond: 4096, startedAtMs: T0 - 1000, restarts: 2 + k, restartsCounted: 'total' }], omitted: 0, unnamed: 37 },
  );
  if (k === 8) store.recordGpus(GPU_NODE, at, null);
  else if (k % 5 === 3) store.recordGpusDown(GPU_NODE, at, 'connection refused');
  else if (k % 7 !== 6) store.recordGpus(GPU_NODE, at, k >= 2 ? [gpuFigures(k), gpuFigures(k, 1)] : [gpuFigures(k)]);
  store.record(GPU_NODE, at, {
    name: 'gpu-1',
    source: 'node_exporter',
    figures: { cpu: null, load: null, memory: null, swap: null, network: null, disk: null, filesystem: null, uptimeSeconds: 5 + k },
    health: { up: true, lastSuccessMs: at, lastScrapeMs: at, lastDurationMs: 1, lastBodyBytes: 1, lastWireBytes: 1, lastSamples: 1, lastError: null, consecutiveFailures: 0 },
  });
  store.appendClusterPoint(at);
}

export function recordTablesScenario(path: string, ticks: number, without?: ReadonlySet<'processes' | 'containers' | 'gpus'>): void {
  const store = new ClusterStore(600);
  const recorder = Recorder.open({ path, maxBytes: 1 << 30, store, intervalMs: STEP_MS, now: () => T0, ...(without ? { without } : {}) });
  for (let k = 0; k < ticks; k++) tablesRefresh(store, k);
  recorder.close();
}

/** The live store after refresh `k`. */
export function liveTablesAt(k: number, capacity: number): ClusterStore {
  const store = new ClusterStore(capacity);
  for (let i = 0; i <= k; i++) tablesRefresh(store, i);
  return store;
}

/** A node's tables, and its GPUs' history rows after `sinceMs`, as plain values. */
export function tablesOf(n: NodeEntry, sinceMs = Number.NEGATIVE_INFINITY) {
  const gpus = n.gpus && {
    error: n.gpus.error,
    gpus: n.gpus.gpus.map((e) => ({
      figures: e.figures,
      rows: Array.from({ length: e.history.length }, (_, i) => [e.history.timeAt(i), ...GPU_SERIES.map((s) => e.history.valueAt(s, i))]).filter(([t]) => t! > sinceMs),
    })),
  };
  return { processes: n.processes, containers: n.containers, gpus };
}
