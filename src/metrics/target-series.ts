/**
 * Per target, what goes beyond the node figures: the `--column` values and, for a target that is
 * no node_exporter, the model of its metric families. Holds the counter state both read, so a
 * series used by a column and by the detail view has one rate.
 */
import type { ParseResult, Sample } from '../exposition/types.js';
import { columnSampleNames, readColumn, type ColumnReading, type UserColumn } from '../expr/column.js';
import { labelsKey, type SeriesView } from '../expr/evaluate.js';
import { buildAppView, type AppView } from './app-model.js';
import { detach } from '../util/detach.js';
import { CounterRates } from './counter-rates.js';
import { NODE_EXPORTER_FAMILIES } from './node-exporter.js';
import { CONTAINER_FAMILIES } from './cadvisor.js';
import { PROCESS_FAMILY_FILTER } from './process-figures.js';
import type { NodeSource } from './node-figures.js';
import { DCGM_FAMILIES } from './gpu.js';

export interface TargetReadings {
  readonly columns: Readonly<Record<string, ColumnReading>>;
  /** The families model of an app target; null for node_exporter targets. */
  readonly app: AppView | null;
}

const NO_READINGS: TargetReadings = Object.freeze({ columns: {}, app: null });

/**
 * The node view's families, the containers' and processes' that `cluster-top agent` serves beside
 * them, and dcgm-exporter's (the agent serves nvidia-smi's figures in its names): one Set for every
 * run without columns, so the parser's cache of kept names is made once.
 */
export const NODE_VIEW_FAMILIES: ReadonlySet<string> = new Set([...NODE_EXPORTER_FAMILIES, ...CONTAINER_FAMILIES, ...PROCESS_FAMILY_FILTER, ...DCGM_FAMILIES]);

/** What every target of one run shares: the columns and the parser filter they imply. */
export class ColumnSet {
  readonly columns: readonly UserColumn[];
  /** Sample names the columns read. */
  readonly names: ReadonlySet<string>;
  /**
   * node_exporter targets' parser filter: the node families, the containers' and processes' that
   * `cluster-top agent` serves beside them, and the columns' (one Set for the run, so the parser's
   * cache of kept names is made once).
   */
  readonly nodeFamilies: ReadonlySet<string>;

  constructor(columns: readonly UserColumn[]) {
    this.columns = columns;
    this.names = columnSampleNames(columns);
    this.nodeFamilies = this.names.size === 0 ? NODE_VIEW_FAMILIES : new Set([...NODE_VIEW_FAMILIES, ...this.names]);
  }
}

export class TargetSeries implements SeriesView {
  private readonly rates = new CounterRates();
  private readonly byName = new Map<string, Sample[]>();
  private timeMs = 0;
  private decided: 'node' | 'app' | null = null;

  constructor(private readonly set: ColumnSet) {}

  /** The parser filter for this target: node families (and the columns') until it turns out to be an app. */
  get families(): ReadonlySet<string> | undefined {
    return this.decided === 'app' ? undefined : this.set.nodeFamilies;
  }

  get isApp(): boolean {
    return this.decided === 'app';
  }

  /**
   * Settles the kind at the first successful scrape, for good: a payload without node_exporter
   * families is an app. True when the payload, parsed with the node filter, must be parsed in full.
   */
  decide(source: NodeSource): boolean {
    if (this.decided !== null) return false;
    this.decided = source === 'app' ? 'app' : 'node';
    return this.decided === 'app';
  }

  /** Reads `parsed.types` only for an app: the parser builds that Map on first use. */
  update(parsed: Pick<ParseResult, 'samples' | 'types'>, scrapeTimeMs: number): TargetReadings {
    if (this.set.columns.length === 0 && !this.isApp) return NO_READINGS;
    const samples = parsed.samples;
    this.rates.begin();
    this.timeMs = scrapeTimeMs;
    for (const s of samples) {
      if (!this.set.names.has(s.name)) continue;
      const list = this.byName.get(s.name);
      if (list) list.push(s);
      else this.byName.set(s.name, [s]);
    }
    const columns: Record<string, ColumnReading> = {};
    for (const c of this.set.columns) columns[c.name] = readColumn(c, this);
    const app = this.isApp ? buildAppView(samples, parsed.types, this) : null;
    this.rates.sweep();
    // The samples are the payload's: not kept past the scrape.
    this.byName.clear();
    return { columns, app };
  }

  samples(name: string): readonly Sample[] {
    return this.byName.get(name) ?? [];
  }

  rate(sample: Sample): number | null {
    return this.rates.update(detach(`${sample.name}\u0002${labelsKey(sample.labels)}`), sample.value, sample.timestampMs ?? this.timeMs);
  }
}
