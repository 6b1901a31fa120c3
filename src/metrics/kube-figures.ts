/**
 * What Kubernetes adds to a node: facts from the Node object and live figures of its pods.
 * Filled by the Kubernetes source, shown by the UI and the snapshot; null for other sources.
 */
export interface KubeResources {
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly pods: number;
  /** Devices of the GPU device plugins (`nvidia.com/gpu`, `amd.com/gpu`); absent on a node without. */
  readonly gpus?: number;
}

export interface KubeNodeInfo {
  /** From `node-role.kubernetes.io/<role>` labels (and the legacy `kubernetes.io/role`). */
  readonly roles: readonly string[];
  /** The Ready condition: true, false, or null when unknown. */
  readonly ready: boolean | null;
  /** Pressure and other conditions that are True and should not be (MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable). */
  readonly problems: readonly string[];
  /** spec.unschedulable. */
  readonly cordoned: boolean;
  readonly capacity: KubeResources;
  readonly allocatable: KubeResources;
  readonly kubeletVersion: string;
  readonly internalIP: string | null;
  /** metadata.creationTimestamp, ms since the epoch. */
  readonly createdAtMs: number;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * GPUs the node's pods hold (their `nvidia.com/gpu` and `amd.com/gpu` limits, pods not yet
   * finished); absent where the pods cannot be listed.
   */
  readonly allocatedGpus?: number;
}

export interface ContainerFigures {
  readonly name: string;
  /** CPU in use, in cores (rate of container_cpu_usage_seconds_total); null before two readings. */
  readonly cpuCores: number | null;
  /** Working set bytes. */
  readonly memoryBytes: number | null;
}

export interface PodFigures {
  readonly namespace: string;
  readonly name: string;
  readonly cpuCores: number | null;
  readonly memoryBytes: number | null;
  readonly containers: readonly ContainerFigures[];
  /** From the Pod object, where pods can be listed (else absent): its phase, GPUs held and container restarts summed. */
  readonly phase?: string;
  readonly gpus?: number;
  readonly restarts?: number;
}
