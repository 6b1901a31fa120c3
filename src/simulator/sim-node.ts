import { addExporterFamilies } from './families-exporter.js';
import { addCpuFamilies, addMemoryFamilies, addSystemFamilies } from './families-host.js';
import { addNetworkFamilies } from './families-network.js';
import { addDiskFamilies, addFilesystemFamilies } from './families-storage.js';
import { NodeModel, type SimNodeSpec } from './node-model.js';
import { PayloadBuilder, type PayloadTemplate } from './payload-template.js';

export type { SimNodeSpec } from './node-model.js';

/** What node_exporter sends as Content-Type for its text format. */
export const SIM_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A simulated Linux host as node_exporter 1.5 shows it: the same families, HELP/TYPE lines and
 * payload size as the real one, with CPU, memory, network and disk activity that moves over time.
 *
 * render(nowMs) is a pure function of (spec, whole milliseconds of nowMs): counters only grow as
 * nowMs grows, and renders may be asked for in any order. The template (all static text) is built
 * once here, so a render only evaluates and formats the changing values.
 */
export class SimNode {
  readonly spec: SimNodeSpec;
  private readonly model: NodeModel;
  private readonly template: PayloadTemplate;

  constructor(spec: SimNodeSpec) {
    this.spec = spec;
    this.model = new NodeModel(spec);
    const b = new PayloadBuilder();
    addCpuFamilies(b, this.model);
    addMemoryFamilies(b, this.model);
    addSystemFamilies(b, this.model, spec.name);
    addNetworkFamilies(b, this.model);
    addDiskFamilies(b, this.model);
    addFilesystemFamilies(b, this.model);
    addExporterFamilies(b, this.model);
    this.template = b.build();
  }

  get bootTimeMs(): number {
    return this.model.bootTimeMs;
  }

  /** Sample lines whose value is recomputed at each render. */
  get dynamicSamples(): number {
    return this.template.dynamicSamples;
  }

  /** The node's node_exporter payload (Prometheus text 0.0.4) at the moment nowMs. */
  render(nowMs: number): string {
    this.model.advance(nowMs);
    return this.template.render();
  }

  /** render() as UTF-8 bytes, for the wire. */
  renderBuffer(nowMs: number): Buffer {
    // Encoding as latin1 is a plain copy, about 4× cheaper than UTF-8, and the same bytes for ASCII.
    return Buffer.from(this.render(nowMs), this.template.ascii ? 'latin1' : 'utf8');
  }
}
