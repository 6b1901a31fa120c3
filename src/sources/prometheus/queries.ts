/**
 * The PromQL cluster-top sends: one query per figure across all nodes, never one per node, so a
 * refresh costs the same dozen queries for 10 nodes or 10,000. Each reproduces a formula of
 * src/metrics/node-exporter.ts (docs/figures.md); `sel` is the validated
 * --selector, inserted into every series selector.
 */
import { NODE_SERIES as N, VIRTUAL_INTERFACE } from '../../metrics/node-exporter.js';
import { matchers } from './selector.js';

/** Labels a node is told apart by: the instance, and the job when one instance has several. */
export const NODE_LABELS = ['job', 'instance'] as const;

/**
 * The interface rule of node-exporter.ts, as a PromQL regex: PromQL anchors both ends, the
 * JavaScript one only the start, so ".*" keeps it a prefix match.
 */
export function virtualInterfaceRegex(): string {
  const source = VIRTUAL_INTERFACE.source;
  if (!source.startsWith('^') || source.endsWith('$')) throw new Error('VIRTUAL_INTERFACE must be a prefix match (^…)');
  return `${source.slice(1)}.*`;
}

/** A PromQL string literal: JSON's escapes are a subset of the ones PromQL accepts. */
const str = (s: string): string => JSON.stringify(s);

const IDLE_MODES = 'mode=~"idle|iowait|steal"';
const OTHER_MODES = 'mode!~"idle|iowait|steal"';

/** `sum by (labels) ` or, with no labels, a plain `sum ` across everything (the cluster row). */
function sumBy(labels: readonly string[]): string {
  return labels.length === 0 ? 'sum ' : `sum by (${labels.join(', ')}) `;
}

/**
 * CPU seconds per second in the idle modes (idle, iowait, steal) or in all the others, summed
 * over `by`. The busy share, 1 − rate(idle modes) / rate(all modes), is 1 − idle / (idle + other):
 * asked as these two halves rather than as that one expression, the server reads each CPU series
 * once instead of the idle ones twice (node_cpu_seconds_total is most of a fleet's series: a core
 * has eight), and can evaluate the halves at once on two cores.
 */
export function cpuSeconds(part: 'idle' | 'other', sel: string, window: string, by: readonly string[]): string {
  return `${sumBy(by)}(rate(${N.cpuSeconds}${matchers(part === 'idle' ? IDLE_MODES : OTHER_MODES, sel)}[${window}]))`;
}

/** Used memory share, 0..1; summed first, so a cluster row weighs nodes by their memory. */
export function memoryUsed(sel: string, by: readonly string[]): string {
  const s = sumBy(by);
  return `1 - ${s}(${N.memAvailable}${matchers(sel)}) / ${s}(${N.memTotal}${matchers(sel)})`;
}

export type RateFigure = 'rx' | 'tx' | 'read' | 'written';

const RATE_SERIES: Readonly<Record<RateFigure, readonly [string, boolean]>> = {
  rx: [N.networkReceive, true],
  tx: [N.networkTransmit, true],
  read: [N.diskRead, false],
  written: [N.diskWritten, false],
};

/** Bytes per second summed over real interfaces (network) or reported devices (disk). */
export function byteRate(figure: RateFigure, sel: string, window: string, by: readonly string[]): string {
  const [metric, network] = RATE_SERIES[figure];
  const device = network ? `device!~${str(virtualInterfaceRegex())}` : '';
  return `${sumBy(by)}(rate(${metric}${matchers(device, sel)}[${window}]))`;
}

/** Plain gauges that move, fetched in one query each refresh and told apart by __name__. */
export const GAUGES = [N.load1, N.load5, N.load15, N.memAvailable, N.swapFree, N.time] as const;

/**
 * Gauges that hardly ever change (a node's memory and swap size, its boot time): asked with the
 * other static figures (staticQueries), not every refresh.
 */
export const STATIC_GAUGES = [N.memTotal, N.swapTotal, N.bootTime] as const;

export const HEALTH = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'] as const;

function byName(names: readonly string[], ...rest: string[]): string {
  return matchers(`__name__=~${str(names.join('|'))}`, ...rest);
}

/**
 * The instant queries of every refresh, by the name the decoder and error notices use, the
 * heaviest first: they are sent in this order, a few at a time, and a refresh lasts as long as its
 * slowest. With `perCore` the CPU halves come per core (a sample per core of the fleet), and each
 * node's figure is their sum.
 */
export function refreshQueries(sel: string, window: string, perCore = false) {
  const by = NODE_LABELS;
  const cpuBy = perCore ? [...by, 'cpu'] : by;
  return {
    cpuOther: cpuSeconds('other', sel, window, cpuBy),
    cpuIdle: cpuSeconds('idle', sel, window, cpuBy),
    health: byName(HEALTH, sel),
    gauges: byName(GAUGES, sel),
    filesystem: `${N.filesystemAvail}${matchers('mountpoint="/"', sel)}`,
    rx: byteRate('rx', sel, window, by),
    tx: byteRate('tx', sel, window, by),
    read: byteRate('read', sel, window, by),
    written: byteRate('written', sel, window, by),
  };
}

/**
 * The figures that stay put between reboots (names, core counts, sizes): a quarter of a refresh's
 * samples if asked every time, so they are asked on the first refresh, when a node appears or
 * comes back up, and once a minute (see PrometheusSource).
 */
export function staticQueries(sel: string) {
  const by = NODE_LABELS;
  return {
    // One idle series per core: an eighth of the series counting every mode would touch.
    cores: `count by (${by.join(', ')}) (${N.cpuSeconds}${matchers('mode="idle"', sel)})`,
    // Only the labels read: node_uname_info's others (release, version, …) are most of its bytes.
    uname: `max by (${by.join(', ')}, nodename) (${N.uname}${matchers(sel)})`,
    staticGauges: byName(STATIC_GAUGES, sel),
    filesystemSize: `${N.filesystemSize}${matchers('mountpoint="/"', sel)}`,
  };
}

export type LiveQuery = keyof ReturnType<typeof refreshQueries>;
export type StaticQuery = keyof ReturnType<typeof staticQueries>;
export type RefreshQuery = LiveQuery | StaticQuery;

/**
 * Nodes seen within `lookback`, with their names: the ones down now too, which have no fresh
 * node_uname_info but should be listed (and named) as down rather than left out.
 */
export function inventoryQuery(sel: string, lookback: string): string {
  return `max by (${NODE_LABELS.join(', ')}, nodename) (last_over_time(${N.uname}${matchers(sel)}[${lookback}]))`;
}

/**
 * The time between a node's last two samples, the slowest node's: Prometheus's scrape interval
 * as the data shows it, through the shared query API (Thanos, Mimir and VictoriaMetrics have no
 * scrape configuration to ask). node_time_seconds moves by exactly that much between scrapes.
 */
export function scrapeIntervalQuery(sel: string): string {
  return `max(idelta(${N.time}${matchers(sel)}[5m]))`;
}

/** A PromQL duration from milliseconds: whole milliseconds, the finest PromQL accepts. */
export function promDuration(ms: number): string {
  return `${Math.max(1, Math.ceil(ms))}ms`;
}
