import { randomBytes, randomUUID } from 'node:crypto';
import { binaryQuantity, parseBytes, rfc3339 } from './formats.js';
import type { Node, NodeCondition, Taint } from './k8s-types.js';
import type { UsageSpec } from './usage.js';

/** How a test describes a node; everything has a kubeadm-like default. */
export interface NodeSpec {
  name: string;
  /** Becomes `node-role.kubernetes.io/<role>` labels; control-plane also gets kubeadm's NoSchedule taint. */
  roles?: string[];
  /** 'unknown' is a kubelet that stopped posting status: it cannot be reached through the proxy either. */
  ready?: boolean | 'unknown';
  /** Cordoned. */
  unschedulable?: boolean;
  memoryPressure?: boolean;
  diskPressure?: boolean;
  pidPressure?: boolean;
  labels?: Record<string, string>;
  taints?: Taint[];
  cpu?: number;
  /** Capacity, as bytes or a quantity such as "16Gi". */
  memory?: string | number;
  maxPods?: number;
  kubeletVersion?: string;
  internalIP?: string;
  architecture?: string;
  osImage?: string;
  kernelVersion?: string;
  containerRuntimeVersion?: string;
  ageSeconds?: number;
  /** What the node as a whole uses (the root cgroup), for the kubelet's metrics. */
  usage?: UsageSpec;
  /** The kubelet cannot get stats: /metrics/resource reports only resource_scrape_error 1. */
  scrapeError?: boolean;
  /**
   * GPUs a device plugin advertises, as the NVIDIA GPU Operator's does (`nvidia.com/gpu` in capacity
   * and allocatable; allocatable lower when a device is unhealthy), or AMD's (`amd.com/gpu`).
   */
  gpus?: { capacity: number; allocatable?: number; resource?: 'nvidia.com/gpu' | 'amd.com/gpu' };
  /** Port → loopback base URL that `nodes/NAME:PORT/proxy/...` forwards to (a node_exporter, say). */
  exporters?: Record<number, string>;
}

/** kubeadm's default hard eviction threshold, which the kubelet subtracts from capacity for allocatable. */
const EVICTION_RESERVE = 100 * 2 ** 20;

function condition(type: string, ok: boolean, state: NodeSpec['ready'], texts: [string, string, string, string], now: number, since: number): NodeCondition {
  const [goodReason, goodMessage, badReason, badMessage] = texts;
  if (state === 'unknown') {
    return {
      type, status: 'Unknown', lastHeartbeatTime: rfc3339(since), lastTransitionTime: rfc3339(now),
      reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.',
    };
  }
  return {
    type, status: (type === 'Ready') === ok ? 'True' : 'False', lastHeartbeatTime: rfc3339(now), lastTransitionTime: rfc3339(since),
    reason: ok ? goodReason : badReason, message: ok ? goodMessage : badMessage,
  };
}

function taintsFor(spec: NodeSpec, now: number): Taint[] {
  const taints: Taint[] = [...(spec.taints ?? [])];
  if (!spec.taints && spec.roles?.includes('control-plane')) {
    taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
  }
  if (spec.ready === 'unknown') {
    taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: rfc3339(now) });
    taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: rfc3339(now) });
  } else if (spec.ready === false) {
    taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule', timeAdded: rfc3339(now) });
  }
  if (spec.unschedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: rfc3339(now) });
  return taints;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Builds the Node object a kubeadm cluster's kubelet would have registered, in the API's JSON shape. */
export function buildNode(spec: NodeSpec, serverVersion: string, now: number, createdAt: number, uid: string = randomUUID()): Node {
  const ready = spec.ready ?? true;
  const arch = spec.architecture ?? 'amd64';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
  };
  for (const role of spec.roles ?? []) labels[`node-role.kubernetes.io/${role}`] = '';
  if (spec.roles?.includes('control-plane')) labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  Object.assign(labels, spec.labels);
  const memory = parseBytes(spec.memory ?? '16323552Ki');
  const capacity: Record<string, string> = {
    cpu: String(spec.cpu ?? 4),
    'ephemeral-storage': '102626232Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: binaryQuantity(memory),
    pods: String(spec.maxPods ?? 110),
  };
  const allocatable: Record<string, string> = { ...capacity, 'ephemeral-storage': '94580335255', memory: binaryQuantity(memory - EVICTION_RESERVE) };
  if (spec.gpus) {
    const resource = spec.gpus.resource ?? 'nvidia.com/gpu';
    Object.assign(capacity, { [resource]: String(spec.gpus.capacity) });
    allocatable[resource] = String(spec.gpus.allocatable ?? spec.gpus.capacity);
  }
  const kubeletVersion = spec.kubeletVersion ?? serverVersion;
  const taints = taintsFor(spec, now);
  const node: Node = {
    metadata: {
      name: spec.name,
      uid,
      resourceVersion: '0',
      creationTimestamp: rfc3339(createdAt),
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], providerID: `fake://${spec.name}` },
    status: {
      capacity,
      allocatable,
      conditions: [
        condition('MemoryPressure', !spec.memoryPressure, ready, ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'], now, createdAt),
        condition('DiskPressure', !spec.diskPressure, ready, ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure', 'KubeletHasDiskPressure', 'kubelet has disk pressure'], now, createdAt),
        condition('PIDPressure', !spec.pidPressure, ready, ['KubeletHasSufficientPID', 'kubelet has sufficient PID available', 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available'], now, createdAt),
        condition('Ready', ready === true, ready, ['KubeletReady', 'kubelet is posting ready status', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'], now, createdAt),
      ],
      addresses: [
        { type: 'InternalIP', address: spec.internalIP ?? '10.0.0.10' },
        { type: 'Hostname', address: spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: hex(16),
        systemUUID: randomUUID(),
        bootID: randomUUID(),
        kernelVersion: spec.kernelVersion ?? '6.1.0-31-amd64',
        osImage: spec.osImage ?? 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: spec.containerRuntimeVersion ?? 'containerd://1.7.24',
        kubeletVersion,
        kubeProxyVersion: kubeletVersion,
        operatingSystem: 'linux',
        architecture: arch,
      },
    },
  };
  if (taints.length) node.spec.taints = taints;
  if (spec.unschedulable) node.spec.unschedulable = true;
  return node;
}
