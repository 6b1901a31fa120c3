/**
 * Many nodes' node_exporter series with timestamps, as a Prometheus-compatible server would hold
 * them after scraping: rendered by the simulator (src/simulator), each sample line given the
 * `job` and `instance` labels a scrape adds, plus the `up` and `scrape_*` series Prometheus writes
 * itself. For loading VictoriaMetrics (/api/v1/import/prometheus, Prometheus text with
 * millisecond timestamps) and Prometheus (`promtool tsdb create-blocks-from openmetrics`,
 * OpenMetrics with second timestamps) without scraping thousands of endpoints.
 *
 * Only the families cluster-top's queries read are kept (src/prometheus/queries.ts): a server
 * holding the other thousand-odd series per node answers the same queries by the same index
 * lookups, and loading them would cost minutes and gigabytes here for nothing measured.
 *
 * Building a simulated node's payload template costs milliseconds, and rendering one a
 * millisecond or more, so at most MODELS nodes are built and each is rendered once per time:
 * node i writes model i % MODELS's series at that time with its own instance (nodes of the same
 * model read the same figures), and its nodename gets the round as a suffix so every node is told
 * apart. 50,000 nodes are then written in minutes, not hours.
 */
import { makeClusterSpecs } from '../../src/simulator/sim-cluster.js';
import { SimNode, type SimNodeSpec } from '../../src/simulator/sim-node.js';

/** Families the refresh and backfill queries read. */
const KEPT = new Set([
  'node_cpu_seconds_total',
  'node_memory_MemTotal_bytes',
  'node_memory_MemAvailable_bytes',
  'node_memory_SwapTotal_bytes',
  'node_memory_SwapFree_bytes',
  'node_load1',
  'node_load5',
  'node_load15',
  'node_network_receive_bytes_total',
  'node_network_transmit_bytes_total',
  'node_disk_read_bytes_total',
  'node_disk_written_bytes_total',
  'node_filesystem_size_bytes',
  'node_filesystem_avail_bytes',
  'node_uname_info',
  'node_time_seconds',
  'node_boot_time_seconds',
]);
const COLLECTORS = ['cpu', 'meminfo', 'loadavg', 'netdev', 'diskstats', 'filesystem', 'uname', 'time', 'stat'];
const MODELS = 1000;

export const SERIES_JOB = 'node';

export interface SeriesNode {
  readonly instance: string;
  /** Whether Prometheus would have scraped it: down and slow simulated nodes have only `up 0`. */
  readonly up: boolean;
}

export interface NodeSeriesOptions {
  readonly nodes: number;
  readonly seed: number;
  /** Sample times, ms since the epoch, oldest first. */
  readonly timesMs: readonly number[];
  readonly format: 'prometheus' | 'openmetrics';
}

/** The instance label of node i: a 10.x.y.z address, as service discovery gives them. */
export function instanceOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:9100`;
}

/** Node i of the series, without rendering any. */
export function seriesNode(specs: readonly SimNodeSpec[], i: number): SeriesNode {
  const spec = specs[i % specs.length]!;
  return { instance: instanceOf(i), up: spec.down !== true && (spec.slowMs ?? 0) === 0 };
}

/** The simulated specs the series come from (at most MODELS). */
export function seriesSpecs(nodes: number, seed: number): SimNodeSpec[] {
  return makeClusterSpecs(Math.min(nodes, MODELS), seed);
}

/** The text of every node at every time, in pieces of about `bytes` (whole nodes), for one request or write each. */
export class NodeSeries {
  readonly specs: SimNodeSpec[];
  private readonly models: (SimNode | undefined)[];
  /** Each model's block by time, rendered once. */
  private readonly rendered: ({ readonly text: string; readonly lines: number } | undefined)[][] = [];

  constructor(private readonly options: NodeSeriesOptions) {
    this.specs = seriesSpecs(options.nodes, options.seed);
    this.models = new Array<SimNode | undefined>(this.specs.length);
  }

  node(i: number): SeriesNode {
    return seriesNode(this.specs, i);
  }

  *chunks(bytes: number): Generator<string> {
    let out: string[] = [];
    let size = 0;
    for (let i = 0; i < this.options.nodes; i++) {
      const from = out.length;
      this.appendNode(i, out);
      for (let k = from; k < out.length; k++) size += out[k]!.length;
      if (size >= bytes) {
        yield out.join('');
        out = [];
        size = 0;
      }
    }
    if (out.length > 0) yield out.join('');
  }

  /**
   * Model m's kept series at time k as one block of lines, each with INSTANCE_MARK where the
   * node's labels go and ROUND_MARK after the nodename, and how many lines: rendered once.
   */
  private block(model: number, k: number): { readonly text: string; readonly lines: number } {
    const byTime = (this.rendered[model] ??= []);
    const had = byTime[k];
    if (had !== undefined) return had;
    const sim = (this.models[model] ??= new SimNode(this.specs[model]!));
    const t = this.options.timesMs[k]!;
    const stamp = this.options.format === 'prometheus' ? ` ${t}` : ` ${(t / 1000).toFixed(3)}`;
    const out: string[] = [];
    for (const line of sim.render(t, COLLECTORS).split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const nameEnd = line.search(/[{ ]/);
      const name = line.slice(0, nameEnd);
      if (!KEPT.has(name)) continue;
      let rest = line.slice(nameEnd);
      if (name === 'node_uname_info') rest = rest.replace(/nodename="([^"]*)"/, `nodename="$1${ROUND_MARK}"`);
      out.push(`${name}${rest.startsWith('{') ? `{${INSTANCE_MARK},${rest.slice(1)}` : `{${INSTANCE_MARK}}${rest}`}${stamp}\n`);
    }
    const block = { text: out.join(''), lines: out.length };
    byTime[k] = block;
    return block;
  }

  private appendNode(i: number, out: string[]): void {
    const { instance, up } = this.node(i);
    const model = i % this.specs.length;
    const round = Math.floor(i / this.specs.length);
    const extra = `instance="${instance}",job="${SERIES_JOB}"`;
    this.options.timesMs.forEach((t, k) => {
      const stamp = this.options.format === 'prometheus' ? ` ${t}` : ` ${(t / 1000).toFixed(3)}`;
      out.push(`up{${extra}} ${up ? 1 : 0}${stamp}\n`, `scrape_duration_seconds{${extra}} 0.0${2 + (i % 7)}${stamp}\n`);
      if (!up) return;
      const { text, lines } = this.block(model, k);
      out.push(text.replaceAll(INSTANCE_MARK, extra).replace(ROUND_MARK, round > 0 ? `-r${round}` : ''), `scrape_samples_scraped{${extra}} ${lines}${stamp}\n`);
    });
  }
}

/** Placeholders in a model's block: no label or value contains either. */
const INSTANCE_MARK = '\u0000i';
const ROUND_MARK = '\u0000r';
