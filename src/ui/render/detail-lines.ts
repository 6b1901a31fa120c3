/** The node detail view as lines: who the node is, its cores, its figures, its scrape, its history. */
import type { ContainerSortState } from '../model/container-sort.js';
import { coreLines, coreLinesWanted, LONGEST_BAR } from './core-grid.js';
import { columnLines } from './column-lines.js';
import { detailCharts } from './detail-charts.js';
import type { ViewNode } from '../model/frame-data.js';
import { formatAge, formatBytes, formatDuration, formatMillis, formatNumber, formatPercent } from '../../util/format.js';
import { kubeFactLines } from './kube-facts.js';
import { conditionSegments, conditionsText } from '../model/kube-model.js';
import { flowLines, packLine, thresholdTone, type Group, type Segment } from './segments.js';
import { nodeStatus } from './table-rows.js';
import { containerBoxLines, containerBoxWanted } from './container-lines.js';
import { gpuLines } from './gpu-lines.js';

const label = (text: string): Segment => ({ text: `${text} `, color: 'gray' });

/** The node, its scrape, its Kubernetes conditions, and the keys that lead out (`hint`, flush right). */
export function titleLine(node: ViewNode, width: number, nowMs: number, hint: string): Segment[] {
  const status = nodeStatus(node.health, nowMs);
  const cores = node.figures.cpu ? `${node.figures.cpu.cores} cores` : '';
  const groups: Group[] = [
    { segments: [{ text: node.name, bold: true }], priority: 9 },
    { segments: [{ text: status.text, color: status.tone, bold: status.down }], priority: 8 },
    ...(node.kube ? [{ segments: conditionSegments(node.kube, conditionsText(node.kube).length), priority: 7 }] : []),
    { segments: [{ text: cores }], priority: 3 },
    { segments: [{ text: node.source, color: 'gray' }], priority: 2 },
  ];
  return packLine(
    groups.filter((g) => g.segments[0]?.text !== ''),
    [{ text: hint, color: 'gray' }],
    width,
  );
}

/** Lines of Kubernetes facts the charts pane gives up before its figures and scrape. */
const KUBE_FACT_LINES = 3;

function usage(used: number, total: number): Segment[] {
  const percent = total > 0 ? (100 * used) / total : null;
  return [{ text: `${formatBytes(used)} / ${formatBytes(total)} ` }, { text: formatPercent(percent, 0), color: thresholdTone(percent) }];
}

function figureItems(node: ViewNode): Segment[][] {
  const f = node.figures;
  const items: Segment[][] = [];
  if (f.cpu) items.push([label('CPU'), { text: formatPercent(f.cpu.usagePercent), color: thresholdTone(f.cpu.usagePercent) }]);
  if (f.load) items.push([label('Load'), { text: [f.load.load1, f.load.load5, f.load.load15].map((v) => formatNumber(v)).join(' ') }]);
  if (f.memory) items.push([label('Mem'), ...usage(f.memory.usedBytes, f.memory.totalBytes)]);
  if (f.swap) items.push([label('Swap'), ...usage(f.swap.usedBytes, f.swap.totalBytes)]);
  if (f.filesystem) items.push([label('Root fs'), ...usage(f.filesystem.usedBytes, f.filesystem.sizeBytes)]);
  if (f.uptimeSeconds !== null) items.push([label('Uptime'), { text: formatDuration(f.uptimeSeconds) }]);
  if (items.length === 0) items.push([{ text: 'no figures: the node is down or not scraped yet', color: 'gray' }]);
  return items;
}

export function scrapeItems(node: ViewNode, nowMs: number): Segment[][] {
  const h = node.health;
  const items: Segment[][] = [
    [label('Target'), { text: node.target }],
    [label('Source'), { text: node.source }],
    [label('Scrape'), { text: formatMillis(h.lastDurationMs) }],
    [label('Body'), { text: `${formatBytes(h.lastBodyBytes)} (wire ${formatBytes(h.lastWireBytes)})` }],
    [label('Samples'), { text: h.lastSamples === null ? '-' : String(h.lastSamples) }],
    [label('Last success'), { text: h.lastSuccessMs === null ? 'never' : `${formatAge((nowMs - h.lastSuccessMs) / 1000)} ago` }],
  ];
  if (h.consecutiveFailures > 0) items.push([label('Failures'), { text: String(h.consecutiveFailures), color: 'red' }]);
  if (h.lastError) items.push([label('Error'), { text: h.lastError, color: 'red' }]);
  return items;
}

/** Two rows of charts a dozen lines tall: below that the height is the charts', not the core grid's. */
const TALL_CHART_ROOM = 24;

/** Exactly fitted lines, never more than `height`; Kubernetes facts, cores, figures and scrape before the charts. */
export function detailLines(node: ViewNode, width: number, height: number, nowMs: number, containerSort?: ContainerSortState): Segment[][] {
  if (height <= 0) return [];
  const lines: Segment[][] = [titleLine(node, width, nowMs, node.kube ? 'Tab pods  Esc back' : 'Esc back')];
  const kube = kubeFactLines(node, width, nowMs, 'charts', Math.min(KUBE_FACT_LINES, height - 1));
  lines.push(...kube);
  // The GPUs before the cores and charts: on a GPU node they are what is watched; room left for the figures.
  const gpus = gpuLines(node.gpus, width, Math.max(0, height - 1 - kube.length - 4), node.historyUntilMs);
  lines.push(...gpus);
  const figures = flowLines(figureItems(node), width, 2);
  const scrape = flowLines(scrapeItems(node, nowMs), width, 3);
  const columns = columnLines(node, width, 3);
  let rest = height - 1 - kube.length - gpus.length;
  const perCore = node.figures.cpu?.perCoreUsagePercent ?? null;
  const coreCount = perCore?.length ?? 0;
  // Half the remaining room at most for cores, so a 128-core node still leaves space for charts;
  // on a tall terminal the grid takes the lines its longest bars need when the charts keep
  // TALL_CHART_ROOM lines, so the extra height goes to both (btop's cpu box grows the same way).
  const room = rest - figures.length - columns.length - scrape.length;
  const longest = coreLinesWanted(coreCount, width, LONGEST_BAR);
  const wanted = room - longest >= TALL_CHART_ROOM ? longest : coreLinesWanted(coreCount, width);
  const coreBudget = Math.min(wanted, Math.max(1, Math.floor(room / 2)));
  const cores =
    perCore && perCore.length > 0
      ? coreLines(perCore, width, Math.min(coreBudget, rest))
      : flowLines([[{ text: node.figures.cpu ? 'no per-core figures from this source' : 'no CPU figures', color: 'gray' }]], width, Math.min(1, rest));
  const coresAt = lines.length;
  lines.push(...cores);
  rest -= cores.length;
  for (const block of [figures, columns, scrape]) {
    const shown = block.slice(0, Math.max(0, rest));
    lines.push(...shown);
    rest -= shown.length;
  }
  // The containers box (btop's process box) takes up to half of what is left, the charts the rest.
  const box = containerBoxLines(node.containers, width, Math.min(containerBoxWanted(node.containers), rest < 8 ? rest : Math.max(4, Math.floor(rest / 2))), nowMs, containerSort);
  lines.push(...box);
  rest -= box.length;
  const charts = detailCharts(node, width, rest);
  lines.push(...charts);
  // Too little room left for a row of charts (a GPU node on a small terminal): the core grid takes it.
  if (charts.length < rest && perCore && perCore.length > 0) lines.splice(coresAt, cores.length, ...coreLines(perCore, width, cores.length + rest - charts.length));
  return lines;
}
