import type { Pipeline } from '../node-list/pipeline.js';
import { makeDemoSpecs, startSimCluster, type SimCluster } from '../../simulator/sim-cluster.js';
import type { Source } from '../source.js';
import { ForwardingSource } from '../forwarding-source.js';
import { parseTarget } from '../../targets/parse-target.js';
import type { Target } from '../../targets/target.js';

export interface DemoOptions {
  readonly nodes: number;
  readonly seed: number;
}

/**
 * `--demo`: a simulated cluster in this process (real HTTP on loopback) watched through the real
 * scrape pipeline, so its down, slow and flapping nodes fail exactly as real ones do. The same
 * seed gives the same nodes (names, labels, sizes, which one is down, slow, flapping or heating
 * up) and the same figures at the same time since the start; only the ports differ.
 */
export async function startDemo(options: DemoOptions, makePipeline: (targets: Target[]) => Promise<Pipeline>): Promise<Source> {
  const sim = await startSimCluster({ n: options.nodes, seed: options.seed, specs: makeDemoSpecs(options.nodes, options.seed) });
  try {
    // The simulated name stands in for the host, the name shown until a node reports its own:
    // the down and slow nodes never do, and rows of "127.0.0.1" would not tell them apart. The
    // labels are what discovery would give each target (job, zone, pool, role), for grouping
    // and label filters.
    const targets = sim.urls.map((url, i) => {
      const spec = sim.specs[i]!;
      return { ...parseTarget(url, spec.labels ?? {}), host: spec.name };
    });
    return new DemoSource(sim, await makePipeline(targets), `demo: ${options.nodes} simulated nodes, seed ${options.seed}`);
  } catch (error) {
    await sim.close();
    throw error;
  }
}

class DemoSource extends ForwardingSource {
  constructor(
    private readonly sim: SimCluster,
    pipeline: Pipeline,
    private readonly line: string,
  ) {
    super(pipeline);
  }

  override get notice(): string {
    return this.line;
  }

  override async stop(): Promise<void> {
    try {
      await super.stop();
    } finally {
      await this.sim.close();
    }
  }
}
