/**
 * The pods pane's GPU and RESTARTS columns: shown when some pod holds a GPU or restarted, the GPU
 * cell with the utilisation dcgm-exporter maps to the pod (its pod labels, on the kops L4 capture),
 * a pod without figures showing its phase; RESTARTS goes first as the width shrinks, then GPU.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { GpuReader } from '../../src/metrics/gpu.js';
import type { PodFigures } from '../../src/metrics/kube-figures.js';
import { ClusterStore, type NodeEntry } from '../../src/store/cluster-store.js';
import { detailLines } from '../../src/ui/render/detail-lines.js';
import { podPaneLines, type PodPane } from '../../src/ui/render/pod-lines.js';
import { defaultPodSort, sortPods, type PodSortKey } from '../../src/ui/model/pod-model.js';
import { lineText, lineWidth } from '../../src/ui/render/segments.js';
import { NOW } from './fixtures.js';
import { buildKubeStore, kubeInfo, pod, WORKER_PODS } from './kube-fixtures.js';

const MiB = 2 ** 20;
const facts = (p: PodFigures, phase: string, gpus: number, restarts: number): PodFigures => ({ ...p, phase, gpus, restarts });
const PODS: PodFigures[] = [
  ...WORKER_PODS.map((p) => facts(p, 'Running', 0, 0)),
  facts(pod('ml', 'train-0', 3.5, 900 * MiB, [['trainer', 3.5, 900 * MiB]]), 'Running', 1, 0),
  facts(pod('lab', 'notebook', 0.01, 300 * MiB, [['jupyter', 0.01, 300 * MiB]]), 'Running', 1, 3),
  facts(pod('ml', 'queued', null, null), 'Pending', 2, 0),
];

/** kops' L4 capture, its one GPU (0 %) mapped by dcgm-exporter's pod labels to ml/train-0. */
function mappedGpus(): NodeEntry['gpus'] {
  const text = readFileSync(new URL('../fixtures/gpu/dcgm-kops-l4.metrics', import.meta.url), 'utf8').replace(/^(DCGM_FI_DEV_\w+\{)/gm, '$1pod="train-0",namespace="ml",container="trainer",');
  const store = new ClusterStore(3);
  store.upsert({ id: 'g', name: 'g', target: 't' });
  store.recordGpus('g', NOW, new GpuReader().read(parseExposition(text).samples, NOW)!);
  return store.get('g')!.gpus;
}

const worker = buildKubeStore(5).nodes().find((n) => n.name === 'worker-1')!;
const gpuNode = {
  ...worker,
  pods: PODS,
  gpus: mappedGpus(),
  kube: kubeInfo({ capacity: { cpuCores: 4, memoryBytes: 16 * 2 ** 30, pods: 110, gpus: 8 }, allocatable: { cpuCores: 3.5, memoryBytes: 14 * 2 ** 30, pods: 110, gpus: 7 }, allocatedGpus: 4 }),
};

function pane(pods: readonly PodFigures[], key: PodSortKey = 'cpu'): PodPane {
  return { rows: sortPods(pods, defaultPodSort(key)), sort: defaultPodSort(key), index: 0, offset: 0, containers: false };
}

const lines = (node: typeof gpuNode, width: number, key?: PodSortKey) => podPaneLines(node, pane(node.pods, key), width, 24, NOW).map(lineText);

describe('the pods pane with the Pod objects', () => {
  it('shows GPUs held with their utilisation, and restarts, at 200 columns', () => {
    const text = lines(gpuNode, 200);
    const title = text.find((l) => l.includes('POD'))!;
    expect(title).toMatch(/CPU▼\s+MEM\s+GPU\s+RESTARTS$/);
    expect(text.find((l) => l.includes('train-0'))).toMatch(/3\.50\s+900 MiB\s+1 0%\s+0$/);
    expect(text.find((l) => l.includes('notebook'))).toMatch(/\s1\s+3$/);
    // Pending: no figures, its phase instead, and the GPUs it holds.
    expect(text.find((l) => l.includes('queued'))).toMatch(/queued\s+Pending\s+2\s+0$/);
    expect(text.find((l) => l.includes('web-0'))).toMatch(/50\.0 MiB\s+0$/);
    // The facts: GPUs held against allocatable (capacity beside it when a device is out), restarts.
    expect(text.join('\n')).toContain('GPUs held 4/7 (8)  restarts 3');
  });

  it('drops RESTARTS, then GPU, as the width shrinks, every line exactly the width', () => {
    const titleOf = (width: number) => lines(gpuNode, width).find((l) => l.includes('POD'))!;
    expect(titleOf(80)).toMatch(/GPU\s+RESTARTS$/);
    expect(titleOf(60)).toMatch(/GPU\s+RESTARTS$/);
    expect(titleOf(50)).toMatch(/MEM\s+GPU$/);
    expect(titleOf(40)).toMatch(/MEM$/);
    for (const width of [30, 40, 50, 60, 80, 120, 200]) {
      for (const line of podPaneLines(gpuNode, pane(gpuNode.pods), width, 24, NOW)) expect(lineWidth(line)).toBe(width);
    }
  });

  it('sorts by GPUs and by restarts', () => {
    const names = (key: PodSortKey) => lines(gpuNode, 200, key).filter((l) => /train-0|notebook|queued/.test(l)).map((l) => /(train-0|notebook|queued)/.exec(l)![1]);
    expect(names('gpu')[0]).toBe('queued');
    expect(names('restarts')[0]).toBe('notebook');
  });

  it('shows neither column where no pod holds a GPU or restarted, nor without the Pod objects', () => {
    const plain = { ...gpuNode, gpus: null, pods: WORKER_PODS.map((p) => facts(p, 'Running', 0, 0)) };
    expect(lines(plain, 200).find((l) => l.includes('POD'))).toMatch(/MEM$/);
    const unlisted = { ...gpuNode, gpus: null, pods: [...WORKER_PODS], kube: kubeInfo() };
    expect(lines(unlisted, 200).find((l) => l.includes('POD'))).toMatch(/MEM$/);
    expect(detailLines(unlisted, 200, 40, NOW).map(lineText).join('\n')).not.toContain('GPUs held');
  });

  it('says in the containers view what the Pod object adds', () => {
    const notebook = sortPods(gpuNode.pods, defaultPodSort('name')).findIndex((r) => r.pod.name === 'notebook');
    const text = podPaneLines(gpuNode, { ...pane(gpuNode.pods, 'name'), index: notebook, containers: true }, 120, 24, NOW).map(lineText).join('\n');
    expect(text).toContain('Pod lab/notebook  CPU 10m  mem 300 MiB  1 container  GPUs 1  restarts 3');
  });
});
