/**
 * One node's derived figures: the per-node shape every source (node_exporter, kubelet, local,
 * prometheus) is turned into, and exactly the node object of the `--once -o json` snapshot.
 * A group a source cannot give is null; a rate needs two scrapes, so it is null after the first.
 */
export type NodeSource = 'node_exporter' | 'kubelet' | 'local' | 'prometheus' | 'app' | 'cadvisor';

export interface CpuFigures {
  readonly cores: number;
  readonly usagePercent: number | null;
  readonly perCoreUsagePercent: (number | null)[] | null;
}
export interface LoadFigures {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
}
export interface MemoryFigures {
  readonly totalBytes: number;
  readonly usedBytes: number;
  readonly availableBytes: number;
  readonly usedPercent: number;
}
export interface SwapFigures {
  readonly totalBytes: number;
  readonly usedBytes: number;
}
export interface NetworkFigures {
  readonly receiveBytesPerSecond: number;
  readonly transmitBytesPerSecond: number;
}
export interface DiskFigures {
  readonly readBytesPerSecond: number;
  readonly writtenBytesPerSecond: number;
}
export interface FilesystemFigures {
  readonly sizeBytes: number;
  readonly usedBytes: number;
}

export interface NodeFigures {
  readonly cpu: CpuFigures | null;
  readonly load: LoadFigures | null;
  readonly memory: MemoryFigures | null;
  readonly swap: SwapFigures | null;
  readonly network: NetworkFigures | null;
  readonly disk: DiskFigures | null;
  readonly filesystem: FilesystemFigures | null;
  readonly uptimeSeconds: number | null;
}

export const EMPTY_FIGURES: NodeFigures = Object.freeze({
  cpu: null,
  load: null,
  memory: null,
  swap: null,
  network: null,
  disk: null,
  filesystem: null,
  uptimeSeconds: null,
});
