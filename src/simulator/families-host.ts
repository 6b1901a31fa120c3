import type { NodeModel } from './node-model.js';
import { BUSY_MODES } from './node-model.js';
import type { PayloadBuilder, SampleValue } from './payload-template.js';

/** Core ids in the order node_exporter prints them: label values sort as strings ("10" < "2"). */
export function coreIds(cores: number): string[] {
  return Array.from({ length: cores }, (_, i) => String(i)).sort();
}

/** Kernel clock ticks are 1/100 s, so node_exporter's CPU seconds carry two decimals. */
function ticks(seconds: number): number {
  return Math.floor(seconds * 100) / 100;
}

function kib(x: number): number {
  return 1024 * Math.floor(Math.max(0, x) / 1024);
}

export function addCpuFamilies(b: PayloadBuilder, m: NodeModel): void {
  const f = m.frame;
  const cpu = b.family('node_cpu_seconds_total', 'counter', 'Seconds the CPUs spent in each mode.');
  const guest = b.family('node_cpu_guest_seconds_total', 'counter', 'Seconds the CPUs spent in guests (VMs) for each mode.');
  const iow = m.iowaitShare;
  for (const id of coreIds(m.cores)) {
    const c = Number(id);
    cpu.add(() => ticks(f.idle[c]! * (1 - iow)), { cpu: id, mode: 'idle' });
    cpu.add(() => ticks(f.idle[c]! * iow), { cpu: id, mode: 'iowait' });
    for (const mode of BUSY_MODES) {
      const share = m.modeShares[mode][c]!;
      cpu.add(share === 0 ? 0 : () => ticks(f.busy[c]! * share), { cpu: id, mode });
    }
    guest.add(0, { cpu: id, mode: 'nice' }).add(0, { cpu: id, mode: 'user' });
  }
  b.family('node_load1', 'gauge', '1m load average.').add(() => f.load1);
  b.family('node_load5', 'gauge', '5m load average.').add(() => f.load5);
  b.family('node_load15', 'gauge', '15m load average.').add(() => f.load15);
  const busy = () => f.busyAll;
  const counter = (name: string, help: string, value: () => number) => b.family(name, 'counter', help).add(value);
  counter('node_context_switches_total', 'Total number of context switches.', () => Math.floor(busy() * 2500 + f.up * m.cores * 150));
  counter('node_intr_total', 'Total number of interrupts serviced.', () => Math.floor(busy() * 1800 + f.up * m.cores * 120));
  counter('node_forks_total', 'Total number of forks.', () => Math.floor(busy() * 3 + f.up * 0.4));
  b.family('node_procs_running', 'gauge', 'Number of processes in runnable state.').add(() => Math.max(1, Math.round(f.load1 * 0.6)));
  b.family('node_procs_blocked', 'gauge', 'Number of processes blocked waiting for I/O to complete.').add(() => Math.round(f.load1 * iow * 4));
  const vmstat = (field: string, value: SampleValue) =>
    b.family(`node_vmstat_${field}`, 'untyped', `/proc/vmstat information field ${field}.`).add(value);
  vmstat('oom_kill', 0);
  vmstat('pgfault', () => Math.floor(busy() * 6000));
  vmstat('pgmajfault', () => Math.floor(busy() * 0.8));
  vmstat('pgpgin', () => Math.floor(sum(f.readBytes) / 1024));
  vmstat('pgpgout', () => Math.floor(sum(f.writtenBytes) / 1024));
  vmstat('pswpin', () => (m.swapTotal > 0 ? Math.floor(f.up * 0.05) : 0));
  vmstat('pswpout', () => (m.swapTotal > 0 ? Math.floor(f.up * 0.08) : 0));
  const pressure = (name: string, help: string, scale: number) => counter(`node_pressure_${name}_seconds_total`, help, () => Math.floor(busy() * scale * 1e6) / 1e6);
  pressure('cpu_waiting', 'Total time in seconds that processes have waited for CPU time', 0.02);
  pressure('io_stalled', 'Total time in seconds no process could make progress due to IO congestion', iow * 0.3);
  pressure('io_waiting', 'Total time in seconds that processes have waited due to IO congestion', iow * 0.4);
  pressure('memory_stalled', 'Total time in seconds no process could make progress due to memory congestion', 0);
  pressure('memory_waiting', 'Total time in seconds that processes have waited for memory', 0);
}

export function addMemoryFamilies(b: PayloadBuilder, m: NodeModel): void {
  const f = m.frame;
  const total = m.spec.memoryBytes;
  const used = () => total - f.memAvailable;
  const cached = () => kib(f.memAvailable * 0.55);
  const anon = () => kib(used() * 0.8);
  const activeAnon = () => kib(anon() * 0.85);
  const swapUsed = () => m.swapTotal - f.swapFree;
  const direct4k = kib(Math.min(total * 0.01, 512 * 1048576));
  const direct2M = 2097152 * Math.floor((total * 0.08) / 2097152);
  const fields: [string, SampleValue][] = [
    ['Active_anon_bytes', activeAnon],
    ['Active_bytes', () => activeAnon() + kib(cached() * 0.45)],
    ['Active_file_bytes', () => kib(cached() * 0.45)],
    ['AnonHugePages_bytes', () => 2097152 * Math.floor((anon() * 0.1) / 2097152)],
    ['AnonPages_bytes', anon],
    ['Balloon_bytes', 0],
    ['Bounce_bytes', 0],
    ['Buffers_bytes', () => kib(f.memAvailable * 0.03)],
    ['Cached_bytes', cached],
    ['CommitLimit_bytes', kib(total / 2 + m.swapTotal)],
    ['Committed_AS_bytes', () => kib(used() * 1.3)],
    ['DirectMap1G_bytes', 1073741824 * Math.floor((total - direct4k - direct2M) / 1073741824)],
    ['DirectMap2M_bytes', direct2M],
    ['DirectMap4k_bytes', direct4k],
    ['Dirty_bytes', () => kib(sum(f.writtenBytes) % 4194304)],
    ['FileHugePages_bytes', 0],
    ['FilePmdMapped_bytes', 0],
    ['HugePages_Free', 0],
    ['HugePages_Rsvd', 0],
    ['HugePages_Surp', 0],
    ['HugePages_Total', 0],
    ['Hugepagesize_bytes', 2097152],
    ['Hugetlb_bytes', 0],
    ['Inactive_anon_bytes', () => anon() - activeAnon()],
    ['Inactive_bytes', () => anon() - activeAnon() + kib(cached() * 0.5)],
    ['Inactive_file_bytes', () => kib(cached() * 0.5)],
    ['KReclaimable_bytes', kib(total * 0.012)],
    ['KernelStack_bytes', kib(m.cores * 180224)],
    ['Mapped_bytes', () => kib(cached() * 0.08)],
    ['MemAvailable_bytes', () => f.memAvailable],
    ['MemFree_bytes', () => kib(f.memAvailable * 0.5 - total * 0.006)],
    ['MemTotal_bytes', total],
    ['Mlocked_bytes', 11182080],
    ['NFS_Unstable_bytes', 0],
    ['PageTables_bytes', () => kib(used() * 0.008)],
    ['Percpu_bytes', m.cores * 352256],
    ['SReclaimable_bytes', kib(total * 0.012)],
    ['SUnreclaim_bytes', kib(total * 0.004)],
    ['SecPageTables_bytes', 0],
    ['ShmemHugePages_bytes', 0],
    ['ShmemPmdMapped_bytes', 0],
    ['Shmem_bytes', kib(total * 0.003)],
    ['Slab_bytes', kib(total * 0.012) + kib(total * 0.004)],
    ['SwapCached_bytes', () => kib(swapUsed() * 0.05)],
    ['SwapFree_bytes', () => f.swapFree],
    ['SwapTotal_bytes', m.swapTotal],
    ['Unevictable_bytes', 12234752],
    ['VmallocChunk_bytes', 0],
    ['VmallocTotal_bytes', '3.5184372087808e+13'],
    ['VmallocUsed_bytes', kib(m.cores * 2.5e6)],
    ['WritebackTmp_bytes', 0],
    ['Writeback_bytes', 0],
    ['Zswap_bytes', 0],
    ['Zswapped_bytes', 0],
  ];
  for (const [field, value] of fields) {
    b.family(`node_memory_${field}`, 'gauge', `Memory information field ${field}.`).add(value);
  }
}

export function addSystemFamilies(b: PayloadBuilder, m: NodeModel, hostname: string): void {
  const f = m.frame;
  const gauge = (name: string, help: string, value: SampleValue, labels?: Record<string, string>) =>
    b.family(name, 'gauge', help).add(value, labels);
  gauge('node_boot_time_seconds', 'Node boot time, in unixtime.', Math.floor(m.bootTimeMs / 1000));
  gauge('node_time_seconds', 'System time in seconds since epoch (1970).', () => f.nowMs / 1000);
  gauge('node_time_zone_offset_seconds', 'System time zone offset in seconds.', 0, { time_zone: 'UTC' });
  b.family('node_time_clocksource_available_info', 'gauge', "Available clocksources read from '/sys/devices/system/clocksource'.")
    .add(1, { clocksource: 'hpet', device: '0' })
    .add(1, { clocksource: 'tsc', device: '0' });
  gauge('node_time_clocksource_current_info', "Current clocksource read from '/sys/devices/system/clocksource'.", 1, { clocksource: 'tsc', device: '0' });
  gauge('node_uname_info', 'Labeled system information as provided by the uname system call.', 1, {
    domainname: '(none)',
    machine: 'x86_64',
    nodename: hostname,
    release: '6.1.0-27-amd64',
    sysname: 'Linux',
    version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)',
  });
  gauge(
    'node_os_info',
    "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
    1,
    { build_id: '', id: 'debian', id_like: '', image_id: '', image_version: '', name: 'Debian GNU/Linux', pretty_name: 'Debian GNU/Linux 12 (bookworm)', variant: '', variant_id: '', version: '12 (bookworm)', version_codename: 'bookworm', version_id: '12' },
  );
  gauge('node_os_version', 'Metric containing the major.minor part of the OS version.', 12, { id: 'debian', id_like: '', name: 'Debian GNU/Linux' });
  gauge('node_entropy_available_bits', 'Bits of available entropy.', 256);
  gauge('node_entropy_pool_size_bits', 'Bits of entropy pool.', 256);
  gauge('node_filefd_allocated', 'File descriptor statistics: allocated.', () => 1200 + Math.round(f.load1 * 40));
  gauge('node_filefd_maximum', 'File descriptor statistics: maximum.', '9.223372036854776e+18');
  const timex: [string, string, SampleValue][] = [
    ['estimated_error_seconds', 'Estimated error in seconds.', 0.000342],
    ['frequency_adjustment_ratio', 'Local clock frequency adjustment.', 1.0000135498046876],
    ['loop_time_constant', 'Phase-locked loop time constant.', 7],
    ['maxerror_seconds', 'Maximum error in seconds.', 0.012],
    ['offset_seconds', 'Time offset in between local system and reference clock.', () => ((f.nowMs % 997) - 498) * 1e-7],
    ['pps_frequency_hertz', 'Pulse per second frequency.', 0],
    ['pps_jitter_seconds', 'Pulse per second jitter.', 0],
    ['pps_shift_seconds', 'Pulse per second interval duration.', 0],
    ['pps_stability_hertz', 'Pulse per second stability, average of recent frequency changes.', 0],
    ['status', 'Value of the status array bits.', 8193],
    ['sync_status', 'Is clock synchronized to a reliable server (1 = yes, 0 = no).', 1],
    ['tai_offset_seconds', 'International Atomic Time (TAI) offset.', 0],
    ['tick_seconds', 'Seconds between clock ticks.', 0.01],
  ];
  for (const [name, help, value] of timex) gauge(`node_timex_${name}`, help, value);
  const ppsCounters: [string, string][] = [
    ['calibration_total', 'Pulse per second count of calibration intervals.'],
    ['error_total', 'Pulse per second count of calibration errors.'],
    ['jitter_total', 'Pulse per second count of jitter limit exceeded events.'],
    ['stability_exceeded_total', 'Pulse per second count of stability limit exceeded events.'],
  ];
  for (const [name, help] of ppsCounters) b.family(`node_timex_pps_${name}`, 'counter', help).add(0);
}

function sum(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
