import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { ContainerDeriver } from '../../src/metrics/cadvisor.js';
import { GpuReader } from '../../src/metrics/gpu.js';
import { ProcessDeriver } from '../../src/metrics/process-deriver.js';

// A full collection on demand, so that what is measured is what is held, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PAYLOADS = 20;
const PADDING_BYTES = 1_000_000;

/** One node's payload: a container, a GPU and a process, with long label values, and a megabyte of comments around them. */
function payload(i: number): string {
  const padding = `# ${'x'.repeat(998)}\n`.repeat(PADDING_BYTES / 1000);
  const id = `/system.slice/docker-${String(i).padStart(64, '0')}.scope`;
  const gpu = `gpu="0",UUID="GPU-${String(i).padStart(8, '0')}-aaaa-bbbb-cccc-dddddddddddd",modelName="NVIDIA H100 80GB HBM3",Hostname="node-${i}.example.internal",namespace="ml-research-team",pod="llama-finetune-${i}",container="trainer-container"`;
  return [
    padding,
    `container_cpu_usage_seconds_total{cpu="total",id="${id}",image="ghcr.io/acme/api:2.14.1-${i}",name="shop-api-with-a-long-name-${i}",container_label_com_docker_compose_project="shop-project-${i}",container_label_com_docker_compose_service="api-service-${i}"} ${i}`,
    `container_memory_working_set_bytes{id="${id}",image="ghcr.io/acme/api:2.14.1-${i}",name="shop-api-with-a-long-name-${i}"} 1e6`,
    `DCGM_FI_DEV_GPU_UTIL{${gpu}} 50`,
    `DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{${gpu}} 1000`,
    `cluster_top_process_cpu_seconds_total{comm="containerd-shim-runc-v2",pid="${1000 + i}",user="a-long-user-name-${i}"} 5`,
    `cluster_top_process_info{comm="containerd-shim-runc-v2",pid="${1000 + i}",user="a-long-user-name-${i}",ppid="1",state="sleeping-for-long"} 1`,
    padding,
  ].join('\n');
}

describe('figures held after a scrape', () => {
  it("keep none of the payload they were read from (V8's slices would keep it all)", () => {
    const held: unknown[] = [];
    // The readers live as long as their target: their counters' keys too.
    const readers = Array.from({ length: PAYLOADS }, () => ({ containers: new ContainerDeriver(), gpus: new GpuReader(), processes: new ProcessDeriver() }));
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < PAYLOADS; i++) {
      const { samples } = parseExposition(payload(i));
      const r = readers[i]!;
      held.push(r.containers.update(samples, 1_000), r.gpus.read(samples, 1_000), r.processes.update(samples, 1_000));
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // What is read is a few KB a payload (and the heap's own pages, about 2 MB); the payloads would be 20 × 2 MB.
    expect(held).toHaveLength(3 * PAYLOADS);
    expect(grown).toBeLessThan((PAYLOADS * 2 * PADDING_BYTES) / 5);
  });
});
