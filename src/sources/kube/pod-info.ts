/**
 * A Pod object, as the API serves it, reduced to the little the view needs of it: where it runs,
 * its phase, the GPUs it holds and how often its containers restarted. Nothing else of the object
 * is kept: a cluster of 5,000 nodes runs 150,000 pods.
 */
import { fields, isFields } from './json.js';
import { parseQuantity } from './quantity.js';
import { GPU_RESOURCES } from './node-info.js';

export interface PodFacts {
  /** spec.nodeName. */
  readonly node: string;
  readonly phase: PodPhase;
  /** GPUs of the device plugins the pod's containers hold (their limits: for extended resources requests equal them). */
  readonly gpus: number;
  /** The sum of its containers' restartCount. */
  readonly restarts: number;
}

/** The phases a pod is listed in (Succeeded and Failed ones are not asked for). */
export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type PodPhase = (typeof POD_PHASES)[number];

/** Pods that hold nothing any more are not listed: the scheduler's own selector for the pods that count. */
export const ACTIVE_PODS_SELECTOR = 'status.phase!=Succeeded,status.phase!=Failed';

/** `namespace/name` and the pod's facts; undefined for something that is no pod bound to a node. */
export function readPod(object: unknown): { key: string; value: PodFacts } | undefined {
  if (!isFields(object)) return undefined;
  const { name, namespace } = fields(object.metadata);
  const spec = fields(object.spec);
  const node = spec.nodeName;
  if (typeof name !== 'string' || typeof namespace !== 'string' || name === '') return undefined;
  // A pod not yet scheduled runs nowhere: it is known, under no node, so that it can leave.
  const status = fields(object.status);
  const phase = POD_PHASES.find((p) => p === status.phase) ?? 'Unknown';
  return { key: `${namespace}/${name}`, value: { node: typeof node === 'string' ? node : '', phase, gpus: podGpus(spec.containers), restarts: restarts(status.containerStatuses) } };
}

function podGpus(containers: unknown): number {
  if (!Array.isArray(containers)) return 0;
  let sum = 0;
  for (const c of containers) {
    const resources = fields(fields(c).resources);
    // Extended resources cannot be overcommitted: a limit is required and any request equals it.
    const counted = isFields(resources.limits) ? resources.limits : fields(resources.requests);
    for (const name of GPU_RESOURCES) {
      const text = counted[name];
      const n = typeof text === 'string' ? parseQuantity(text) : typeof text === 'number' ? text : null;
      if (n !== null && Number.isFinite(n) && n > 0) sum += n;
    }
  }
  return sum;
}

function restarts(statuses: unknown): number {
  if (!Array.isArray(statuses)) return 0;
  let sum = 0;
  for (const s of statuses) {
    const n = fields(s).restartCount;
    if (typeof n === 'number' && Number.isFinite(n) && n > 0) sum += n;
  }
  return sum;
}
