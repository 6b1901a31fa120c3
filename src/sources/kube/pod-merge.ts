/**
 * A node's pods as the view shows them: the figures of the kubelet (or the metrics API) joined
 * with what the Pod objects say (phase, GPUs held, restarts). A listed pod without figures (pending,
 * crash-looping, just started) is shown too, with none: such a pod is what people look for.
 */
import type { PodFigures } from '../../metrics/kube-figures.js';
import type { KeptPod } from './kube-pods.js';

/** `figures` alone when the pods are not known (`facts` undefined: not listed, or not allowed). */
export function mergePods(figures: readonly PodFigures[] | null, facts: ReadonlyMap<string, KeptPod> | undefined): readonly PodFigures[] | null {
  if (facts === undefined) return figures;
  const out: PodFigures[] = [];
  const seen = new Set<string>();
  for (const p of figures ?? []) {
    const key = `${p.namespace}/${p.name}`;
    const f = facts.get(key);
    seen.add(key);
    out.push(f ? { ...p, phase: f.phase, gpus: f.gpus, restarts: f.restarts } : p);
  }
  for (const [key, f] of facts) {
    if (seen.has(key)) continue;
    const slash = key.indexOf('/');
    out.push({ namespace: key.slice(0, slash), name: key.slice(slash + 1), cpuCores: null, memoryBytes: null, containers: [], phase: f.phase, gpus: f.gpus, restarts: f.restarts });
  }
  return out;
}
