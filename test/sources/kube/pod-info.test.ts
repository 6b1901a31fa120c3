/**
 * What is kept of a Pod object: read from a Pod captured on a live GPU cluster
 * (test/fixtures/kube/README.md), and from the fake API server's pods built after it.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { readPod } from '../../../src/sources/kube/pod-info.js';
import { buildPod } from './fake-apiserver/pod-object.js';

const captured: unknown = load(readFileSync(new URL('../../fixtures/kube/runai-reservation-pod.yaml', import.meta.url), 'utf8'));

describe('a Pod object, reduced', () => {
  it('reads the captured GPU pod: its node, phase, the GPU its limit holds, no restarts', () => {
    expect(readPod(captured)).toEqual({
      key: 'runai-reservation/runai-reservation-gpu-i-0b498db53280b86a6-fzdhl',
      value: { node: 'i-0b498db53280b86a6', phase: 'Running', gpus: 1, restarts: 0 },
    });
  });

  it('sums limits of NVIDIA and AMD GPUs and restarts over containers; a pod not yet scheduled is under no node', () => {
    const pod = buildPod(
      {
        name: 'mixed', node: 'g1',
        containers: [
          { name: 'a', resources: { limits: { 'nvidia.com/gpu': '2' } }, restartCount: 1 },
          { name: 'b', resources: { limits: { 'amd.com/gpu': '1', cpu: '500m' } }, restartCount: 4 },
          { name: 'c' },
        ],
      },
      '10.0.0.1', 0, 60_000,
    );
    expect(readPod(pod)?.value).toEqual({ node: 'g1', phase: 'Running', gpus: 3, restarts: 5 });
    const unscheduled = { ...pod, spec: { ...pod.spec, nodeName: undefined }, status: { phase: 'Pending' } };
    expect(readPod(unscheduled)?.value).toEqual({ node: '', phase: 'Pending', gpus: 3, restarts: 0 });
  });

  it('keeps nothing of what is no pod, and no odd value of what is', () => {
    for (const bad of [null, 'pod', [], {}, { metadata: { name: 'x' } }, { metadata: { namespace: 'ns', name: '' } }]) expect(readPod(bad)).toBeUndefined();
    const odd = { metadata: { namespace: 'ns', name: 'x' }, spec: { nodeName: 'n', containers: [{ resources: { limits: { 'nvidia.com/gpu': 'lots' } } }, 'junk'] }, status: { phase: 'Exploded', containerStatuses: [{ restartCount: -3 }, { restartCount: 'many' }] } };
    expect(readPod(odd)?.value).toEqual({ node: 'n', phase: 'Unknown', gpus: 0, restarts: 0 });
  });
});
