/**
 * A simulated node's containers as `cluster-top agent` serves them from cgroup v2
 * (src/agent/cgroup-containers.ts' containerFamilies): cAdvisor's family names and labels (`id`,
 * `name`, `image`, the compose project and service), so the one reader (metrics/cadvisor.ts)
 * serves both. Each container takes a seeded share of the node's busy seconds and memory, so the
 * containers' sum stays under the node's figures and their counters only grow.
 */
import type { NodeModel } from './node-model.js';
import type { PayloadBuilder } from './payload-template.js';
import { hash32 } from './random.js';

/** Compose services of a typical stack: service, image. */
const SERVICES: readonly (readonly [service: string, image: string])[] = [
  ['api', 'ghcr.io/acme/api:2.14.1'],
  ['worker', 'ghcr.io/acme/worker:2.14.1'],
  ['web', 'nginx:1.27-alpine'],
  ['db', 'postgres:16.4'],
  ['cache', 'redis:7.4-alpine'],
  ['queue', 'rabbitmq:3.13-management'],
  ['search', 'opensearchproject/opensearch:2.17.0'],
  ['metrics', 'prom/node-exporter:v1.8.2'],
  ['logs', 'fluent/fluent-bit:3.1'],
  ['proxy', 'envoyproxy/envoy:v1.31-latest'],
];

interface SimContainer {
  readonly labels: Readonly<Record<string, string>>;
  readonly cpuShare: number;
  readonly memoryBytes: number;
  readonly limitBytes: number;
  readonly phase: number;
  /** Seconds after boot it started. */
  readonly startedS: number;
}

function containersOf(count: number, m: NodeModel): SimContainer[] {
  const seed = m.spec.seed;
  const weights = Array.from({ length: count }, (_, i) => 1 / (1 + i));
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w, i) => {
    const h = hash32(seed, 0xc0 + i);
    const [service, image] = SERVICES[i % SERVICES.length]!;
    const replica = Math.floor(i / SERVICES.length) + 1;
    const id = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => hash32(seed, 0xc000 + i * 8 + k).toString(16).padStart(8, '0')).join('');
    const memoryBytes = Math.floor((m.spec.memoryBytes * 0.4 * w) / total / 4096) * 4096;
    return {
      labels: {
        container_label_com_docker_compose_project: 'shop',
        container_label_com_docker_compose_service: service,
        id: `/system.slice/docker-${id}.scope`,
        image,
        name: `shop-${service}-${replica}`,
      },
      cpuShare: (0.7 * w) / total,
      memoryBytes,
      // One in four has no limit (0, as the agent serves it); the others a limit above their use.
      limitBytes: h % 4 === 0 ? 0 : 2 ** Math.ceil(Math.log2(memoryBytes * 1.5 + 1)),
      phase: (h % 6283) / 1000,
      startedS: 60 + (h % 7200),
    };
  });
}

export function addContainerFamilies(b: PayloadBuilder, m: NodeModel, count: number): void {
  const f = m.frame;
  const containers = containersOf(count, m);
  const bootS = m.bootTimeMs / 1000;
  const rxAll = () => f.rxBytes.reduce((s, v) => s + v, 0);
  const txAll = () => f.txBytes.reduce((s, v) => s + v, 0);
  const readAll = () => f.readBytes.reduce((s, v) => s + v, 0);
  const writtenAll = () => f.writtenBytes.reduce((s, v) => s + v, 0);
  const family = (name: string, type: 'counter' | 'gauge', help: string, value: (c: SimContainer) => number | (() => number), extra: Record<string, string> = {}) => {
    const fam = b.family(name, type, help);
    for (const c of containers) fam.add(value(c), { ...c.labels, ...extra });
  };
  // Counters: the container's share of the node's own counters, which only grow.
  family('container_cpu_usage_seconds_total', 'counter', 'Cumulative cpu time consumed in seconds.', (c) => () => Math.floor(f.busyAll * c.cpuShare * 1e6) / 1e6, { cpu: 'total' });
  family('container_memory_working_set_bytes', 'gauge', 'Current working set in bytes.', (c) => () => Math.floor((c.memoryBytes * (0.95 + 0.05 * Math.sin(f.up / 50 + c.phase))) / 4096) * 4096);
  family('container_spec_memory_limit_bytes', 'gauge', 'Memory limit for the container.', (c) => c.limitBytes);
  family('container_fs_reads_bytes_total', 'counter', 'Cumulative count of bytes read', (c) => () => Math.floor(readAll() * c.cpuShare * 0.5));
  family('container_fs_writes_bytes_total', 'counter', 'Cumulative count of bytes written', (c) => () => Math.floor(writtenAll() * c.cpuShare * 0.5));
  family('container_network_receive_bytes_total', 'counter', 'Cumulative count of bytes received', (c) => () => Math.floor(rxAll() * c.cpuShare * 0.8), { interface: 'eth0' });
  family('container_network_transmit_bytes_total', 'counter', 'Cumulative count of bytes transmitted', (c) => () => Math.floor(txAll() * c.cpuShare * 0.8), { interface: 'eth0' });
  family('container_start_time_seconds', 'gauge', 'Start time of the container since unix epoch in seconds.', (c) => bootS + c.startedS);
}
