/**
 * The node detail's Kubernetes lines: what the Node object says, and what the node's pods add up to.
 * The conditions are on the detail's title line, so they are not repeated here.
 */
import type { KubeNodeInfo, KubeResources } from '../../metrics/kube-figures.js';
import type { ViewNode } from '../model/frame-data.js';
import { formatAge, formatBytes, formatPercent } from '../../util/format.js';
import { allocatableOf, formatCores, podTotals, rolesText, shownCpuPercent, shownMemoryPercent } from '../model/kube-model.js';
import { flowLines, thresholdTone, type Segment } from './segments.js';

const label = (text: string): Segment => ({ text: `${text} `, color: 'gray' });

function allocatableItem(alloc: KubeResources, cap: KubeResources): Segment[] {
  const gpus = cap.gpus === undefined ? '' : `  GPUs ${alloc.gpus ?? 0}/${cap.gpus}`;
  const text = `CPU ${formatCores(alloc.cpuCores)}/${formatCores(cap.cpuCores)}  mem ${formatBytes(alloc.memoryBytes)}/${formatBytes(cap.memoryBytes)}  pods ${alloc.pods}/${cap.pods}${gpus}`;
  return [label('Allocatable/capacity'), { text }];
}

function nodeItems(kube: KubeNodeInfo, nowMs: number): Segment[][] {
  return [
    [label('Roles'), { text: rolesText(kube) }],
    ...(kube.cordoned ? [[{ text: 'cordoned', color: 'yellow' as const, bold: true }]] : []),
    [label('Kubelet'), { text: kube.kubeletVersion }],
    [label('IP'), { text: kube.internalIP ?? '-' }],
    [label('Age'), { text: formatAge((nowMs - kube.createdAtMs) / 1000) }],
  ];
}

function podsItem(node: ViewNode, kube: KubeNodeInfo): Segment[] {
  if (!node.pods) return [label('Pods'), { text: `-/${kube.allocatable.pods}, no pod figures yet`, color: 'gray' }];
  const sums = podTotals(node.pods);
  const out: Segment[] = [label('Pods'), { text: `${node.pods.length}/${kube.allocatable.pods}  CPU ${formatCores(sums.cpuCores)}  mem ${formatBytes(sums.memoryBytes)}` }];
  // GPUs held by pods against allocatable (and capacity when a device is out), as the scheduler counts them.
  if (kube.allocatedGpus !== undefined && kube.capacity.gpus !== undefined) {
    const alloc = kube.allocatable.gpus ?? 0;
    const of = alloc === kube.capacity.gpus ? `${alloc}` : `${alloc} (${kube.capacity.gpus})`;
    out.push({ text: '  GPUs held ' }, { text: `${kube.allocatedGpus}/${of}`, ...(kube.allocatedGpus >= alloc && alloc > 0 ? { color: 'yellow' as const } : {}) });
  }
  const restarts = node.pods.reduce((n, p) => n + (p.restarts ?? 0), 0);
  if (restarts > 0) out.push({ text: '  restarts ' }, { text: String(restarts), color: 'yellow' });
  return out;
}

/** The kubelet's CPU and memory against allocatable, as the table's bars show them. */
function allocatableUse(node: ViewNode): Segment[] {
  if (!allocatableOf(node)) return [];
  const cpu = shownCpuPercent(node);
  const mem = shownMemoryPercent(node);
  return [
    label('Of allocatable'),
    { text: 'CPU ' },
    { text: formatPercent(cpu, 0), color: thresholdTone(cpu) },
    { text: '  mem ' },
    { text: formatPercent(mem, 0), color: thresholdTone(mem) },
  ];
}

/**
 * At most `maxLines` lines, none for a node without Kubernetes info. The pods pane puts the pod
 * totals first, so a short terminal keeps them; the charts pane puts the Node object first.
 */
export function kubeFactLines(node: ViewNode, width: number, nowMs: number, pane: 'charts' | 'pods', maxLines: number): Segment[][] {
  const kube = node.kube;
  if (!kube || maxLines <= 0) return [];
  const use = allocatableUse(node);
  const capacity = allocatableItem(kube.allocatable, kube.capacity);
  const items = pane === 'pods' ? [podsItem(node, kube), ...nodeItems(kube, nowMs), capacity] : [...nodeItems(kube, nowMs), capacity, podsItem(node, kube)];
  if (use.length > 0) items.push(use);
  return flowLines(items, width, maxLines);
}
