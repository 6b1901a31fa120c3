/**
 * A node's GPUs as nvtop draws them, one line each: index and model, a utilisation bar, a memory
 * bar with used / total, temperature, power against its limit, SM clock, the encoder and decoder
 * when busy, the pod, and the utilisation history; then the GPU processes where a source lists them.
 */
import type { GpuFigures } from '../../metrics/gpu.js';
import { gpuMemoryPercent } from '../../metrics/gpu.js';
import type { GpuEntry, NodeGpus } from '../../store/gpu-entries.js';
import { historyTail } from '../model/frame-data.js';
import { fit, formatBytes, formatBytesShort, formatPercent } from '../../util/format.js';
import { fitLine, packLine, thresholdTone, type Group, type Segment, type Tone } from './segments.js';
import { barParts, sparkline } from './sparkline.js';

/** nvtop turns the temperature red past this; the alert threshold of the issue too. */
const HOT_CELSIUS = 85;

function bar(label: string, percent: number | null, width: number, after: string): Segment[] {
  const { filled, empty } = barParts(percent, width);
  return [{ text: `${label}[`, color: 'gray' }, { text: filled, color: thresholdTone(percent) }, { text: empty, color: 'gray' }, { text: `]${after}` }];
}

function gpuName(g: GpuFigures): string {
  const index = g.index === null ? '?' : String(g.index);
  const mig = g.migInstance === null ? '' : `/${g.migInstance}${g.migProfile ? ` ${g.migProfile}` : ''}`;
  return `GPU${index}${mig}`;
}

function tempTone(celsius: number | null): Tone | undefined {
  return celsius !== null && celsius >= HOT_CELSIUS ? 'red' : undefined;
}

function gpuLine(entry: GpuEntry, width: number, untilMs: number | undefined): Segment[] {
  const g = entry.figures;
  const mem = gpuMemoryPercent(g);
  const groups: Group[] = [
    { segments: [{ text: fit(gpuName(g), 6), bold: true }], priority: 10 },
    { segments: bar('', g.utilizationPercent, 10, ` ${formatPercent(g.utilizationPercent, 0).padStart(4)}`), priority: 9 },
    {
      segments: bar('MEM', mem, 8, ` ${formatBytesShort(g.memoryUsedBytes)}/${formatBytesShort(g.memoryTotalBytes)}`),
      priority: 8,
    },
  ];
  if (g.temperatureCelsius !== null) {
    const tone = tempTone(g.temperatureCelsius);
    groups.push({ segments: [{ text: `${Math.round(g.temperatureCelsius)}°C`, ...(tone ? { color: tone, bold: true } : {}) }], priority: 7 });
  }
  if (g.powerWatts !== null) {
    const limit = g.powerLimitWatts === null ? '' : `/${Math.round(g.powerLimitWatts)}`;
    groups.push({ segments: [{ text: `${Math.round(g.powerWatts)}${limit}W` }], priority: 6 });
  }
  if (g.xid !== null && g.xid !== 0) groups.push({ segments: [{ text: `XID ${g.xid}`, color: 'red', bold: true }], priority: 9 });
  if (g.smClockMHz !== null) groups.push({ segments: [{ text: `${Math.round(g.smClockMHz)}MHz`, color: 'gray' }], priority: 2 });
  if (g.encoderPercent) groups.push({ segments: [{ text: `ENC ${formatPercent(g.encoderPercent, 0)}` }], priority: 3 });
  if (g.decoderPercent) groups.push({ segments: [{ text: `DEC ${formatPercent(g.decoderPercent, 0)}` }], priority: 3 });
  if (g.pod) groups.push({ segments: [{ text: `${g.pod.namespace}/${g.pod.pod}`, color: 'cyan' }], priority: 5 });
  if (g.model) groups.push({ segments: [{ text: g.model, color: 'gray' }], priority: 1 });
  const history = historyTail(entry.history, 'util', 16, untilMs);
  if (history.length > 1) groups.push({ segments: [{ text: sparkline(history, 16, 100), color: 'cyan' }], priority: 4 });
  return packLine(groups, [], width);
}

function processLine(p: { pid: number; name: string; memoryBytes: number | null }, gpu: string, width: number): Segment[] {
  return fitLine([{ text: `  ${gpu.padEnd(6)} `, color: 'gray' }, { text: `${String(p.pid).padStart(7)}  ` }, { text: `${formatBytes(p.memoryBytes).padStart(9)}  ` }, { text: p.name }], width);
}

/**
 * The GPU pane, at most `height` lines: a heading with the node's count, one line per GPU, then as
 * many process lines as fit. Empty for a node without GPUs.
 */
export function gpuLines(gpus: NodeGpus | null | undefined, width: number, height: number, untilMs?: number): Segment[][] {
  if (!gpus || height <= 0 || (gpus.gpus.length === 0 && gpus.error === null)) return [];
  const lines: Segment[][] = [];
  const utils = gpus.gpus.map((e) => e.figures.utilizationPercent).filter((u): u is number => u !== null);
  const mean = utils.length > 0 ? utils.reduce((a, b) => a + b, 0) / utils.length : null;
  const heading: Segment[] = [
    { text: `GPUs ${gpus.gpus.length}`, bold: true },
    { text: `  mean ${formatPercent(mean, 0)}`, color: thresholdTone(mean) },
    ...(gpus.error ? [{ text: `  GPU exporter: ${gpus.error}`, color: 'red' as const }] : []),
  ];
  lines.push(fitLine(heading, width));
  for (const e of gpus.gpus) {
    if (lines.length >= height) return lines;
    lines.push(gpuLine(e, width, untilMs));
  }
  const procs = gpus.gpus.flatMap((e) => (e.figures.processes ?? []).map((p) => ({ p, gpu: gpuName(e.figures) })));
  if (procs.length > 0 && lines.length + 1 < height) {
    lines.push(fitLine([{ text: `  ${'GPU'.padEnd(6)} ${'PID'.padStart(7)}  ${'GPU MEM'.padStart(9)}  COMMAND`, color: 'gray', bold: true }], width));
    for (const { p, gpu } of procs.sort((a, b) => (b.p.memoryBytes ?? 0) - (a.p.memoryBytes ?? 0))) {
      if (lines.length >= height) break;
      lines.push(processLine(p, gpu, width));
    }
  }
  return lines;
}

/** `8×  97%`: the GPU column's text for a node's count and mean utilisation, one width for every percentage so the bars line up. */
export function gpuCellText(count: number, percent: number | null): string {
  return `${count}× ${formatPercent(percent, 0).padStart(4)}`;
}

