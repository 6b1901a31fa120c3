/**
 * Time to draw one frame of the node table for large clusters, with a full history ring per
 * node, into fake terminals of 80x24, 120x40 and 200x60: from a store change to the frame written, the way frames
 * happen in use (the store-version hook, then React and ink), so each frame re-sorts, re-filters
 * and re-totals every node. Frames are spaced beyond the 4-per-second redraw limit so none waits
 * for it; the timer hop is in the figure. Most of a frame is ink turning the text into cells (a
 * few µs per cell), so the cost follows the terminal's size far more than the cluster's.
 * Measured as the process's CPU time, not wall time: on a shared machine wall time mostly
 * measures the neighbours. Target: under 16 ms. The Kubernetes case (1,000 kubelet nodes with
 * Node facts and 30 pods each) adds the conditions, roles and pods columns to every row.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { createElement } from 'react';
import { render } from 'ink';
import { App } from '../src/ui/app.js';
import { ClusterStore } from '../src/store/cluster-store.js';
import { UNKNOWN_HEALTH } from '../src/scrape/types.js';
import type { NodeFigures } from '../src/metrics/node-figures.js';
import type { KubeNodeInfo, PodFigures } from '../src/metrics/kube-figures.js';

const HISTORY = 300;
const MAX_FRAMES = 30;
const MAX_MS = 10_000;
const WARMUP = 2;
/** Longer than the App's 250 ms between redraws. */
const FRAME_GAP_MS = 270;
const PODS_PER_NODE = 30;

class BenchStdout extends EventEmitter {
  readonly isTTY = true;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  private waiting: (() => void) | undefined;
  write = (): boolean => {
    this.waiting?.();
    this.waiting = undefined;
    return true;
  };
  nextWrite(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}

class BenchStdin extends EventEmitter {
  readonly isTTY = true;
  read = (): null => null;
  setEncoding(): void {}
  setRawMode(): void {}
  ref(): void {}
  unref(): void {}
}

function figures(i: number, t: number): NodeFigures {
  const cpu = (i * 37 + t * 3) % 100;
  const cores = 16;
  return {
    cpu: { cores, usagePercent: cpu, perCoreUsagePercent: Array.from({ length: cores }, (_, c) => (cpu + c * 5) % 100) },
    load: { load1: cpu / 10, load5: cpu / 12, load15: cpu / 15 },
    memory: { totalBytes: 64e9, usedBytes: 64e9 * ((i % 90) / 100), availableBytes: 64e9 * (1 - (i % 90) / 100), usedPercent: i % 90 },
    swap: { totalBytes: 4e9, usedBytes: 1e8 },
    network: { receiveBytesPerSecond: (i * 1013 + t) % 1e7, transmitBytesPerSecond: (i * 517 + t) % 1e7 },
    disk: { readBytesPerSecond: (i * 211) % 1e8, writtenBytesPerSecond: (i * 97) % 1e8 },
    filesystem: { sizeBytes: 1e12, usedBytes: 4e11 },
    uptimeSeconds: 86400 * (i % 30),
  };
}

function kubeInfo(i: number, startMs: number): KubeNodeInfo {
  return {
    roles: i % 50 === 0 ? ['control-plane'] : ['worker'],
    ready: i % 97 !== 5,
    problems: i % 89 === 7 ? ['MemoryPressure'] : [],
    cordoned: i % 83 === 3,
    capacity: { cpuCores: 16, memoryBytes: 64e9, pods: 110 },
    allocatable: { cpuCores: 15.5, memoryBytes: 62e9, pods: 110 },
    kubeletVersion: 'v1.29.3',
    internalIP: `10.0.${i >> 8}.${i & 255}`,
    createdAtMs: startMs - 86400_000 * (i % 60),
    labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}` },
  };
}

function pods(i: number): PodFigures[] {
  return Array.from({ length: PODS_PER_NODE }, (_, p) => ({
    namespace: p % 4 === 0 ? 'kube-system' : 'default',
    name: `app-${(i * 31 + p) % 997}-${p}`,
    cpuCores: ((i + p) % 40) / 100,
    memoryBytes: ((i * 7 + p) % 64) * 16e6,
    containers: [{ name: 'main', cpuCores: ((i + p) % 40) / 100, memoryBytes: ((i * 7 + p) % 64) * 16e6 }],
  }));
}

function buildStore(nodes: number, startMs: number, kube: boolean): ClusterStore {
  const store = new ClusterStore(HISTORY);
  const source = kube ? 'kubelet' : 'node_exporter';
  for (let i = 0; i < nodes; i++) store.upsert({ id: `n${i}`, name: `node-${i}.cluster.example`, target: `http://10.0.${i >> 8}.${i & 255}:9100/metrics`, source });
  for (let t = 0; t < HISTORY; t++) {
    const at = startMs + t * 2000;
    for (let i = 0; i < nodes; i++) {
      store.record(`n${i}`, at, {
        name: `node-${i}.cluster.example`,
        source,
        figures: figures(i, t),
        health: { ...UNKNOWN_HEALTH, up: true, lastSuccessMs: at, lastScrapeMs: at, lastDurationMs: 20 + (i % 50) },
      });
    }
    store.appendClusterPoint(at);
  }
  if (kube) {
    for (let i = 0; i < nodes; i++) {
      store.setKube(`n${i}`, kubeInfo(i, startMs));
      store.setPods(`n${i}`, pods(i));
    }
  }
  return store;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(nodes: number, size: TerminalSize, kube: boolean): Promise<number> {
  const startMs = Date.now() - HISTORY * 2000;
  const store = buildStore(nodes, startMs, kube);
  const stdout = new BenchStdout(size.columns, size.rows);
  const instance = render(createElement(App, { store, intervalMs: 2000, onQuit: () => {}, color: true, now: () => startMs + HISTORY * 2000 }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new BenchStdin() as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  let frames = 0;
  let spent = 0;
  const started = performance.now();
  for (let i = 1; frames < MAX_FRAMES && performance.now() - started < MAX_MS; i++) {
    await sleep(FRAME_GAP_MS);
    const entry = store.get(`n${i % nodes}`);
    if (!entry) break;
    const written = stdout.nextWrite();
    const cpu0 = process.cpuUsage();
    store.record(entry.id, startMs + (HISTORY + i) * 2000, { ...entry, figures: figures(i, i) });
    await written;
    const cpu = process.cpuUsage(cpu0);
    const elapsed = (cpu.user + cpu.system) / 1000;
    if (i > WARMUP) {
      frames++;
      spent += elapsed;
    }
  }
  instance.unmount();
  return spent / Math.max(1, frames);
}

interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

export interface UiFrameResult {
  readonly nodes: number;
  /** Kubernetes nodes: Node facts and pods, the table with its Kubernetes columns. */
  readonly kube: boolean;
  readonly terminal: string;
  readonly msPerFrame: number;
}

const SIZES: readonly TerminalSize[] = [
  { columns: 80, rows: 24 },
  { columns: 120, rows: 40 },
  { columns: 200, rows: 60 },
];

export async function benchUiFrame(): Promise<UiFrameResult[]> {
  const results: UiFrameResult[] = [];
  for (const size of SIZES) {
    for (const nodes of [1000, 5000, 10_000]) {
      results.push({ nodes, kube: false, terminal: `${size.columns}x${size.rows}`, msPerFrame: await measure(nodes, size, false) });
    }
    results.push({ nodes: 1000, kube: true, terminal: `${size.columns}x${size.rows}`, msPerFrame: await measure(1000, size, true) });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await benchUiFrame()) console.log(`ui frame: ${r.nodes} ${r.kube ? 'kubernetes ' : ''}nodes, ${r.terminal}  ${r.msPerFrame.toFixed(2)} ms/frame`);
}
