/** A Node object, as the API serves it, turned into what the store keeps of it. */
import type { KubeNodeInfo, KubeResources } from '../../metrics/kube-figures.js';
import { fields, isFields } from './json.js';
import { parseQuantity } from './quantity.js';

/** Conditions that are a problem when True (Ready is the one that is a problem when not). */
const PROBLEM_CONDITIONS = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']);
const ROLE_LABEL = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';
/** NVIDIA's and AMD's device plugins' resource names (a node has one or the other). */
export const GPU_RESOURCES = ['nvidia.com/gpu', 'amd.com/gpu'] as const;

export interface KubeNode {
  readonly name: string;
  readonly info: KubeNodeInfo;
}

/** The node's name and facts; undefined for something that is not a Node (no name). */
export function readNode(object: unknown): KubeNode | undefined {
  if (!isFields(object)) return undefined;
  const metadata = fields(object.metadata);
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const spec = fields(object.spec);
  const status = fields(object.status);
  const labels = stringRecord(metadata.labels);
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isFields) : [];
  const ready = conditions.find((c) => c.type === 'Ready')?.status;
  const created = typeof metadata.creationTimestamp === 'string' ? Date.parse(metadata.creationTimestamp) : NaN;
  const addresses = Array.isArray(status.addresses) ? status.addresses.filter(isFields) : [];
  const internalIP = addresses.find((a) => a.type === 'InternalIP')?.address;
  const kubeletVersion = fields(status.nodeInfo).kubeletVersion;
  return {
    name,
    info: {
      roles: roles(labels),
      ready: ready === 'True' ? true : ready === 'False' ? false : null,
      problems: conditions.filter((c) => c.status === 'True' && typeof c.type === 'string' && PROBLEM_CONDITIONS.has(c.type)).map((c) => String(c.type)),
      cordoned: spec.unschedulable === true,
      capacity: resources(status.capacity),
      allocatable: resources(status.allocatable),
      kubeletVersion: typeof kubeletVersion === 'string' ? kubeletVersion : '',
      internalIP: typeof internalIP === 'string' ? internalIP : null,
      createdAtMs: Number.isNaN(created) ? 0 : created,
      labels,
    },
  };
}

/** `node-role.kubernetes.io/<role>` labels, and the older `kubernetes.io/role: <role>`, sorted, each once. */
function roles(labels: Readonly<Record<string, string>>): string[] {
  const found = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith(ROLE_LABEL) && key.length > ROLE_LABEL.length) found.add(key.slice(ROLE_LABEL.length));
    else if (key === LEGACY_ROLE_LABEL && value !== '') found.add(value);
  }
  return [...found].sort();
}

function resources(value: unknown): KubeResources {
  const r = fields(value);
  const quantity = (name: string): number => {
    const text = r[name];
    return typeof text === 'string' ? (parseQuantity(text) ?? 0) : 0;
  };
  // The device plugins' extended resources: what the scheduler hands out to pods, whole devices.
  const gpus = GPU_RESOURCES.reduce((n, name) => n + quantity(name), 0);
  return { cpuCores: quantity('cpu'), memoryBytes: quantity('memory'), pods: quantity('pods'), ...(gpus > 0 ? { gpus } : {}) };
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(fields(value))) if (typeof v === 'string') out[key] = v;
  return out;
}
