/**
 * Time to draw one frame of the node table for large clusters, with a full history ring per
 * node, into fake terminals of 80x24, 120x40 and 200x60: from a store change to the frame written, the way frames
 * happen in use (the store-version hook, then React's production build, then the terminal
 * write), so each frame re-sorts, re-filters and re-totals every node. Frames are spaced beyond
 * the 4-per-second redraw limit so none waits for it; the timer hop is in the figure. Measured as
 * the process's CPU time, not wall time (on a shared machine wall time mostly measures the
 * neighbours), the median frame. Target: under 16 ms. The Kubernetes case (1,000 kubelet nodes
 * with Node facts and 30 pods each) adds the conditions, roles and pods columns to every row.
 *
 * Three drawers of the same App in the same run: ours (line-writer.ts: the changed rows, written
 * with cursor moves) and the peer, ink drawing the same lines (its layout, its grid of styled
 * cells, its log-update write of the whole frame) as the view did before, also with ink's
 * incrementalRendering option; with the ratios, and the bytes written per frame.
 */
import './production-react.js';
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { createElement } from 'react';
import { render } from 'ink';
import { App } from '../src/ui/app.js';
import { LineWriter } from '../src/ui/terminal/line-writer.js';
import { ClusterStore } from '../src/store/cluster-store.js';
import { UNKNOWN_HEALTH } from '../src/scrape/types.js';
import type { NodeFigures } from '../src/metrics/node-figures.js';
import type { KubeNodeInfo, PodFigures } from '../src/metrics/kube-figures.js';

const HISTORY = 300;
const MAX_FRAMES = 20;
const MAX_MS = 10_000;
const WARMUP = 2;
const FRAME_MS = 250;
/** Longer than the App's FRAME_MS between redraws. */
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
  bytes = 0;
  write = (chunk: string): boolean => {
    // ink writes an empty frame when the line writer draws: not a frame.
    if (chunk === '') return true;
    this.bytes += chunk.length;
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

/** Ours; ink as the view used it; ink with its `incrementalRendering` option (log-update rewrites only changed lines). */
export type Drawer = 'lines' | 'ink' | 'ink-incremental';

interface Measured {
  readonly msPerFrame: number;
  readonly bytesPerFrame: number;
}

/** `firstTick`: where this run's new samples start, after those of an earlier run on the same store. */
async function measure(store: ClusterStore, startMs: number, size: TerminalSize, drawer: Drawer, firstTick: number): Promise<Measured> {
  const nodes = store.nodes().length;
  const stdout = new BenchStdout(size.columns, size.rows);
  const writer = drawer === 'lines' ? new LineWriter(stdout) : undefined;
  // A frame at each clock tick a quarter of a second apart, so each measured frame comes within one gap.
  const props = { store, intervalMs: 2000, frameMs: FRAME_MS, onQuit: () => {}, color: true, now: () => startMs + HISTORY * 2000, ...(writer ? { writer } : {}) };
  // Not ink's debug mode: the frames are written as in use (for ink, log-update's erase and rewrite).
  const instance = render(createElement(App, props), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new BenchStdin() as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
    incrementalRendering: drawer === 'ink-incremental',
  });
  let frames = 0;
  const spent: number[] = [];
  let bytes = 0;
  const started = performance.now();
  for (let i = 1; frames < MAX_FRAMES && performance.now() - started < MAX_MS; i++) {
    await sleep(FRAME_GAP_MS);
    // A scrape round: every node has new figures, so every row on screen changes (the line
    // writer's worst case). Recording is the scrapes' cost, not the frame's: before the clock.
    const tick = firstTick + i;
    for (let n = 0; n < nodes; n++) {
      const entry = store.get(`n${n}`);
      if (entry) store.record(entry.id, startMs + (HISTORY + tick) * 2000, { ...entry, figures: figures(n, tick) });
    }
    // And the round's cluster point: the cluster panel (120x40 and larger) is drawn anew each frame.
    store.appendClusterPoint(startMs + (HISTORY + tick) * 2000);
    // The round's garbage is the scrapes', not the frame's (the bench runs with --expose-gc).
    globalThis.gc?.();
    const written = stdout.nextWrite();
    const bytes0 = stdout.bytes;
    const cpu0 = process.cpuUsage();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 5000)));
    const drawn = await Promise.race([written.then(() => true), late]);
    clearTimeout(timer);
    if (!drawn) throw new Error(`ui bench: no frame drawn by ${drawer} within 5 s`);
    const cpu = process.cpuUsage(cpu0);
    const elapsed = (cpu.user + cpu.system) / 1000;
    if (i > WARMUP) {
      frames++;
      spent.push(elapsed);
      bytes += stdout.bytes - bytes0;
    }
  }
  instance.unmount();
  // The median: on a shared machine a neighbour's burst lands in a few frames, not in all.
  spent.sort((a, b) => a - b);
  return { msPerFrame: spent[Math.floor(spent.length / 2)] ?? 0, bytesPerFrame: bytes / Math.max(1, frames) };
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
  /** Ours: the line writer. */
  readonly msPerFrame: number;
  readonly bytesPerFrame: number;
  /** The peer: ink drawing the same lines. */
  readonly inkMsPerFrame: number;
  readonly inkBytesPerFrame: number;
  /** ink with incrementalRendering. */
  readonly incrementalMsPerFrame: number;
  readonly incrementalBytesPerFrame: number;
}

const SIZES: readonly TerminalSize[] = [
  { columns: 80, rows: 24 },
  { columns: 120, rows: 40 },
  { columns: 200, rows: 60 },
];

async function both(nodes: number, size: TerminalSize, kube: boolean): Promise<UiFrameResult> {
  const startMs = Date.now() - HISTORY * 2000;
  const store = buildStore(nodes, startMs, kube);
  const ours = await measure(store, startMs, size, 'lines', 0);
  const ink = await measure(store, startMs, size, 'ink', 1000);
  const incremental = await measure(store, startMs, size, 'ink-incremental', 2000);
  return {
    nodes,
    kube,
    terminal: `${size.columns}x${size.rows}`,
    msPerFrame: ours.msPerFrame,
    bytesPerFrame: ours.bytesPerFrame,
    inkMsPerFrame: ink.msPerFrame,
    inkBytesPerFrame: ink.bytesPerFrame,
    incrementalMsPerFrame: incremental.msPerFrame,
    incrementalBytesPerFrame: incremental.bytesPerFrame,
  };
}

export async function benchUiFrame(): Promise<UiFrameResult[]> {
  const results: UiFrameResult[] = [];
  for (const size of SIZES) {
    for (const nodes of [1000, 5000, 10_000]) results.push(await both(nodes, size, false));
    results.push(await both(1000, size, true));
  }
  return results;
}

export function printUiFrame(results: readonly UiFrameResult[]): void {
  for (const r of results) {
    const what = `${String(r.nodes).padStart(5)} ${r.kube ? 'kubernetes nodes' : 'nodes'}, terminal ${r.terminal.padEnd(7)}`;
    const ratio = r.inkMsPerFrame / Math.max(0.001, r.msPerFrame);
    console.log(
      `${what} ${r.msPerFrame.toFixed(2).padStart(6)} ms/frame (CPU), ${kb(r.bytesPerFrame)} written;` +
        ` ink drawing the same lines ${r.inkMsPerFrame.toFixed(2).padStart(6)} ms, ${kb(r.inkBytesPerFrame)} (${ratio.toFixed(1)}x);` +
        ` ink incrementalRendering ${r.incrementalMsPerFrame.toFixed(2).padStart(6)} ms, ${kb(r.incrementalBytesPerFrame)} (${(r.incrementalMsPerFrame / Math.max(0.001, r.msPerFrame)).toFixed(1)}x)`,
    );
  }
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1).padStart(5)} KiB`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) printUiFrame(await benchUiFrame());
