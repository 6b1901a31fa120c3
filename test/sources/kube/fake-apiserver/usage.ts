/** What a node and its containers consume, integrated over the test's clock, and the kubelet's collections of it. */

export interface UsageSpec {
  /** CPU in use, in cores (a rate). */
  cpuCores?: number;
  /** Memory working set in bytes. */
  memoryBytes?: number;
}

/** A CPU counter that advances at `cores` per second of the test clock, and a memory gauge. */
export class Meter {
  private seconds: number;
  private at: number;

  constructor(now: number, private cores: number, private memoryBytes: number, runningForMs: number) {
    this.at = now;
    this.seconds = (cores * runningForMs) / 1000;
  }

  cpuSecondsAt(t: number): number {
    // Before the container started (the first collection of a young one), nothing was used.
    return Math.max(0, this.seconds + (this.cores * (t - this.at)) / 1000);
  }

  memoryAt(): number {
    return this.memoryBytes;
  }

  set(now: number, usage: UsageSpec): void {
    this.seconds = this.cpuSecondsAt(now);
    this.at = now;
    if (usage.cpuCores !== undefined) this.cores = usage.cpuCores;
    if (usage.memoryBytes !== undefined) this.memoryBytes = usage.memoryBytes;
  }
}

export interface Sample {
  /** Cumulative CPU, in whole core-nanoseconds as the kubelet's summary holds it. */
  cpuNanos: number;
  memoryBytes: number;
}

export interface ContainerSample extends Sample {
  name: string;
  startedAt: number;
}

export interface PodSample extends Sample {
  name: string;
  namespace: string;
  containers: ContainerSample[];
}

/**
 * One cAdvisor housekeeping pass: the values and the time they were taken. The kubelet answers every scrape
 * from the latest one, so timestamps change only when a new collection happens.
 */
export interface Collection {
  at: number;
  node: Sample;
  pods: PodSample[];
}

export interface MeteredContainer {
  name: string;
  startedAt: number;
  meter: Meter;
}

export interface MeteredPod {
  name: string;
  namespace: string;
  node: string;
  containers: MeteredContainer[];
}

function sample(meter: Meter, t: number): Sample {
  return { cpuNanos: Math.round(meter.cpuSecondsAt(t) * 1e9), memoryBytes: meter.memoryAt() };
}

export function collect(t: number, node: Meter, pods: MeteredPod[]): Collection {
  return {
    at: t,
    node: sample(node, t),
    pods: pods.map((pod) => {
      const containers = pod.containers.map((c) => ({ name: c.name, startedAt: c.startedAt, ...sample(c.meter, t) }));
      return {
        name: pod.name,
        namespace: pod.namespace,
        containers,
        cpuNanos: containers.reduce((sum, c) => sum + c.cpuNanos, 0),
        memoryBytes: containers.reduce((sum, c) => sum + c.memoryBytes, 0),
      };
    }),
  };
}
