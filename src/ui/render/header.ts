/** The two header lines: the cluster at a glance, scrape health, interval, clock. */
import type { ClusterTotals } from '../../store/cluster-store.js';
import type { GpuTotals } from '../../store/gpu-entries.js';
import { historyTail, type FrameData, type ScrapeSummary } from '../model/frame-data.js';
import { formatBytesShort, formatClock, formatMillis, formatPercent } from '../../util/format.js';
import { packLine, thresholdTone, type Group, type Segment } from './segments.js';
import { sparkline } from './sparkline.js';

export interface HeaderInput {
  readonly frame: FrameData;
  readonly totals: ClusterTotals;
  readonly scrapes: ScrapeSummary;
  readonly intervalMs: number;
  readonly paused: boolean;
  readonly notice?: string;
  /** Alerts firing now; nothing is shown while none fires. */
  readonly alertsFiring?: number;
  /** The cluster's GPUs, busy and idle; absent or with no GPUs, nothing is shown. */
  readonly gpus?: GpuTotals;
}

/** 500 -> "500ms", 2000 -> "2s": intervals are whole steps, never "2.00s". */
export function formatInterval(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Number((ms / 1000).toFixed(1))}s`;
}

function rate(bytesPerSecond: number | null): string {
  const s = formatBytesShort(bytesPerSecond);
  return s === '-' ? s : `${s}/s`;
}

function sparkWidth(width: number): number {
  return width >= 140 ? 24 : width >= 100 ? 16 : 8;
}

function gauge(name: string, key: 'cpu' | 'memory', percent: number | null, input: HeaderInput, width: number): Segment[] {
  const { frame } = input;
  const w = sparkWidth(width);
  return [
    { text: `${name} `, bold: true },
    { text: sparkline(historyTail(frame.cluster, key, w, frame.clusterUntilMs), w, 100), color: 'cyan' },
    { text: ` ${formatPercent(percent)}`, color: thresholdTone(percent) },
  ];
}

/**
 * `GPU 32: 20 busy 12 idle (3 held) ⌀41%  held 30/31`: the lab cluster's question, how many GPUs
 * sit idle, and of those how many a pod holds; with Kubernetes, the GPUs the pods hold of allocatable.
 */
function gpuSegments(g: GpuTotals): Segment[] {
  const held: Segment[] = g.allocation ? [{ text: `  held ${g.allocation.held}/${g.allocation.allocatable}`, color: g.allocation.held >= g.allocation.allocatable ? 'yellow' : 'gray' }] : [];
  if (g.total === 0) return [{ text: 'GPU', bold: true }, ...held];
  return [
    { text: `GPU ${g.total}: `, bold: true },
    { text: `${g.busy} busy `, color: 'green' },
    { text: `${g.idle} idle`, color: g.idle > 0 ? 'yellow' : 'gray', bold: g.idle > 0 },
    ...(g.idleHeld > 0 ? [{ text: ` (${g.idleHeld} held)`, color: 'yellow' as const, bold: true }] : []),
    { text: ` ⌀${formatPercent(g.meanUtilizationPercent, 0)}`, color: thresholdTone(g.meanUtilizationPercent) },
    ...held,
  ];
}

export function headerLines(input: HeaderInput, width: number): Segment[][] {
  const { totals, scrapes } = input;
  const upTone = totals.total === 0 ? 'gray' : totals.up === totals.total ? 'green' : totals.up === 0 ? 'red' : 'yellow';
  const first: Group[] = [
    { segments: [{ text: 'cluster-top', bold: true, color: 'cyan' }], priority: 1 },
    { segments: [{ text: `${totals.up}/${totals.total} up`, color: upTone, bold: true }], priority: 9 },
    ...(input.alertsFiring ? [{ segments: [{ text: `${input.alertsFiring} alert${input.alertsFiring === 1 ? '' : 's'}`, color: 'red' as const, bold: true }], priority: 9 }] : []),
    { segments: gauge('CPU', 'cpu', totals.cpuPercent, input, width), priority: 8 },
    { segments: gauge('MEM', 'memory', totals.memoryPercent, input, width), priority: 7 },
    { segments: [{ text: `every ${formatInterval(input.intervalMs)}`, color: 'gray' }], priority: 4 },
  ];
  const right: Segment[] = [
    ...(input.paused ? [{ text: ' PAUSED ', color: 'yellow' as const, bold: true, inverse: true }, { text: ' ' }] : []),
    { text: formatClock(input.frame.atMs), bold: true },
  ];
  // "all ok" only when something was scraped and nothing failed: a source with no nodes yet (a
  // Prometheus that does not answer) or nodes not scraped yet is not ok.
  const failing: Segment =
    scrapes.failing > 0
      ? { text: `${scrapes.failing} failing`, color: 'red', bold: true }
      : totals.total === 0
        ? { text: 'no targets', color: 'gray' }
        : totals.up === 0
          ? { text: 'waiting', color: 'gray' }
          : { text: 'all ok', color: 'green' };
  const second: Group[] = [
    { segments: [{ text: 'NET ', bold: true }, { text: `↓${rate(totals.rxBytesPerSecond)} ↑${rate(totals.txBytesPerSecond)}` }], priority: 6 },
    { segments: [{ text: 'DISK ', bold: true }, { text: `r ${rate(totals.readBytesPerSecond)} w ${rate(totals.writtenBytesPerSecond)}` }], priority: 5 },
    ...(input.gpus && (input.gpus.total > 0 || input.gpus.allocation) ? [{ segments: gpuSegments(input.gpus), priority: 8 }] : []),
    { segments: [{ text: 'scrape ', bold: true }, failing, { text: `, slowest ${formatMillis(scrapes.slowestMs)}` }], priority: 7 },
    ...(input.notice ? [{ segments: [{ text: input.notice, color: 'yellow' as const }], priority: 9 }] : []),
  ];
  return [packLine(first, right, width), packLine(second, [], width)];
}
