/**
 * Grouping the node table by role or zone (Kubernetes) or by a target label (job, from discovery):
 * header rows with counts and the group's usage.
 */
import { allocatableOf, NO_ROLE, rolesText } from './kube-model.js';
import type { LabelledNode } from './label-filter.js';
import { naturalKey, type SortableNode } from './table-model.js';

export const GROUP_BYS = ['none', 'role', 'zone'] as const;
/** 'none', 'role' or 'zone', or the name of a target label. */
export type GroupBy = string;

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export function nextGroupBy(by: GroupBy, choices: readonly GroupBy[] = GROUP_BYS): GroupBy {
  return choices[(choices.indexOf(by) + 1) % choices.length] ?? 'none';
}

/**
 * What `b` cycles through: none, role and zone for Kubernetes nodes (their many labels would make
 * a long cycle); else none and the targets' label names, job first, the rest by name. Not
 * instance: one group per target tells nothing.
 */
export function groupChoices(nodes: readonly LabelledNode[], kube: boolean): readonly GroupBy[] {
  if (kube) return GROUP_BYS;
  const names = new Set<string>();
  for (const n of nodes) for (const name in n.labels) names.add(name);
  names.delete('instance');
  return ['none', ...[...names].sort((a, b) => (a === 'job' ? -1 : b === 'job' ? 1 : a < b ? -1 : 1))];
}

export interface GroupRow {
  readonly kind: 'group';
  /** Never a node's id, so a header can sit in the same list as the nodes. */
  readonly id: string;
  readonly label: string;
  readonly nodes: number;
  /** Nodes whose Ready condition is not True. */
  readonly notReady: number;
  /** Busy cores over the group's cores (allocatable for kubelet nodes), as the rows show them. */
  readonly cpuPercent: number | null;
  readonly memoryPercent: number | null;
  readonly pods: number | null;
  readonly allocatablePods: number | null;
}

export function isGroupRow(row: object): row is GroupRow {
  return 'kind' in row && row.kind === 'group';
}

/** A target label named role or zone means what the Kubernetes one does, for nodes outside Kubernetes. */
export function groupKey(node: SortableNode, by: GroupBy): string {
  if (by === 'role') return node.kube ? rolesText(node.kube) : (node.labels?.role ?? NO_ROLE);
  if (by === 'zone') return node.kube?.labels[ZONE_LABEL] ?? node.labels?.[ZONE_LABEL] ?? node.labels?.zone ?? NO_ROLE;
  return node.labels?.[by] ?? NO_ROLE;
}

const add = (a: number | null, b: number | null | undefined): number | null => (b === null || b === undefined ? a : (a ?? 0) + b);

function summarize(by: GroupBy, label: string, members: readonly SortableNode[]): GroupRow {
  let busy: number | null = null;
  let cores: number | null = null;
  let used: number | null = null;
  let bytes: number | null = null;
  let pods: number | null = null;
  let allocatablePods: number | null = null;
  let notReady = 0;
  for (const n of members) {
    const { cpu, memory } = n.figures;
    const alloc = allocatableOf(n);
    if (cpu && cpu.usagePercent !== null) {
      busy = add(busy, (cpu.usagePercent / 100) * cpu.cores);
      cores = add(cores, alloc?.cpuCores ?? cpu.cores);
    }
    if (memory) {
      used = add(used, memory.usedBytes);
      bytes = add(bytes, alloc?.memoryBytes ?? memory.totalBytes);
    }
    pods = add(pods, n.pods?.length);
    allocatablePods = add(allocatablePods, n.kube?.allocatable.pods);
    if (n.kube && n.kube.ready !== true) notReady++;
  }
  const percent = (part: number | null, whole: number | null): number | null => (part !== null && whole !== null && whole > 0 ? (100 * part) / whole : null);
  return {
    kind: 'group',
    id: `group:${by}:${label}`,
    label,
    nodes: members.length,
    notReady,
    cpuPercent: percent(busy, cores),
    memoryPercent: percent(used, bytes),
    pods,
    allocatablePods,
  };
}

export interface Grouped<T> {
  /** The nodes in screen order: the selection moves over these. */
  readonly nodes: readonly T[];
  /** The nodes with a header before each group: what the table draws. */
  readonly display: readonly (T | GroupRow)[];
}

/** Groups in name order (`<none>` last); within a group the nodes keep the order they came in. */
export function groupNodes<T extends SortableNode>(sorted: readonly T[], by: GroupBy): Grouped<T> {
  if (by === 'none') return { nodes: sorted, display: sorted };
  const groups = new Map<string, T[]>();
  for (const n of sorted) {
    const key = groupKey(n, by);
    const members = groups.get(key);
    if (members) members.push(n);
    else groups.set(key, [n]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === NO_ROLE ? 1 : b === NO_ROLE ? -1 : naturalKey(a) < naturalKey(b) ? -1 : 1));
  const nodes: T[] = [];
  const display: (T | GroupRow)[] = [];
  for (const key of keys) {
    const members = groups.get(key) ?? [];
    display.push(summarize(by, key, members), ...members);
    nodes.push(...members);
  }
  return { nodes, display };
}
