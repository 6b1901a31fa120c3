import { COLLECTORS } from './collectors.js';
import type { NodeModel } from './node-model.js';
import type { PayloadBuilder, SampleValue } from './payload-template.js';
import { hashUnit } from './random.js';

/** node_exporter itself starts this long after boot. */
const START_DELAY_S = 25;
const GC_EVERY_S = 40;
/** Allocations not yet freed, so frees trail mallocs by about this many. */
const LIVE_OBJECTS = 30_000;

/** `wants(collector)`: whether node_scrape_collector_* carries that collector's samples. */
export function addExporterFamilies(b: PayloadBuilder, m: NodeModel, wants: (collector: string) => boolean = () => true): void {
  const f = m.frame;
  const seed = m.spec.seed;
  // Per-render noise: the same moment always gives the same value.
  const jitter = (k: number) => hashUnit(seed + k, f.nowMs);
  const up = () => Math.max(0, f.up - START_DELAY_S);
  const gcs = () => Math.floor(up() / GC_EVERY_S);
  const startS = Math.floor(m.bootTimeMs / 1000) + START_DELAY_S;

  const duration = b.family('node_scrape_collector_duration_seconds', 'gauge', 'node_exporter: Duration of a collector scrape.');
  const success = b.family('node_scrape_collector_success', 'gauge', 'node_exporter: Whether a collector succeeded.');
  // k counts over all collectors, so a narrowed payload jitters each one as the full payload does.
  COLLECTORS.forEach((c, k) => {
    if (!wants(c.name)) return;
    const base = c.name === 'cpu' ? (c.seconds * m.cores) / 2 : c.seconds;
    duration.add(() => Math.round(base * (0.7 + 0.6 * jitter(k)) * 1e9) / 1e9, { collector: c.name });
    success.add(c.success, { collector: c.name });
  });

  const gc = b.family('go_gc_duration_seconds', 'summary', 'A summary of the pause duration of garbage collection cycles.');
  for (const [q, base] of [['0', 2.1e-5], ['0.25', 3.4e-5], ['0.5', 4.2e-5], ['0.75', 6.1e-5], ['1', 1.9e-4]] as const) {
    gc.add(() => Math.round(base * (0.9 + 0.2 * jitter(100)) * 1e9) / 1e9, { quantile: q });
  }
  gc.addSuffixed('_sum', () => Math.floor(gcs() * 52_000) / 1e9).addSuffixed('_count', gcs);

  const heap = () => 2_400_000 + Math.floor(1_600_000 * jitter(101));
  const mallocs = () => Math.floor(up() * 2_300);
  const gauge = (name: string, help: string, value: SampleValue, labels?: Record<string, string>) =>
    b.family(name, 'gauge', help).add(value, labels);
  const counter = (name: string, help: string, value: SampleValue) => b.family(name, 'counter', help).add(value);
  gauge('go_goroutines', 'Number of goroutines that currently exist.', () => 8 + Math.floor(3 * jitter(102)));
  gauge('go_info', 'Information about the Go environment.', 1, { version: 'go1.19.8' });
  gauge('go_threads', 'Number of OS threads created.', Math.min(m.cores, 16) + 5);
  const memstats: [string, string, SampleValue][] = [
    ['alloc_bytes', 'Number of bytes allocated and still in use.', heap],
    ['buck_hash_sys_bytes', 'Number of bytes used by the profiling bucket hash table.', 1_458_465],
    ['gc_sys_bytes', 'Number of bytes used for garbage collection system metadata.', 8_611_960],
    ['heap_alloc_bytes', 'Number of heap bytes allocated and still in use.', heap],
    ['heap_idle_bytes', 'Number of heap bytes waiting to be used.', () => 11_796_480 - heap()],
    ['heap_inuse_bytes', 'Number of heap bytes that are in use.', () => 8192 * Math.ceil(heap() / 8192) + 540_672],
    ['heap_objects', 'Number of allocated objects.', () => Math.floor(heap() / 110)],
    ['heap_released_bytes', 'Number of heap bytes released to OS.', 4_636_672],
    ['heap_sys_bytes', 'Number of heap bytes obtained from system.', 11_796_480],
    ['last_gc_time_seconds', 'Number of seconds since 1970 of last garbage collection.', () => (gcs() > 0 ? startS + gcs() * GC_EVERY_S : 0)],
    ['mcache_inuse_bytes', 'Number of bytes in use by mcache structures.', 4800],
    ['mcache_sys_bytes', 'Number of bytes used for mcache structures obtained from system.', 15_600],
    ['mspan_inuse_bytes', 'Number of bytes in use by mspan structures.', 141_440],
    ['mspan_sys_bytes', 'Number of bytes used for mspan structures obtained from system.', 163_200],
    ['next_gc_bytes', 'Number of heap bytes when next garbage collection will take place.', 5_062_680],
    ['other_sys_bytes', 'Number of bytes used for other system allocations.', 1_029_399],
    ['stack_inuse_bytes', 'Number of bytes in use by the stack allocator.', 786_432],
    ['stack_sys_bytes', 'Number of bytes obtained from system for stack allocator.', 786_432],
    ['sys_bytes', 'Number of bytes obtained from system.', 23_861_536],
  ];
  for (const [name, help, value] of memstats) gauge(`go_memstats_${name}`, help, value);
  counter('go_memstats_alloc_bytes_total', 'Total number of bytes allocated, even if freed.', () => Math.floor(up() * 240_000));
  counter('go_memstats_frees_total', 'Total number of frees.', () => Math.max(0, mallocs() - LIVE_OBJECTS));
  counter('go_memstats_lookups_total', 'Total number of pointer lookups.', 0);
  counter('go_memstats_mallocs_total', 'Total number of mallocs.', mallocs);

  counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', () => Math.floor(up() * (0.2 + m.cores / 40)) / 100);
  gauge('process_max_fds', 'Maximum number of open file descriptors.', 1_048_576);
  gauge('process_open_fds', 'Number of open file descriptors.', () => 9 + Math.floor(3 * jitter(103)));
  gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => 4096 * Math.floor((19_000_000 + heap()) / 4096));
  gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', startS + 0.37);
  gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', 1_275_592_704);
  gauge('process_virtual_memory_max_bytes', 'Maximum amount of virtual memory available in bytes.', '1.8446744073709552e+19');

  b.family('promhttp_metric_handler_errors_total', 'counter', 'Total number of internal errors encountered by the promhttp metric handler.')
    .add(0, { cause: 'encoding' })
    .add(0, { cause: 'gathering' });
  gauge('promhttp_metric_handler_requests_in_flight', 'Current number of scrapes being served.', 1);
  b.family('promhttp_metric_handler_requests_total', 'counter', 'Total number of scrapes by HTTP status code.')
    .add(() => Math.floor(up() / 15), { code: '200' })
    .add(0, { code: '500' })
    .add(0, { code: '503' });
  gauge(
    'node_exporter_build_info',
    "A metric with a constant '1' value labeled by version, revision, branch, goversion from which node_exporter was built, and the goos and goarch for the build.",
    1,
    { branch: 'debian/sid', goarch: 'amd64', goos: 'linux', goversion: 'go1.19.8', revision: '1.5.0-1+b6', version: '1.5.0' },
  );
  gauge('node_textfile_scrape_error', '1 if there was an error opening or reading a file, 0 otherwise', 0);
  gauge('node_selinux_enabled', 'SELinux is enabled, 1 is true, 0 is false', 0);
}
