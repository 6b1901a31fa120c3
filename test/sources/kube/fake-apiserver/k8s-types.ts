/** The parts of the Kubernetes API objects the fake server serves, in their JSON shape. */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface NodeSystemInfo {
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  containerRuntimeVersion: string;
  kubeletVersion: string;
  kubeProxyVersion: string;
  operatingSystem: string;
  architecture: string;
}

export interface Node {
  kind?: 'Node';
  apiVersion?: 'v1';
  metadata: ObjectMeta;
  spec: { podCIDR: string; podCIDRs: string[]; providerID?: string; taints?: Taint[]; unschedulable?: boolean };
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    conditions: NodeCondition[];
    addresses: { type: 'InternalIP' | 'ExternalIP' | 'Hostname'; address: string }[];
    daemonEndpoints: { kubeletEndpoint: { Port: number } };
    nodeInfo: NodeSystemInfo;
  };
}

export interface Container {
  name: string;
  image: string;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID: string;
  state: ContainerState;
  /** The previous run's end, once the container has restarted; `{}` before. */
  lastState: ContainerState;
}

export interface ContainerState {
  running?: { startedAt: string };
  waiting?: { reason: string; message?: string };
  terminated?: { exitCode: number; reason: string; startedAt: string; finishedAt: string; containerID: string };
}

export interface Pod {
  kind?: 'Pod';
  apiVersion?: 'v1';
  metadata: ObjectMeta & { namespace: string };
  spec: { nodeName: string; containers: Container[]; restartPolicy: string; schedulerName: string };
  status: {
    phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    conditions: { type: string; status: 'True' | 'False'; lastTransitionTime: string }[];
    hostIP: string;
    podIP: string;
    startTime: string;
    containerStatuses: ContainerStatus[];
    qosClass: string;
  };
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[] | null;
  rows: { cells: (string | number)[]; object: PartialObjectMetadata }[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface Usage {
  cpu: string;
  memory: string;
}

export interface NodeMetrics {
  metadata: { name: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  usage: Usage;
}

export interface PodMetrics {
  metadata: { name: string; namespace: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  containers: { name: string; usage: Usage }[];
}

export interface Namespace {
  kind?: 'Namespace';
  apiVersion?: 'v1';
  metadata: ObjectMeta;
  spec: { finalizers: string[] };
  status: { phase: 'Active' };
}
