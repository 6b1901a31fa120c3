import { describe, expect, it } from 'vitest';
import { chooseColumns } from '../../src/ui/model/columns.js';
import { detailLines } from '../../src/ui/render/detail-lines.js';
import { groupNodes, isGroupRow } from '../../src/ui/model/groups.js';
import { podListRoom, podPaneLines, type PodPane } from '../../src/ui/render/pod-lines.js';
import { defaultPodSort, sortPods } from '../../src/ui/model/pod-model.js';
import { lineText, lineWidth } from '../../src/ui/render/segments.js';
import { defaultSort, sortNodes } from '../../src/ui/model/table-model.js';
import { groupSegments, rowSegments, titleSegments } from '../../src/ui/render/table-rows.js';
import { NOW } from './fixtures.js';
import { buildKubeStore, fillerPods, kubeInfo, WORKER_PODS } from './kube-fixtures.js';

const store = buildKubeStore(40);
const worker = store.nodes().find((n) => n.name === 'worker-1');
if (!worker) throw new Error('fixture has worker-1');
const busy = { ...worker, pods: [...WORKER_PODS, ...fillerPods(60)], kube: kubeInfo({ cordoned: true, problems: ['MemoryPressure'] }) };

function pane(over: Partial<PodPane> = {}): PodPane {
  return { rows: sortPods(busy.pods, defaultPodSort('cpu')), sort: defaultPodSort('cpu'), index: 0, offset: 0, containers: false, ...over };
}

describe('the detail of a Kubernetes node', () => {
  it('never exceeds the height or the width, charts or pods or containers', () => {
    for (const width of [40, 60, 80, 100, 160]) {
      for (let height = 0; height <= 40; height++) {
        for (const lines of [
          detailLines(busy, width, height, NOW),
          podPaneLines(busy, pane(), width, height, NOW),
          podPaneLines(busy, pane({ index: 2, containers: true }), width, height, NOW),
        ]) {
          expect(lines.length).toBeLessThanOrEqual(height);
          for (const line of lines) expect(lineWidth(line)).toBe(width);
        }
      }
    }
  });

  it('tells the Node object: roles, conditions, cordoned, kubelet, IP, age, allocatable against capacity', () => {
    const text = detailLines(busy, 120, 40, NOW).map(lineText).join('\n');
    expect(text).toMatch(/^worker-1\s+up\s+Ready,SchedulingDisabled,MemoryPressure\s+4 cores/);
    for (const fact of ['Roles worker', 'cordoned', 'Kubelet v1.29.3', 'IP 10.0.1.10', 'Age 12d', 'Allocatable/capacity CPU 3.50/4.00  mem 14.0 GiB/16.0 GiB  pods 110/110']) {
      expect(text).toContain(fact);
    }
    expect(text).toContain('Pods 64/110  CPU 3.83');
    expect(text).toContain('Of allocatable CPU 80%  mem 57%');
    expect(text).toContain('┤');
    expect(text).not.toContain('GPUs');
  });

  it('adds the GPU device plugin\'s devices, allocatable against capacity, on a GPU node', () => {
    const gpuNode = { ...busy, kube: kubeInfo({ capacity: { cpuCores: 4, memoryBytes: 16 * 2 ** 30, pods: 110, gpus: 8 }, allocatable: { cpuCores: 3.5, memoryBytes: 14 * 2 ** 30, pods: 110, gpus: 7 } }) };
    expect(detailLines(gpuNode, 160, 40, NOW).map(lineText).join('\n')).toContain('pods 110/110  GPUs 7/8');
  });

  it('draws exactly the rows podListRoom promises, from the offset, with the selection marked', () => {
    for (const [width, height] of [[80, 19], [60, 10], [120, 35]] as const) {
      const room = podListRoom(busy, width, height, NOW);
      const lines = podPaneLines(busy, pane({ index: 12, offset: 10 }), width, height, NOW).map(lineText);
      expect(lines).toHaveLength(height);
      const rows = lines.slice(height - room);
      expect(rows[2]?.startsWith('>')).toBe(true);
      expect(rows.filter((l) => l.startsWith('>'))).toHaveLength(1);
    }
  });

  it('shows a pod\u2019s containers with their CPU and memory', () => {
    const text = podPaneLines(busy, pane({ index: 0, containers: true }), 80, 19, NOW).map(lineText).join('\n');
    expect(text).toContain('Pod default/web-0  CPU 1.25  mem 50.0 MiB  2 containers');
    expect(text).toMatch(/nginx\s+1\.00\s+30\.0 MiB/);
    expect(text).toMatch(/sidecar\s+250m\s+20\.0 MiB/);
  });
});

describe('the node table with Kubernetes columns and groups', () => {
  const grouped = groupNodes(sortNodes(store.nodes(), defaultSort('name')), 'role');

  for (const width of [60, 80, 100]) {
    it(`fits ${width} columns exactly, group headers included`, () => {
      const columns = chooseColumns(width, true);
      const lines = [
        titleSegments(columns, defaultSort('pods'), width),
        ...grouped.display.map((r) => (isGroupRow(r) ? groupSegments(r, columns, width) : rowSegments(r, columns, width, NOW, false))),
      ];
      for (const line of lines) expect(lineWidth(line)).toBe(width);
      const text = lines.map(lineText);
      expect(text.find((l) => l.includes('▾ worker'))).toMatch(/▾ worker 3 nodes 1 NotReady\s+█/);
    });
  }
});
