/** Kubernetes facts as the table and the detail show them: conditions as kubectl prints them, roles, usage against allocatable. */
import type { KubeNodeInfo, KubeResources, PodFigures } from '../../metrics/kube-figures.js';
import type { NodeFigures, NodeSource } from '../../metrics/node-figures.js';
import { fitLine, type Segment, type Tone } from '../render/segments.js';

/** What these functions need of a node; every store node and view node has it. */
export interface KubeNode {
  readonly source?: NodeSource;
  readonly figures: NodeFigures;
  readonly kube?: KubeNodeInfo | null;
  readonly pods?: readonly PodFigures[] | null;
}

export function hasKube(nodes: readonly { readonly kube: KubeNodeInfo | null }[]): boolean {
  return nodes.some((n) => n.kube !== null);
}

export const NO_ROLE = '<none>';

/** kubectl's ROLES: `control-plane,worker`, or `<none>`. */
export function rolesText(kube: KubeNodeInfo): string {
  return kube.roles.length > 0 ? kube.roles.join(',') : NO_ROLE;
}

interface ConditionPart {
  readonly text: string;
  readonly tone: Tone;
  readonly bold?: boolean;
}

/** Narrow cells get these instead of kubectl's words; "Ready,Scheduli…" would hide the point. */
const SHORT: Readonly<Record<string, string>> = {
  SchedulingDisabled: 'Cordoned',
  MemoryPressure: 'MemPressure',
  NetworkUnavailable: 'NetUnavailable',
};

/** kubectl's STATUS: the Ready condition, then SchedulingDisabled when cordoned, then every problem. */
function conditionParts(kube: KubeNodeInfo): ConditionPart[] {
  const parts: ConditionPart[] = [
    kube.ready === true
      ? { text: 'Ready', tone: 'green' }
      : kube.ready === false
        ? { text: 'NotReady', tone: 'red', bold: true }
        : { text: 'Unknown', tone: 'yellow', bold: true },
  ];
  if (kube.cordoned) parts.push({ text: 'SchedulingDisabled', tone: 'yellow' });
  // Pressure is a warning the kubelet acts on (evictions); a node without network is broken.
  for (const p of kube.problems) parts.push({ text: p, tone: p.endsWith('Pressure') ? 'yellow' : 'red', bold: true });
  return parts;
}

export function conditionsText(kube: KubeNodeInfo): string {
  return conditionParts(kube)
    .map((p) => p.text)
    .join(',');
}

/** The STATUS cell, exactly `width` cells: kubectl's words when they fit, short ones when not. */
export function conditionSegments(kube: KubeNodeInfo, width: number): Segment[] {
  const parts = conditionParts(kube);
  const short = conditionsText(kube).length > width;
  const out: Segment[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push({ text: ',', color: 'gray' });
    out.push({ text: short ? (SHORT[p.text] ?? p.text) : p.text, color: p.tone, ...(p.bold ? { bold: true } : {}) });
  });
  return fitLine(out, width);
}

/**
 * What pods may use, when the figures are the kubelet's: its machine-wide figures are then shown
 * against allocatable, the share Kubernetes schedules into. Other sources keep their own totals.
 */
export function allocatableOf(node: KubeNode): KubeResources | null {
  return node.source === 'kubelet' && node.kube ? node.kube.allocatable : null;
}

export function shownCpuPercent(node: KubeNode): number | null {
  const cpu = node.figures.cpu;
  if (!cpu || cpu.usagePercent === null) return null;
  const alloc = allocatableOf(node);
  return alloc && alloc.cpuCores > 0 ? (cpu.usagePercent * cpu.cores) / alloc.cpuCores : cpu.usagePercent;
}

export function shownMemoryPercent(node: KubeNode): number | null {
  const mem = node.figures.memory;
  if (!mem) return null;
  const alloc = allocatableOf(node);
  return alloc && alloc.memoryBytes > 0 ? (100 * mem.usedBytes) / alloc.memoryBytes : mem.usedPercent;
}

/** `12/110`: pods on the node over the pods it may run. */
export function podsText(node: KubeNode): string {
  const count = node.pods ? String(node.pods.length) : '-';
  return node.kube ? `${count}/${node.kube.allocatable.pods}` : count;
}

/** Cores as kubectl writes them: `250m` below one core, `1.25`, `12.5`, `128` above. */
export function formatCores(cores: number | null | undefined): string {
  if (cores === null || cores === undefined || !Number.isFinite(cores)) return '-';
  const millis = Math.round(cores * 1000);
  if (Math.abs(millis) < 1000) return `${millis}m`;
  return cores.toFixed(Math.abs(cores) < 10 ? 2 : Math.abs(cores) < 100 ? 1 : 0);
}

export function podTotals(pods: readonly PodFigures[]): { cpuCores: number | null; memoryBytes: number | null } {
  let cpu: number | null = null;
  let mem: number | null = null;
  for (const p of pods) {
    if (p.cpuCores !== null) cpu = (cpu ?? 0) + p.cpuCores;
    if (p.memoryBytes !== null) mem = (mem ?? 0) + p.memoryBytes;
  }
  return { cpuCores: cpu, memoryBytes: mem };
}
