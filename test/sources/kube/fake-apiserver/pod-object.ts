/**
 * Pod objects as the API server serves them. The shape (resources with extended resources such as
 * `nvidia.com/gpu` in limits and requests alike, containerStatuses with restartCount, state and
 * lastState, a qosClass of BestEffort for a GPU-only pod) follows a Pod captured from a live cluster:
 * run-ai/fake-gpu-operator, design/samples/2.17/fractional_pod_reservation.yaml.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rfc3339 } from './formats.js';
import type { Container, ContainerStatus, Pod } from './k8s-types.js';
import type { UsageSpec } from './usage.js';

export type Resources = Container['resources'];

export interface ContainerSpec extends UsageSpec {
  name: string;
  image?: string;
  /** As a manifest gives them: a limit without a request gets the limit as its request (the API server's defaulting). */
  resources?: Resources;
  /** Times the kubelet restarted it; the last restart ended a minute ago. Default 0. */
  restartCount?: number;
  /** Waiting instead of running, such as CrashLoopBackOff. */
  waiting?: { reason: string; message?: string };
}

export type PodPhase = Pod['status']['phase'];

/** How a test describes a pod bound to a node. */
export interface PodSpec {
  name: string;
  namespace?: string;
  node: string;
  /** Default: one container named like the pod, using a little CPU and memory. */
  containers?: ContainerSpec[];
  labels?: Record<string, string>;
  podIP?: string;
  ageSeconds?: number;
  /** Default Running. */
  phase?: PodPhase;
}

export const DEFAULT_CONTAINER_USAGE = { cpuCores: 0.002, memoryBytes: 12 * 2 ** 20 };

export function containersOf(spec: PodSpec): ContainerSpec[] {
  return spec.containers ?? [{ name: spec.name, ...DEFAULT_CONTAINER_USAGE }];
}

/** The API server's defaulting: a resource with a limit and no request is requested at its limit. */
function defaulted(resources: Resources | undefined): Resources {
  if (!resources) return {};
  const { limits, requests } = resources;
  const out: Resources = {};
  if (limits) out.limits = { ...limits };
  if (limits || requests) out.requests = { ...limits, ...requests };
  return out;
}

/** Kubernetes counts cpu and memory alone: a pod asking only for GPUs is BestEffort. */
function qosClass(containers: readonly Resources[]): string {
  const counted = (r: Record<string, string> | undefined): string[] => Object.keys(r ?? {}).filter((k) => k === 'cpu' || k === 'memory');
  if (containers.every((r) => counted(r.requests).length === 0 && counted(r.limits).length === 0)) return 'BestEffort';
  const guaranteed = containers.every((r) => ['cpu', 'memory'].every((k) => r.limits?.[k] !== undefined && r.limits[k] === r.requests?.[k]));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function containerStatus(spec: ContainerSpec, phase: PodPhase, started: string, lastRestart: string, image: string): ContainerStatus {
  // A pod bound to its node but pending is still pulling and creating its containers.
  const c = phase === 'Pending' && spec.waiting === undefined ? { ...spec, waiting: { reason: 'ContainerCreating' } } : spec;
  const restarts = c.restartCount ?? 0;
  const id = (): string => `containerd://${randomBytes(32).toString('hex')}`;
  return {
    name: c.name,
    ready: c.waiting === undefined,
    started: c.waiting === undefined,
    restartCount: restarts,
    image,
    imageID: `${image.replace(/:[^:/]*$/, '')}@sha256:${randomBytes(32).toString('hex')}`,
    containerID: id(),
    state: c.waiting ? { waiting: { ...c.waiting } } : { running: { startedAt: restarts > 0 ? lastRestart : started } },
    lastState: restarts > 0 ? { terminated: { exitCode: 1, reason: 'Error', startedAt: started, finishedAt: lastRestart, containerID: id() } } : {},
  };
}

/** The Pod object bound to `spec.node`: Running and Ready unless the spec says otherwise. */
export function buildPod(spec: PodSpec, hostIP: string, startedAt: number, now: number, identity?: { uid: string; created: string }): Pod {
  const containers = containersOf(spec);
  const started = identity?.created ?? rfc3339(startedAt);
  const lastRestart = rfc3339(now - 60_000);
  const phase = spec.phase ?? 'Running';
  const ready = phase === 'Running' && containers.every((c) => c.waiting === undefined);
  const resources = containers.map((c) => defaulted(c.resources));
  const image = (c: ContainerSpec): string => c.image ?? `registry.example/${c.name}:1.0`;
  return {
    metadata: {
      name: spec.name,
      namespace: spec.namespace ?? 'default',
      uid: identity?.uid ?? randomUUID(),
      resourceVersion: '0',
      creationTimestamp: started,
      labels: spec.labels ?? { app: spec.name },
    },
    spec: {
      nodeName: spec.node,
      containers: containers.map((c, i) => ({ name: c.name, image: image(c), resources: resources[i] ?? {} })),
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
    },
    status: {
      phase,
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type, status: ready || (type !== 'Ready' && type !== 'ContainersReady') ? 'True' : 'False', lastTransitionTime: started,
      })),
      hostIP,
      podIP: spec.podIP ?? '10.244.0.10',
      startTime: started,
      containerStatuses: containers.map((c) => containerStatus(c, phase, started, lastRestart, image(c))),
      qosClass: qosClass(resources),
    },
  };
}
