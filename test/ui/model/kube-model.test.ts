import { describe, expect, it } from 'vitest';
import { groupNodes, isGroupRow, nextGroupBy, type GroupRow } from '../../../src/ui/model/groups.js';
import { conditionSegments, conditionsText, formatCores, hasKube, podsText, rolesText, shownCpuPercent, shownMemoryPercent } from '../../../src/ui/model/kube-model.js';
import { defaultPodSort, nextPodSortKey, sortPods } from '../../../src/ui/model/pod-model.js';
import { lineText, lineWidth } from '../../../src/ui/render/segments.js';
import { defaultSort, filterNodes, nextSortKey, parseFilter, sortNodes } from '../../../src/ui/model/table-model.js';
import { makeFigures } from '../fixtures.js';
import { buildKubeStore, INSTANCE_TYPE, kubeInfo, pod, WORKER_PODS, ZONE } from '../kube-fixtures.js';

const nodes = buildKubeStore().nodes();
const names = (list: readonly { name: string }[]): string[] => list.map((n) => n.name);
const find = (name: string) => {
  const n = nodes.find((x) => x.name === name);
  if (!n) throw new Error(`fixture has ${name}`);
  return n;
};

describe('node conditions', () => {
  it('reads like kubectl: Ready, NotReady, SchedulingDisabled, then the problems', () => {
    expect(conditionsText(kubeInfo())).toBe('Ready');
    expect(conditionsText(kubeInfo({ ready: false }))).toBe('NotReady');
    expect(conditionsText(kubeInfo({ ready: null }))).toBe('Unknown');
    expect(conditionsText(kubeInfo({ cordoned: true }))).toBe('Ready,SchedulingDisabled');
    expect(conditionsText(kubeInfo({ cordoned: true, problems: ['MemoryPressure', 'DiskPressure'] }))).toBe('Ready,SchedulingDisabled,MemoryPressure,DiskPressure');
  });

  it('colors Ready green, NotReady red, cordoned and pressure yellow, a lost network red', () => {
    const tones = (k: Parameters<typeof kubeInfo>[0]) => Object.fromEntries(conditionSegments(kubeInfo(k), 80).filter((s) => s.color && s.text !== ',').map((s) => [s.text.trim(), s.color]));
    expect(tones({})).toEqual({ Ready: 'green' });
    expect(tones({ ready: false })).toEqual({ NotReady: 'red' });
    expect(tones({ cordoned: true, problems: ['MemoryPressure', 'NetworkUnavailable'] })).toEqual({
      Ready: 'green',
      SchedulingDisabled: 'yellow',
      MemoryPressure: 'yellow',
      NetworkUnavailable: 'red',
    });
  });

  it('uses short words in a narrow cell and is always exactly the width', () => {
    const k = kubeInfo({ cordoned: true });
    expect(lineText(conditionSegments(k, 24))).toBe('Ready,SchedulingDisabled');
    expect(lineText(conditionSegments(k, 14))).toBe('Ready,Cordoned');
    for (const width of [1, 5, 10, 14, 30]) expect(lineWidth(conditionSegments(kubeInfo({ ready: false, cordoned: true, problems: ['PIDPressure'] }), width))).toBe(width);
  });

  it('names roles as kubectl does, <none> without any', () => {
    expect(rolesText(kubeInfo({ roles: ['control-plane', 'master'] }))).toBe('control-plane,master');
    expect(rolesText(kubeInfo({ roles: [] }))).toBe('<none>');
  });
});

describe('usage against allocatable', () => {
  it('shows kubelet figures against allocatable: 70% of 4 cores is 80% of 3.5', () => {
    const w = find('worker-1');
    expect(shownCpuPercent(w)).toBeCloseTo(80);
    expect(shownMemoryPercent(w)).toBeCloseTo((50 * 16) / 14);
  });

  it('leaves other sources alone, Kubernetes info or not', () => {
    const figures = makeFigures({ cpu: 70, mem: 50 });
    expect(shownCpuPercent({ source: 'node_exporter', figures, kube: kubeInfo() })).toBe(70);
    expect(shownMemoryPercent({ source: 'node_exporter', figures, kube: null })).toBe(50);
  });

  it('counts pods against allocatable pods', () => {
    expect(podsText(find('worker-1'))).toBe('4/110');
    expect(podsText(find('infra-1'))).toBe('-/110');
    expect(hasKube(nodes)).toBe(true);
    expect(hasKube(nodes.map((n) => ({ ...n, kube: null })))).toBe(false);
  });

  it('writes cores as kubectl: millicores below one core', () => {
    expect([0.25, 0.0004, 0.9996, 1.25, 12.5, 128, null].map(formatCores)).toEqual(['250m', '0m', '1.00', '1.25', '12.5', '128', '-']);
  });
});

describe('sorting with Kubernetes', () => {
  it('offers the pods sort only when some node has Kubernetes info', () => {
    expect(nextSortKey('load')).toBe('name');
    expect(nextSortKey('load', true)).toBe('pods');
    expect(nextSortKey('pods', true)).toBe('name');
    // --column names come after the built-in keys.
    expect(nextSortKey('load', false, ['rps', 'p99'])).toBe('column:rps');
    expect(nextSortKey('pods', true, ['rps', 'p99'])).toBe('column:rps');
    expect(nextSortKey('column:rps', false, ['rps', 'p99'])).toBe('column:p99');
    expect(nextSortKey('column:p99', false, ['rps', 'p99'])).toBe('name');
  });

  it('sorts by pod count, nodes without pod figures last, and CPU as shown', () => {
    expect(names(sortNodes(nodes, defaultSort('pods')))).toEqual(['worker-1', 'worker-3', 'cp-1', 'worker-2', 'infra-1']);
    expect(names(sortNodes(nodes, defaultSort('cpu')))[0]).toBe('worker-1');
  });

  it('sorts pods by CPU, memory or name, pods without figures last both ways', () => {
    const ids = (rows: readonly { id: string }[]): string[] => rows.map((r) => r.id);
    expect(ids(sortPods(WORKER_PODS, defaultPodSort('cpu')))).toEqual(['default/web-0', 'monitoring/prometheus-0', 'kube-system/coredns-7db6d8ff4d-abcde', 'default/job-x']);
    expect(ids(sortPods(WORKER_PODS, { key: 'cpu', descending: false })).at(-1)).toBe('default/job-x');
    expect(ids(sortPods(WORKER_PODS, defaultPodSort('memory')))[0]).toBe('monitoring/prometheus-0');
    expect(ids(sortPods([pod('b', 'x', 1, 1), pod('a', 'pod-10', 1, 1), pod('a', 'pod-9', 1, 1)], defaultPodSort('name')))).toEqual(['a/pod-9', 'a/pod-10', 'b/x']);
    // GPUs and restarts only where some pod holds a GPU or restarted.
    expect([nextPodSortKey('cpu', WORKER_PODS), nextPodSortKey('memory', WORKER_PODS), nextPodSortKey('name', WORKER_PODS)]).toEqual(['memory', 'name', 'cpu']);
    const held = [{ gpus: 1, restarts: 0 }];
    expect([nextPodSortKey('memory', held), nextPodSortKey('gpu', held)]).toEqual(['gpu', 'name']);
    expect(nextPodSortKey('gpu', [{ gpus: 0, restarts: 2 }])).toBe('restarts');
  });
});

describe('label filter', () => {
  const shown = (text: string): string[] => names(filterNodes(nodes, parseFilter(text)));

  it('matches roles with role=…, <none> for nodes without a role', () => {
    expect(shown('role=worker')).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(shown('role=control-plane')).toEqual(['cp-1']);
    expect(shown('role=<none>')).toEqual(['infra-1']);
  });

  it('matches Node labels with their full names, values without case', () => {
    expect(shown(`${ZONE}=zone-b`)).toEqual(['worker-2', 'infra-1']);
    expect(shown(`${INSTANCE_TYPE}=M5.LARGE`)).toEqual(['worker-1']);
  });

  it('takes several terms joined by commas, and != as kubectl -l does', () => {
    expect(shown(`role=worker,${ZONE}=zone-a`)).toEqual(['worker-1', 'worker-3']);
    expect(shown(`role!=worker`)).toEqual(['cp-1', 'infra-1']);
  });

  it('matches the target labels too', () => {
    const f = parseFilter('job=node');
    if (!f.ok) throw new Error(f.error);
    expect(f.test('x', { labels: { job: 'node' } })).toBe(true);
    expect(f.test('job=node')).toBe(false);
  });

  it('leaves text whose left side is no label name to the name filter', () => {
    expect(shown('worker-')).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(shown('^(cp|infra)')).toEqual(['cp-1', 'infra-1']);
    const f = parseFilter('a b=c');
    expect(f.ok && f.test('xa b=cx')).toBe(true);
  });
});

describe('groupNodes', () => {
  const sorted = sortNodes(nodes, defaultSort('name'));

  it('leaves the rows alone without grouping', () => {
    const g = groupNodes(sorted, 'none');
    expect(g.nodes).toBe(sorted);
    expect(g.display).toBe(sorted);
  });

  it('groups by role, groups in name order with <none> last, nodes in their sort order', () => {
    const g = groupNodes(sortNodes(nodes, defaultSort('cpu')), 'role');
    const labels = g.display.map((r) => (isGroupRow(r) ? `[${r.label} ${r.nodes}]` : r.name));
    expect(labels).toEqual(['[control-plane 1]', 'cp-1', '[worker 3]', 'worker-1', 'worker-3', 'worker-2', '[<none> 1]', 'infra-1']);
    expect(names(g.nodes)).toEqual(['cp-1', 'worker-1', 'worker-3', 'worker-2', 'infra-1']);
  });

  it('sums a group: NotReady count, CPU over allocatable cores, pods over allocatable pods', () => {
    const worker = groupNodes(sorted, 'role').display.find((r): r is GroupRow => isGroupRow(r) && r.label === 'worker');
    expect(worker).toMatchObject({ nodes: 3, notReady: 1, pods: 7, allocatablePods: 330 });
    expect(worker?.cpuPercent).toBeCloseTo((100 * (0.7 * 4 + 0.1 * 4 + 0.5 * 4)) / (3 * 3.5));
  });

  it('groups by zone label and cycles none, role, zone', () => {
    const labels = groupNodes(sorted, 'zone').display.filter(isGroupRow).map((r) => `${r.label} ${r.nodes}`);
    expect(labels).toEqual(['zone-a 3', 'zone-b 2']);
    expect([nextGroupBy('none'), nextGroupBy('role'), nextGroupBy('zone')]).toEqual(['role', 'zone', 'none']);
  });
});
