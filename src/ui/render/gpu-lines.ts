/**
 * A node's GPUs as nvtop draws them, one line each: index, a utilisation bar, a memory bar with
 * used / total, temperature, power against its limit, XID, SM clock, the encoder and decoder when
 * busy, the pod, the model (in the heading instead when all share one), and the utilisation
 * history; then the GPU processes where a source lists them. The fields of one node's lines are
 * padded to one width each, so they stay in columns whatever a GPU lacks.
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

/** A pod's `namespace/name` is cut to this many cells in a GPU line: a long one would push the rest off. */
const POD_CELLS = 40;

type CellKey = 'temp' | 'power' | 'xid' | 'clock' | 'enc' | 'dec' | 'pod' | 'model';

/** One field of a GPU line; numbers (`alignRight`) are padded at the start, so their units line up. */
interface Cell {
  readonly key: CellKey;
  readonly text: string;
  readonly color?: Tone | 'cyan' | 'gray';
  readonly bold?: boolean;
  readonly alignRight?: boolean;
}

/**
 * The fields of one GPU's line, in their order: the bars (fixed width) apart, each a cell that
 * gpuLines pads to the widest of the node's GPUs, so the node's lines keep their columns.
 */
function gpuCells(g: GpuFigures, showModel: boolean): Cell[] {
  const cells: Cell[] = [];
  if (g.temperatureCelsius !== null) {
    const tone = tempTone(g.temperatureCelsius);
    cells.push({ key: 'temp', text: `${Math.round(g.temperatureCelsius)}°C`, alignRight: true, ...(tone ? { color: tone, bold: true } : {}) });
  }
  if (g.powerWatts !== null) {
    const limit = g.powerLimitWatts === null ? '' : `/${Math.round(g.powerLimitWatts)}`;
    cells.push({ key: 'power', text: `${Math.round(g.powerWatts)}${limit}W`, alignRight: true });
  }
  if (g.xid !== null && g.xid !== 0) cells.push({ key: 'xid', text: `XID ${g.xid}`, color: 'red', bold: true });
  if (g.smClockMHz !== null) cells.push({ key: 'clock', text: `${Math.round(g.smClockMHz)}MHz`, color: 'gray', alignRight: true });
  if (g.encoderPercent) cells.push({ key: 'enc', text: `ENC ${formatPercent(g.encoderPercent, 0)}` });
  if (g.decoderPercent) cells.push({ key: 'dec', text: `DEC ${formatPercent(g.decoderPercent, 0)}` });
  if (g.pod) cells.push({ key: 'pod', text: fit(`${g.pod.namespace}/${g.pod.pod}`, POD_CELLS).trimEnd(), color: 'cyan' });
  if (showModel && g.model) cells.push({ key: 'model', text: g.model, color: 'gray' });
  return cells;
}

/** The fields in line order, and how long each stays as the width shrinks (the bars have 8 to 10; the history 4). */
const CELLS: readonly (readonly [CellKey, number])[] = [
  ['temp', 7],
  ['power', 6],
  ['xid', 9],
  ['clock', 2],
  ['enc', 3],
  ['dec', 3],
  ['pod', 5],
  ['model', 1],
];

function gpuLine(entry: GpuEntry, cells: readonly Cell[], widths: ReadonlyMap<CellKey, number>, memWidth: number, width: number, untilMs: number | undefined): Segment[] {
  const g = entry.figures;
  const mem = gpuMemoryPercent(g);
  const groups: Group[] = [
    { segments: [{ text: fit(gpuName(g), 6), bold: true }], priority: 10 },
    { segments: bar('', g.utilizationPercent, 10, ` ${formatPercent(g.utilizationPercent, 0).padStart(4)}`), priority: 9 },
    { segments: bar('MEM', mem, 8, ` ${memText(g).padStart(memWidth)}`), priority: 8 },
  ];
  // Every field some GPU of the node has, in every line (blank where this GPU has none): the same fields drop at the same width.
  for (const [key, priority] of CELLS) {
    const w = widths.get(key);
    if (w === undefined) continue;
    const cell = cells.find((c) => c.key === key);
    const text = cell === undefined ? '' : cell.alignRight ? cell.text.padStart(w) : cell.text;
    groups.push({ segments: [{ text: text.padEnd(w), ...(cell?.color ? { color: cell.color } : {}), ...(cell?.bold ? { bold: true } : {}) }], priority });
  }
  const history = historyTail(entry.history, 'util', 16, untilMs);
  if (history.length > 1) groups.push({ segments: [{ text: sparkline(history, 16, 100), color: 'cyan' }], priority: 4 });
  return packLine(groups, [], width);
}

function memText(g: GpuFigures): string {
  return `${formatBytesShort(g.memoryUsedBytes)}/${formatBytesShort(g.memoryTotalBytes)}`;
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
  // One model for all (the usual node): said once in the heading, where a narrow screen keeps it.
  const models = new Set(gpus.gpus.map((e) => e.figures.model));
  const shared = models.size === 1 ? [...models][0] : null;
  const heading: Segment[] = [
    { text: `GPUs ${gpus.gpus.length}`, bold: true },
    ...(shared ? [{ text: ` × ${shared}`, color: 'gray' as const }] : []),
    { text: `  mean ${formatPercent(mean, 0)}`, color: thresholdTone(mean) },
    ...(gpus.error ? [{ text: `  GPU exporter: ${gpus.error}`, color: 'red' as const }] : []),
  ];
  lines.push(fitLine(heading, width));
  const cells = gpus.gpus.map((e) => gpuCells(e.figures, shared === null));
  const widths = new Map<CellKey, number>();
  for (const c of cells.flat()) widths.set(c.key, Math.max(widths.get(c.key) ?? 0, c.text.length));
  const memWidth = Math.max(0, ...gpus.gpus.map((e) => memText(e.figures).length));
  for (const [i, e] of gpus.gpus.entries()) {
    if (lines.length >= height) return lines;
    lines.push(gpuLine(e, cells[i] ?? [], widths, memWidth, width, untilMs));
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

