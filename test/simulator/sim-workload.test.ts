import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { ContainerDeriver } from '../../src/metrics/cadvisor.js';
import { ProcessDeriver } from '../../src/metrics/process-deriver.js';
import { NodeExporterDeriver } from '../../src/metrics/node-exporter.js';
import { NODE_VIEW_COLLECTORS } from '../../src/metrics/collector-narrowing.js';
import { makeClusterSpecs } from '../../src/simulator/sim-cluster.js';
import { SimNode } from '../../src/simulator/sim-node.js';

const START = Date.UTC(2026, 0, 5, 9);

/** A node of the scale benchmark's --workload: 30 processes and 20 containers beside its node families. */
function workloadNode(i = 0): SimNode {
  const spec = makeClusterSpecs(8, 1)[i]!;
  return new SimNode({ ...spec, clusterStartMs: START, bootTimeMs: START - 3_600_000, processes: 30, containers: 20 });
}

/** The node's figures, processes and containers read by the pipeline's own derivers, two scrapes `gapS` apart. */
function readTwice(node: SimNode, gapS: number, collectors?: string[]) {
  const nodes = new NodeExporterDeriver(node.spec.name);
  const processes = new ProcessDeriver();
  const containers = new ContainerDeriver();
  let out;
  for (const t of [START + 60_000, START + 60_000 + gapS * 1000]) {
    const samples = parseExposition(node.render(t, collectors)).samples;
    out = { node: nodes.update(samples, t), processes: processes.update(samples, t), containers: containers.update(samples, t) };
  }
  return out!;
}

describe("the simulator's processes and containers (the agent's payload)", () => {
  it("serves the agent's process families: 30 processes and their command groups, CPU under the node's", () => {
    const { node, processes } = readTwice(workloadNode(), 5);
    expect(processes?.source).toBe('agent');
    expect(processes!.processes).toHaveLength(30);
    expect(new Set(processes!.processes.map((p) => p.pid)).size).toBe(30);
    expect(processes!.groups.length).toBeGreaterThan(5);
    expect(processes!.total).toBeGreaterThan(30);
    const cpuSum = processes!.processes.reduce((s, p) => s + (p.cpuPercent ?? 0), 0);
    expect(cpuSum).toBeGreaterThan(0);
    // The node's CPU % is of all its cores; the processes' are of one core each, as top shows them.
    const cpu = node.figures.cpu!;
    expect(cpuSum).toBeLessThanOrEqual(cpu.usagePercent! * cpu.cores);
    for (const p of processes!.processes) {
      expect(p.memoryBytes).toBeGreaterThan(0);
      expect(p.user).not.toBeNull();
      expect(p.ppid).toBe(1);
    }
  });

  it("serves 20 containers in cAdvisor's names, named, with compose labels, memory under the limit where there is one", () => {
    const { containers } = readTwice(workloadNode(), 5);
    expect(containers.containers).toHaveLength(20);
    expect(containers.unnamed).toBe(0);
    for (const c of containers.containers) {
      expect(c.name).toMatch(/^shop-[a-z]+-\d$/);
      expect(c.composeProject).toBe('shop');
      expect(c.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(c.memoryBytes).toBeGreaterThan(0);
      if (c.memoryLimitBytes !== null) expect(c.memoryBytes!).toBeLessThan(c.memoryLimitBytes);
      expect(c.receiveBytesPerSecond).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps processes and containers in a narrowed payload, as the agent serves them whatever collect[] asks', () => {
    const { processes, containers } = readTwice(workloadNode(1), 5, [...NODE_VIEW_COLLECTORS.filter((c) => c !== 'boottime')]);
    expect(processes!.processes).toHaveLength(30);
    expect(containers.containers).toHaveLength(20);
  });

  it('leaves a node without a workload as it was', () => {
    const spec = makeClusterSpecs(8, 1)[0]!;
    const text = new SimNode({ ...spec, clusterStartMs: START }).render(START);
    expect(text).not.toMatch(/^(cluster_top_process|container_)/m);
  });
});
