/**
 * What runs on a Kubernetes node besides its pods: processes and containers, from `cluster-top
 * agent` on --node-exporter-port (it writes node_exporter's families, its processes under
 * cluster_top_process_* and its containers in cAdvisor's names) or from a process exporter on
 * --process-port, both through the API server's node proxy. One per node; stateful (rates).
 */
import type { Sample } from '../../exposition/types.js';
import { ContainerDeriver, hasContainerFamilies } from '../../metrics/cadvisor.js';
import { ProcessDeriver } from '../../metrics/process-deriver.js';
import type { ScrapeResult } from '../../scrape/types.js';
import type { ClusterStore } from '../../store/cluster-store.js';
import { PayloadReader } from '../../collect/payload.js';
import { PROCESS_FAMILY_FILTER } from '../../metrics/process-figures.js';

export class NodeCompanions {
  /** From the node_exporter port's payload (an agent there): set once it shows the families. */
  private exporterProcesses: ProcessDeriver | undefined;
  private containers: ContainerDeriver | undefined;
  /** From --process-port's payload. */
  private portProcesses: ProcessDeriver | undefined;

  constructor(
    private readonly store: ClusterStore,
    private readonly name: string,
  ) {}

  /**
   * The node_exporter port's samples (undefined: it did not answer or sent no metrics). Processes
   * from it count only while no --process-port exporter gives them.
   */
  fromExporter(samples: readonly Sample[] | undefined, atMs: number): void {
    if (samples === undefined) {
      if (this.containers) this.store.setContainers(this.name, null);
      if (this.exporterProcesses && !this.portProcesses) this.store.setProcesses(this.name, null);
      return;
    }
    if (!this.containers && hasContainerFamilies(samples)) this.containers = new ContainerDeriver();
    if (this.containers) this.store.setContainers(this.name, this.containers.update(samples, atMs));
    const deriver = this.exporterProcesses ?? new ProcessDeriver();
    const processes = deriver.update(samples, atMs);
    if (processes === null && !this.exporterProcesses) return;
    this.exporterProcesses = deriver;
    if (!this.portProcesses) this.store.setProcesses(this.name, processes);
  }

  /** --process-port's answer: its process families, or null (down, or none in its payload). */
  fromProcessPort(result: ScrapeResult, payloads: PayloadReader): void {
    if (!result.ok) {
      if (this.portProcesses) this.store.setProcesses(this.name, null);
      return;
    }
    const parsed = payloads.read(result.takeBody(), result.contentType, PROCESS_FAMILY_FILTER);
    this.portProcesses ??= new ProcessDeriver();
    this.store.setProcesses(this.name, typeof parsed === 'string' ? null : this.portProcesses.update(parsed.samples, result.startedAtMs));
  }
}
