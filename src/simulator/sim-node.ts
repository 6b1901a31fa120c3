import { ALWAYS, collectorOf, collectorSetKey } from './collectors.js';
import { addExporterFamilies } from './families-exporter.js';
import { addCpuFamilies, addMemoryFamilies, addSystemFamilies } from './families-host.js';
import { addNetworkFamilies } from './families-network.js';
import { addGpuFamilies } from './families-gpu.js';
import { addProcessFamilies } from './families-processes.js';
import { addContainerFamilies } from './families-containers.js';
import { addDiskFamilies, addFilesystemFamilies } from './families-storage.js';
import { NodeModel, type SimNodeSpec } from './node-model.js';
import { PayloadBuilder, type PayloadTemplate } from './payload-template.js';

export type { SimNodeSpec, Workload } from './node-model.js';

/**
 * Narrowed templates kept per node: a scraper asks for one collector set, rarely a few; more keys
 * than this means someone varies them, and rebuilding (~1 ms) is cheaper than growing without end.
 */
const NARROWED_MAX = 8;

/** What node_exporter sends as Content-Type for its text format. */
export const SIM_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A simulated Linux host as node_exporter 1.5 shows it: the same families, HELP/TYPE lines and
 * payload size as the real one, with CPU, memory, network and disk activity that moves over time.
 *
 * render(nowMs) is a pure function of (spec, whole milliseconds of nowMs): counters only grow as
 * nowMs grows, and renders may be asked for in any order. The template (all static text) is built
 * once here, so a render only evaluates and formats the changing values.
 *
 * render(nowMs, collectors) answers node_exporter's `collect[]=NAME…`: only those collectors'
 * families (plus the exporter's own), from a second template built on first use. Both templates read
 * the one model frame, so their common samples agree at any moment.
 */
export class SimNode {
  readonly spec: SimNodeSpec;
  private readonly model: NodeModel;
  private readonly template: PayloadTemplate;
  /** By collectorSetKey(), oldest first. */
  private readonly narrowed = new Map<string, PayloadTemplate>();

  constructor(spec: SimNodeSpec) {
    this.spec = spec;
    this.model = new NodeModel(spec);
    this.template = this.build();
  }

  /** Without `only`, every collector; attribution runs either way, so an unattributed family throws here. */
  private build(only?: ReadonlySet<string>): PayloadTemplate {
    const m = this.model;
    const wants = (collector: string) => only === undefined || only.has(collector);
    const b = new PayloadBuilder((family) => {
      const owner = collectorOf(family);
      return owner === ALWAYS || wants(owner);
    });
    addCpuFamilies(b, m);
    addMemoryFamilies(b, m);
    addSystemFamilies(b, m, this.spec.name);
    addNetworkFamilies(b, m);
    addDiskFamilies(b, m);
    addFilesystemFamilies(b, m);
    if (this.spec.gpus) addGpuFamilies(b, m, this.spec.gpus, this.spec.name);
    if (this.spec.processes) addProcessFamilies(b, m, this.spec.processes);
    if (this.spec.containers) addContainerFamilies(b, m, this.spec.containers);
    addExporterFamilies(b, m, wants);
    return b.build();
  }

  /** No collectors (undefined or empty) means all, as with no collect[] at all. */
  private templateFor(collectors: readonly string[] | undefined): PayloadTemplate {
    if (collectors === undefined || collectors.length === 0) return this.template;
    const key = collectorSetKey(collectors);
    let template = this.narrowed.get(key);
    if (template === undefined) {
      if (this.narrowed.size >= NARROWED_MAX) this.narrowed.delete(this.narrowed.keys().next().value!);
      template = this.build(new Set(key.split(',')));
      this.narrowed.set(key, template);
    }
    return template;
  }

  /** False during a flapping node's outages (see SimNodeSpec.flapping). */
  answers(nowMs: number): boolean {
    return this.model.answers(nowMs);
  }

  get bootTimeMs(): number {
    return this.model.bootTimeMs;
  }

  /** Sample lines whose value is recomputed at each render. */
  get dynamicSamples(): number {
    return this.template.dynamicSamples;
  }

  /**
   * The node's node_exporter payload (Prometheus text 0.0.4) at the moment nowMs, narrowed to the
   * given collectors' families when any are given; throws a RangeError for a name that is no collector.
   */
  render(nowMs: number, collectors?: readonly string[]): string {
    const template = this.templateFor(collectors);
    this.model.advance(nowMs);
    return template.render();
  }

  /** render() as UTF-8 bytes, for the wire. */
  renderBuffer(nowMs: number, collectors?: readonly string[]): Buffer {
    const template = this.templateFor(collectors);
    this.model.advance(nowMs);
    // Encoding as latin1 is a plain copy, about 4× cheaper than UTF-8, and the same bytes for ASCII.
    return Buffer.from(template.render(), template.ascii ? 'latin1' : 'utf8');
  }
}
