import { randomUUID } from 'node:crypto';
import { rfc3339 } from './formats.js';
import type { Namespace, Node, Pod } from './k8s-types.js';
import { buildNode, type NodeSpec } from './node-object.js';
import { buildPod, containersOf, DEFAULT_CONTAINER_USAGE, type PodSpec } from './pod-object.js';
import { ObjectStore, Revision } from './store.js';
import { collect, Meter, type Collection, type MeteredPod, type UsageSpec } from './usage.js';

/** The test's clock: it moves only when the test says so. */
export class FakeClock {
  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`the clock only moves forward, not by ${ms}`);
    this.ms += ms;
  }
}

export interface NodeRuntime {
  spec: NodeSpec;
  meter: Meter;
  previous: Collection;
  latest: Collection;
}

export type UsageTarget = { node: string } | { pod: string; namespace?: string; container?: string };

const DEFAULT_NODE_USAGE = { cpuCores: 0.5, memoryBytes: 2 * 2 ** 30 };
const DAY_SECONDS = 86_400;

/** The simulated cluster behind the HTTP surface: objects, their history, and what the kubelets measure. */
export class Cluster {
  readonly revision = new Revision();
  readonly nodes = new ObjectStore<Node>(this.revision);
  readonly pods = new ObjectStore<Pod>(this.revision);
  readonly namespaces = new ObjectStore<Namespace>(this.revision);
  private readonly runtimes = new Map<string, NodeRuntime>();
  private readonly meteredPods = new Map<string, MeteredPod>();
  private readonly podSpecs = new Map<string, PodSpec>();
  private nodeCount = 0;

  /** `windowMs` is the kubelet's housekeeping interval: how far apart the two collections a node starts with are. */
  constructor(readonly clock: FakeClock, readonly version: string, private readonly windowMs: number) {
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) this.ensureNamespace(ns);
  }

  runtime(name: string): NodeRuntime | undefined {
    return this.runtimes.get(name);
  }

  addNode(spec: NodeSpec): Node {
    if (this.runtimes.has(spec.name)) throw new Error(`node ${spec.name} already exists`);
    assertLoopback(spec);
    const now = this.clock.now();
    const resolved = { internalIP: `10.0.0.${++this.nodeCount}`, ...spec };
    const ageMs = (spec.ageSeconds ?? 5 * DAY_SECONDS) * 1000;
    const usage = { ...DEFAULT_NODE_USAGE, ...spec.usage };
    const meter = new Meter(now, usage.cpuCores, usage.memoryBytes, ageMs);
    this.runtimes.set(spec.name, { spec: resolved, meter, ...this.firstCollections(meter, spec.name) });
    return this.nodes.put(buildNode(resolved, this.version, now, now - ageMs));
  }

  /** Rebuilds the node from its spec with `change` applied, keeping its identity, as a kubelet status update would. */
  modifyNode(name: string, change: Partial<NodeSpec>): Node {
    const runtime = this.runtimes.get(name);
    const old = this.nodes.get(name);
    if (!runtime || !old) throw new Error(`no node ${name}`);
    runtime.spec = { ...runtime.spec, ...change, name };
    assertLoopback(runtime.spec);
    if (change.usage) runtime.meter.set(this.clock.now(), change.usage);
    const node = buildNode(runtime.spec, this.version, this.clock.now(), Date.parse(old.metadata.creationTimestamp), old.metadata.uid);
    node.status.nodeInfo = { ...node.status.nodeInfo, ...pick(old.status.nodeInfo) };
    return this.nodes.put(node);
  }

  deleteNode(name: string): void {
    if (!this.nodes.remove(name)) throw new Error(`no node ${name}`);
    this.runtimes.delete(name);
  }

  addPod(spec: PodSpec): Pod {
    const now = this.clock.now();
    const namespace = spec.namespace ?? 'default';
    const startedAt = now - (spec.ageSeconds ?? 3600) * 1000;
    const containers = containersOf(spec).map((c) => ({
      name: c.name,
      startedAt,
      meter: new Meter(now, c.cpuCores ?? DEFAULT_CONTAINER_USAGE.cpuCores, c.memoryBytes ?? DEFAULT_CONTAINER_USAGE.memoryBytes, now - startedAt),
    }));
    this.ensureNamespace(namespace);
    this.meteredPods.set(`${namespace}/${spec.name}`, { name: spec.name, namespace, node: spec.node, containers });
    this.podSpecs.set(`${namespace}/${spec.name}`, spec);
    const hostIP = this.runtimes.get(spec.node)?.spec.internalIP ?? '';
    return this.pods.put(buildPod(spec, hostIP, startedAt, now));
  }

  /**
   * Rebuilds the pod from its spec with `change` applied, keeping its identity, as a kubelet status
   * update does (a container restarted: a higher restartCount). Its containers' usage stays.
   */
  modifyPod(name: string, change: Partial<Omit<PodSpec, 'name' | 'namespace' | 'node'>>, namespace = 'default'): Pod {
    const key = `${namespace}/${name}`;
    const spec = this.podSpecs.get(key);
    const old = this.pods.get(name, namespace);
    if (!spec || !old) throw new Error(`no pod ${key}`);
    const next = { ...spec, ...change };
    this.podSpecs.set(key, next);
    const hostIP = this.runtimes.get(next.node)?.spec.internalIP ?? '';
    return this.pods.put(buildPod(next, hostIP, 0, this.clock.now(), { uid: old.metadata.uid, created: old.metadata.creationTimestamp }));
  }

  deletePod(name: string, namespace = 'default'): void {
    if (!this.pods.remove(name, namespace)) throw new Error(`no pod ${namespace}/${name}`);
    this.meteredPods.delete(`${namespace}/${name}`);
    this.podSpecs.delete(`${namespace}/${name}`);
  }

  setUsage(target: UsageTarget, usage: UsageSpec): void {
    const now = this.clock.now();
    if ('node' in target) {
      const runtime = this.runtimes.get(target.node);
      if (!runtime) throw new Error(`no node ${target.node}`);
      runtime.meter.set(now, usage);
      return;
    }
    const pod = this.meteredPods.get(`${target.namespace ?? 'default'}/${target.pod}`);
    if (!pod) throw new Error(`no pod ${target.pod}`);
    const containers = pod.containers.filter((c) => target.container === undefined || c.name === target.container);
    if (containers.length === 0) throw new Error(`no container ${target.container ?? ''} in pod ${target.pod}`);
    for (const c of containers) c.meter.set(now, usage);
  }

  /**
   * A cAdvisor housekeeping pass on `node` (or every node): new samples, stamped now. Nothing happens where the
   * clock has not moved since the last one, as no time has passed to measure.
   */
  collect(node?: string): void {
    const now = this.clock.now();
    for (const [name, runtime] of this.runtimes) {
      if ((node !== undefined && name !== node) || now <= runtime.latest.at) continue;
      runtime.previous = runtime.latest;
      runtime.latest = collect(now, runtime.meter, this.podsOn(name));
    }
  }

  /** Gives every node the two collections a running kubelet has, pods included: for a cluster's starting state. */
  recollect(): void {
    for (const [name, runtime] of this.runtimes) Object.assign(runtime, this.firstCollections(runtime.meter, name));
  }

  private firstCollections(meter: Meter, node: string): Pick<NodeRuntime, 'previous' | 'latest'> {
    const now = this.clock.now();
    const pods = this.podsOn(node);
    return { previous: collect(now - this.windowMs, meter, pods), latest: collect(now, meter, pods) };
  }

  private ensureNamespace(name: string): void {
    if (this.namespaces.get(name)) return;
    this.namespaces.put({
      metadata: {
        name, uid: randomUUID(), resourceVersion: '0', creationTimestamp: rfc3339(this.clock.now() - 5 * DAY_SECONDS * 1000),
        labels: { 'kubernetes.io/metadata.name': name },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  /** What the kubelet measures: the pods running there (a pending or finished pod has no containers running). */
  private podsOn(node: string): MeteredPod[] {
    const running = (p: MeteredPod): boolean => (this.podSpecs.get(`${p.namespace}/${p.name}`)?.phase ?? 'Running') === 'Running';
    return [...this.meteredPods.values()].filter((p) => p.node === node && running(p));
  }
}

/** The proxy dials what tests register: keep it on this machine. */
function assertLoopback(spec: NodeSpec): void {
  for (const base of Object.values(spec.exporters ?? {})) {
    const host = new URL(base).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
      throw new Error(`node ${spec.name}: exporters must be on loopback, not ${host}`);
    }
  }
}

function pick(info: Node['status']['nodeInfo']): Partial<Node['status']['nodeInfo']> {
  return { machineID: info.machineID, systemUUID: info.systemUUID, bootID: info.bootID };
}
