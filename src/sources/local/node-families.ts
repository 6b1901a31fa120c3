import type { Sample } from '../../exposition/types.js';
import type { DeviceCounters, MachineReading } from './machine-reading.js';
import type { Family } from './family.js';
import { gpuFamilies } from './nvidia-smi.js';

export type { Family } from './family.js';

const MEMORY_FIELDS = ['MemAvailable', 'MemTotal', 'SwapFree', 'SwapTotal'] as const;

/**
 * A reading as the node_exporter families cluster-top reads, with node_exporter's names, HELP
 * texts, labels and units. The agent serves these, and the local source derives its figures
 * from them, so the formulas live only in NodeExporterDeriver.
 */
export function nodeFamilies(r: MachineReading): Family[] {
  const families: Family[] = [
    gauge('node_boot_time_seconds', 'Node boot time, in unixtime.', r.bootTimeSeconds),
    {
      name: 'node_cpu_seconds_total',
      help: 'Seconds the CPUs spent in each mode.',
      type: 'counter',
      samples: r.cpus.flatMap((c) => Object.entries(c.seconds).map(([mode, value]) => ({ labels: { cpu: c.cpu, mode }, value }))),
    },
  ];
  if (r.disks) {
    families.push(
      perDevice('node_disk_read_bytes_total', 'The total number of bytes read successfully.', r.disks, 'in'),
      perDevice('node_disk_written_bytes_total', 'The total number of bytes written successfully.', r.disks, 'out'),
    );
  }
  if (r.filesystem) {
    const { device, fstype, sizeBytes, availBytes } = r.filesystem;
    const labels = { ...(device !== undefined ? { device } : {}), ...(fstype !== undefined ? { fstype } : {}), mountpoint: '/' };
    families.push(
      { name: 'node_filesystem_avail_bytes', help: 'Filesystem space available to non-root users in bytes.', type: 'gauge', samples: [{ labels, value: availBytes }] },
      { name: 'node_filesystem_size_bytes', help: 'Filesystem size in bytes.', type: 'gauge', samples: [{ labels, value: sizeBytes }] },
    );
  }
  families.push(
    gauge('node_load1', '1m load average.', r.load[0]),
    gauge('node_load15', '15m load average.', r.load[2]),
    gauge('node_load5', '5m load average.', r.load[1]),
  );
  for (const field of MEMORY_FIELDS) {
    const value = r.memory[field];
    if (value !== undefined) families.push(gauge(`node_memory_${field}_bytes`, `Memory information field ${field}_bytes.`, value));
  }
  if (r.network) {
    families.push(
      perDevice('node_network_receive_bytes_total', 'Network device statistic receive_bytes.', r.network, 'in'),
      perDevice('node_network_transmit_bytes_total', 'Network device statistic transmit_bytes.', r.network, 'out'),
    );
  }
  families.push(
    gauge('node_time_seconds', 'System time in seconds since epoch (1970).', r.timeSeconds),
    {
      name: 'node_uname_info',
      help: 'Labeled system information as provided by the uname system call.',
      type: 'gauge',
      samples: [{ labels: r.uname, value: 1 }],
    },
  );
  // nvidia-smi's GPUs in dcgm-exporter's names, under the host name dcgm-exporter would give.
  if (r.gpus) families.push(...gpuFamilies(r.gpus, r.uname.nodename ?? ''));
  return families;
}

/** The families as parsed samples, the shape NodeExporterDeriver consumes. */
export function familySamples(families: readonly Family[]): Sample[] {
  return families.flatMap((f) => f.samples.map((s) => ({ name: f.name, labels: s.labels, value: s.value, timestampMs: undefined })));
}

function gauge(name: string, help: string, value: number): Family {
  return { name, help, type: 'gauge', samples: [{ labels: {}, value }] };
}

function perDevice(name: string, help: string, devices: readonly DeviceCounters[], side: 'in' | 'out'): Family {
  return { name, help, type: 'counter', samples: devices.map((d) => ({ labels: { device: d.device }, value: d[side] })) };
}
