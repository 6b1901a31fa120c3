/**
 * What a generated cluster is made of: node pools of a few machine sizes on GKE, EKS and AKS and
 * some bare-metal hosts, each node named as its platform names nodes and labelled as discovery
 * would label its target. All of it drawn from the seed.
 */
import type { GpuScenario, SimNodeSpec, Workload } from './node-model.js';
import { hash32, Rng } from './random.js';

const GIB = 1024 ** 3;
/** Longer than any typical scrape timeout (cluster-top's is at most 10 s, usually far less). */
export const SLOW_MS = 12_000;

/** One node pool: a machine size, where it runs, what it does, and how its nodes are named. */
interface Pool {
  /** The Prometheus job scraping it: one per cluster (or the bare-metal estate). */
  readonly job: string;
  readonly pool: string;
  readonly role: string;
  readonly zones: readonly string[];
  readonly cores: number;
  readonly memoryGiB: number;
  /** Share of the cluster's nodes, relative to the other pools'. */
  readonly weight: number;
  /** Range of the nodes' typical CPU busy share. */
  readonly load: readonly [number, number];
  readonly workload: Workload;
  /** Pinned hot cores, a range; default none (and now and then one, see NodeModel). */
  readonly hotCores?: readonly [number, number];
  /** Kubernetes workers: some are nearly idle, just added by the autoscaler. */
  readonly autoscaled?: boolean;
  readonly naming: Naming;
}

type Naming =
  | { readonly kind: 'gke'; readonly cluster: string }
  | { readonly kind: 'eks'; readonly region: string }
  | { readonly kind: 'aks' }
  | { readonly kind: 'metal'; readonly prefix: string };

const GKE_ZONES = ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'];
const EKS_ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const AKS_ZONES = ['westeurope-1', 'westeurope-2', 'westeurope-3'];
const SITES = ['fra1', 'ams1'];

const web: Workload = { daily: 1 };
const batch: Workload = { daily: -0.7, burstiness: 0.35 };

/** Mean cores per node about 14, as the simulator had before pools: the scale benchmark's payloads keep their size. */
const POOLS: readonly Pool[] = [
  { job: 'gke-prod', pool: 'default-pool', role: 'worker', zones: GKE_ZONES, cores: 8, memoryGiB: 32, weight: 14, load: [0.2, 0.55], workload: web, autoscaled: true, naming: { kind: 'gke', cluster: 'prod' } },
  { job: 'gke-prod', pool: 'highmem-pool', role: 'worker', zones: GKE_ZONES, cores: 16, memoryGiB: 128, weight: 4, load: [0.15, 0.35], workload: { daily: 0.6, memory: 0.78 }, naming: { kind: 'gke', cluster: 'prod' } },
  { job: 'eks-prod', pool: 'general', role: 'worker', zones: EKS_ZONES, cores: 8, memoryGiB: 32, weight: 10, load: [0.15, 0.6], workload: web, autoscaled: true, naming: { kind: 'eks', region: 'eu-west-1' } },
  { job: 'eks-prod', pool: 'compute', role: 'worker', zones: EKS_ZONES, cores: 16, memoryGiB: 32, weight: 4, load: [0.55, 0.85], workload: batch, autoscaled: true, naming: { kind: 'eks', region: 'eu-west-1' } },
  { job: 'aks-staging', pool: 'nodepool1', role: 'system', zones: AKS_ZONES, cores: 4, memoryGiB: 16, weight: 3, load: [0.06, 0.18], workload: { daily: 0.3 }, naming: { kind: 'aks' } },
  { job: 'aks-staging', pool: 'userpool', role: 'worker', zones: AKS_ZONES, cores: 8, memoryGiB: 32, weight: 5, load: [0.04, 0.3], workload: { daily: 0.8, burstiness: 0.3 }, autoscaled: true, naming: { kind: 'aks' } },
  { job: 'baremetal', pool: 'db', role: 'database', zones: SITES, cores: 32, memoryGiB: 256, weight: 2, load: [0.3, 0.6], workload: { daily: 0.9, memory: 0.8, disk: 3, network: 1.5 }, hotCores: [0, 1], naming: { kind: 'metal', prefix: 'db' } },
  { job: 'baremetal', pool: 'gpu-a100', role: 'gpu', zones: SITES, cores: 64, memoryGiB: 512, weight: 1.5, load: [0.1, 0.3], workload: { daily: -0.4, memory: 0.55, disk: 1.5, burstiness: 0.1 }, hotCores: [4, 8], naming: { kind: 'metal', prefix: 'gpu-a100' } },
  { job: 'baremetal', pool: 'kafka', role: 'kafka', zones: SITES, cores: 16, memoryGiB: 64, weight: 1.5, load: [0.2, 0.4], workload: { daily: 1, memory: 0.6, network: 3, disk: 2.5 }, naming: { kind: 'metal', prefix: 'kafka' } },
  { job: 'baremetal', pool: 'ci', role: 'ci', zones: SITES, cores: 32, memoryGiB: 64, weight: 1.5, load: [0.05, 0.2], workload: { daily: 0.4, memory: 0.3, disk: 2, burstiness: 0.6 }, naming: { kind: 'metal', prefix: 'ci-runner' } },
  { job: 'baremetal', pool: 'k8s-cp', role: 'control-plane', zones: SITES, cores: 4, memoryGiB: 16, weight: 1, load: [0.08, 0.2], workload: { daily: 0.3, memory: 0.5 }, naming: { kind: 'metal', prefix: 'k8s-cp' } },
  { job: 'baremetal', pool: 'lb', role: 'lb', zones: SITES, cores: 8, memoryGiB: 16, weight: 1, load: [0.05, 0.15], workload: { daily: 1, memory: 0.15, network: 5, disk: 0.2 }, hotCores: [1, 2], naming: { kind: 'metal', prefix: 'lb' } },
  { job: 'baremetal', pool: 'bastion', role: 'bastion', zones: SITES, cores: 2, memoryGiB: 4, weight: 0.7, load: [0.01, 0.05], workload: { daily: 0.5, memory: 0.2, network: 0.3, disk: 0.3 }, naming: { kind: 'metal', prefix: 'bastion' } },
  { job: 'baremetal', pool: 'gpu-h100', role: 'gpu', zones: SITES, cores: 128, memoryGiB: 2048, weight: 0.5, load: [0.2, 0.4], workload: { daily: -0.4, memory: 0.5, disk: 1.5, burstiness: 0.1 }, hotCores: [8, 12], naming: { kind: 'metal', prefix: 'gpu-h100' } },
];

/**
 * Which pool each of n nodes comes from: smooth weighted round robin, started from seeded
 * credits, so any first few nodes already mix the pools in about their weights.
 */
function poolSequence(n: number, rng: Rng): Pool[] {
  const total = POOLS.reduce((a, p) => a + p.weight, 0);
  const credit = POOLS.map((p) => p.weight * rng.next());
  const out: Pool[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 0; k < POOLS.length; k++) {
      credit[k]! += POOLS[k]!.weight;
      if (credit[k]! > credit[best]!) best = k;
    }
    credit[best]! -= total;
    out.push(POOLS[best]!);
  }
  return out;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Names as each platform gives them, unique within the cluster. */
class Namer {
  private readonly used = new Set<string>();
  /** Per pool: nodes named so far. */
  private readonly counts = new Map<Pool, number>();
  /** GKE: one managed instance group per pool and zone, an 8-hex id each. */
  private readonly groups = new Map<string, string>();
  /** AKS: one scale set per pool, an 8-digit id each. */
  private readonly scaleSets = new Map<Pool, string>();

  constructor(private readonly rng: Rng) {}

  name(pool: Pool, zone: string): string {
    const k = this.counts.get(pool) ?? 0;
    this.counts.set(pool, k + 1);
    for (let attempt = 0; ; attempt++) {
      const name = this.draw(pool, zone, k);
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
      // Only random parts can collide, and rarely: tens of thousands of choices for at most 2,000 nodes.
      if (attempt > 1000) throw new Error(`no unique name left in pool ${pool.pool}`);
    }
  }

  private draw(pool: Pool, zone: string, k: number): string {
    const rng = this.rng;
    const n = pool.naming;
    switch (n.kind) {
      case 'gke': {
        const key = `${pool.pool}/${zone}`;
        let group = this.groups.get(key);
        if (group === undefined) this.groups.set(key, (group = rng.hex(8)));
        let suffix = '';
        for (let i = 0; i < 4; i++) suffix += ALNUM[rng.int(0, ALNUM.length - 1)]!;
        return `gke-${n.cluster}-${pool.pool}-${group}-${suffix}`;
      }
      case 'eks': {
        // A /19 subnet per zone: 10.0.0.0, 10.0.32.0, 10.0.64.0.
        const third = 32 * Math.max(0, pool.zones.indexOf(zone)) + rng.int(0, 31);
        return `ip-10-0-${third}-${rng.int(1, 254)}.${n.region}.compute.internal`;
      }
      case 'aks': {
        let set = this.scaleSets.get(pool);
        if (set === undefined) this.scaleSets.set(pool, (set = String(rng.int(10_000_000, 99_999_999))));
        return `aks-${pool.pool}-${set}-vmss${k.toString(36).padStart(6, '0')}`;
      }
      case 'metal':
        return `${n.prefix}-${String(k + 1).padStart(2, '0')}`;
    }
  }
}

/**
 * A varied, deterministic cluster: node pools on GKE, EKS and AKS and bare-metal hosts (databases,
 * GPU boxes, Kafka brokers, CI runners…), from 2 to 128 cores, mostly 4–16; each node with its
 * platform's kind of name and discovery labels job, zone, pool and role. With n ≥ 8, one node
 * down and one slower than any scrape timeout; with n ≥ 12, one flapping; with n ≥ 4, one
 * heating up. Specs come sorted by name, as a table lists them.
 */
export function makeClusterSpecs(n: number, seed: number): SimNodeSpec[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
  const rng = new Rng(hash32(seed, 0xc1));
  const namer = new Namer(rng);
  const zoneTurn = new Map<Pool, number>();
  const specs = poolSequence(n, rng).map((pool, i): SimNodeSpec => {
    // Pools spread their nodes over their zones in turn, as regional node pools do.
    const turn = zoneTurn.get(pool) ?? rng.int(0, pool.zones.length - 1);
    zoneTurn.set(pool, turn + 1);
    const zone = pool.zones[turn % pool.zones.length]!;
    const idle = pool.autoscaled === true && rng.next() < 0.1;
    const hot = pool.hotCores;
    return {
      name: namer.name(pool, zone),
      cores: pool.cores,
      // The kernel keeps a little of the installed memory for itself, so MemTotal is a bit less.
      memoryBytes: 4096 * Math.floor((pool.memoryGiB * GIB * 0.985) / 4096),
      seed: hash32(seed, i + 1),
      baseLoad: idle ? rng.range(0.01, 0.06) : rng.range(pool.load[0], pool.load[1]),
      labels: { job: pool.job, zone, pool: pool.pool, role: pool.role },
      workload: hot === undefined ? pool.workload : { ...pool.workload, hotCores: rng.int(hot[0], hot[1]) },
    };
  });
  specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // Distinct nodes for the down, slow, flapping and heating roles.
  const taken = new Set<number>();
  const pick = (): number => {
    let i = rng.int(0, n - 1);
    while (taken.has(i)) i = (i + 1) % n;
    taken.add(i);
    return i;
  };
  const mark = (over: Partial<SimNodeSpec>): void => {
    const i = pick();
    specs[i] = { ...specs[i]!, ...over };
  };
  if (n >= 8) {
    mark({ down: true });
    mark({ slowMs: SLOW_MS });
  }
  if (n >= 12) mark({ flapping: true });
  // From a light load, so there is room to heat up into.
  if (n >= 4) mark({ baseLoad: rng.range(0.12, 0.25), heatsUp: true });
  return specs;
}

/** The demo's GPU pool: the lab cluster's cases, one node each (see families-gpu.ts). */
const GPU_POOL: readonly GpuScenario[] = ['training', 'idle-allocated', 'hot', 'xid'];

/**
 * The demo's cluster: with n ≥ 12, makeClusterSpecs(n − 4) and a pool of four 8-GPU DGX nodes
 * (one training job near 95 %, one allotted but idle, one with a GPU running hot, one with an
 * XID), sorted by name; smaller demos have no GPUs. Every node has processes and about a third
 * have containers. The same seed gives the same cluster.
 */
export function makeDemoSpecs(n: number, seed: number): SimNodeSpec[] {
  return demoNodes(n, seed).map(withAgentTables);
}

/**
 * A demo node serves what `cluster-top agent` would on it: its heaviest processes (so `t` shows
 * something) and, on about a third of the nodes, a Docker Compose stack's containers (so `c` does).
 */
function withAgentTables(spec: SimNodeSpec): SimNodeSpec {
  return { ...spec, processes: DEMO_PROCESSES, ...(hash32(spec.seed, 0xc7) % 3 === 0 ? { containers: DEMO_CONTAINERS } : {}) };
}

const DEMO_PROCESSES = 25;
const DEMO_CONTAINERS = 12;

function demoNodes(n: number, seed: number): SimNodeSpec[] {
  if (n < 12) return makeClusterSpecs(n, seed);
  const specs = makeClusterSpecs(n - GPU_POOL.length, seed);
  const rng = new Rng(hash32(seed, 0x69e));
  GPU_POOL.forEach((scenario, i) => {
    specs.push({
      name: `dgx-a100-${String(i + 1).padStart(2, '0')}`,
      cores: 128,
      memoryBytes: 4096 * Math.floor((1024 * GIB * 0.985) / 4096),
      seed: hash32(seed, 0x69e0 + i),
      baseLoad: scenario === 'idle-allocated' ? rng.range(0.01, 0.04) : rng.range(0.2, 0.4),
      labels: { job: 'baremetal', zone: SITES[i % SITES.length]!, pool: 'dgx-a100', role: 'gpu' },
      workload: { daily: -0.4, memory: 0.5, disk: 1.5, burstiness: 0.1 },
      gpus: { count: 8, model: 'NVIDIA A100-SXM4-80GB', memoryMiB: 81_920, powerLimitW: 400, scenario },
    });
  });
  return specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
