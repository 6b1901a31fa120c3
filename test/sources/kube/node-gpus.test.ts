/**
 * A GPU node's Node object: the device plugin's extended resource (`nvidia.com/gpu`, as the NVIDIA
 * GPU Operator advertises it; `amd.com/gpu` from AMD's) read into capacity and allocatable, and
 * shown in the detail beside CPU, memory and pods (test/ui/kube-detail.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { readNode } from '../../../src/sources/kube/node-info.js';

const node = (capacity: Record<string, string>, allocatable: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'gpu-node-1', creationTimestamp: '2026-11-01T00:00:00Z', labels: { 'node-role.kubernetes.io/gpu': '' } },
  spec: {},
  status: {
    capacity: { cpu: '96', memory: '1056742872Ki', pods: '110', 'ephemeral-storage': '1843030548Ki', ...capacity },
    allocatable: { cpu: '95500m', memory: '1046153176Ki', pods: '110', ...allocatable },
    conditions: [{ type: 'Ready', status: 'True' }],
    nodeInfo: { kubeletVersion: 'v1.31.2' },
  },
});

describe('GPU resources of a Kubernetes node', () => {
  it('reads nvidia.com/gpu and amd.com/gpu into capacity and allocatable', () => {
    const nvidia = readNode(node({ 'nvidia.com/gpu': '8' }, { 'nvidia.com/gpu': '7' }))!;
    expect(nvidia.info.capacity).toEqual({ cpuCores: 96, memoryBytes: 1056742872 * 1024, pods: 110, gpus: 8 });
    expect(nvidia.info.allocatable.gpus).toBe(7);
    expect(readNode(node({ 'amd.com/gpu': '8' }, { 'amd.com/gpu': '8' }))!.info.allocatable.gpus).toBe(8);
  });

  it('leaves gpus out on a node without a GPU device plugin', () => {
    const plain = readNode(node({}, {}))!;
    expect(plain.info.capacity).toEqual({ cpuCores: 96, memoryBytes: 1056742872 * 1024, pods: 110 });
    expect('gpus' in plain.info.allocatable).toBe(false);
  });
});
