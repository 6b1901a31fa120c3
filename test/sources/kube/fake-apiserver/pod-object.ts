import { randomBytes, randomUUID } from 'node:crypto';
import { rfc3339 } from './formats.js';
import type { Pod } from './k8s-types.js';
import type { UsageSpec } from './usage.js';

export interface ContainerSpec extends UsageSpec {
  name: string;
  image?: string;
}

/** How a test describes a running pod. */
export interface PodSpec {
  name: string;
  namespace?: string;
  node: string;
  /** Default: one container named like the pod, using a little CPU and memory. */
  containers?: ContainerSpec[];
  labels?: Record<string, string>;
  podIP?: string;
  ageSeconds?: number;
}

export const DEFAULT_CONTAINER_USAGE = { cpuCores: 0.002, memoryBytes: 12 * 2 ** 20 };

export function containersOf(spec: PodSpec): ContainerSpec[] {
  return spec.containers ?? [{ name: spec.name, ...DEFAULT_CONTAINER_USAGE }];
}

/** The Pod object of a Running, Ready pod bound to `spec.node`. */
export function buildPod(spec: PodSpec, hostIP: string, startedAt: number): Pod {
  const containers = containersOf(spec);
  const started = rfc3339(startedAt);
  return {
    metadata: {
      name: spec.name,
      namespace: spec.namespace ?? 'default',
      uid: randomUUID(),
      resourceVersion: '0',
      creationTimestamp: started,
      labels: spec.labels ?? { app: spec.name },
    },
    spec: {
      nodeName: spec.node,
      containers: containers.map((c) => ({ name: c.name, image: c.image ?? `registry.example/${c.name}:1.0`, resources: {} })),
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
    },
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type, status: 'True', lastTransitionTime: started,
      })),
      hostIP,
      podIP: spec.podIP ?? '10.244.0.10',
      startTime: started,
      containerStatuses: containers.map((c) => ({
        name: c.name,
        ready: true,
        started: true,
        restartCount: 0,
        image: c.image ?? `registry.example/${c.name}:1.0`,
        imageID: `registry.example/${c.name}@sha256:${randomBytes(32).toString('hex')}`,
        containerID: `containerd://${randomBytes(32).toString('hex')}`,
        state: { running: { startedAt: started } },
      })),
      qosClass: 'BestEffort',
    },
  };
}
