import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/exposition/types.js';
import { NodeExporterDeriver, VIRTUAL_INTERFACE } from '../../src/metrics/node-exporter.js';

function s(name: string, value: number, labels: Record<string, string> = {}, timestampMs?: number): Sample {
  return { name, labels, value, timestampMs };
}

/** A node_exporter-like payload for two cores; counters scaled by `k` so each step advances them. */
function payload(opts: { idle: [number, number]; user: [number, number]; rx?: number; tx?: number; ts?: number }): Sample[] {
  const ts = opts.ts;
  const out: Sample[] = [];
  for (const core of [0, 1]) {
    out.push(s('node_cpu_seconds_total', opts.idle[core]!, { cpu: String(core), mode: 'idle' }, ts));
    out.push(s('node_cpu_seconds_total', opts.user[core]!, { cpu: String(core), mode: 'user' }, ts));
    out.push(s('node_cpu_seconds_total', 1, { cpu: String(core), mode: 'iowait' }, ts));
  }
  out.push(s('node_load1', 0.5), s('node_load5', 0.4), s('node_load15', 0.3));
  out.push(s('node_memory_MemTotal_bytes', 8000), s('node_memory_MemAvailable_bytes', 6000));
  out.push(s('node_memory_SwapTotal_bytes', 1000), s('node_memory_SwapFree_bytes', 900));
  out.push(s('node_network_receive_bytes_total', opts.rx ?? 0, { device: 'eth0' }, ts));
  out.push(s('node_network_transmit_bytes_total', opts.tx ?? 0, { device: 'eth0' }, ts));
  out.push(s('node_network_receive_bytes_total', 1e9, { device: 'lo' }, ts));
  out.push(s('node_filesystem_size_bytes', 100, { mountpoint: '/', fstype: 'ext4' }));
  out.push(s('node_filesystem_avail_bytes', 30, { mountpoint: '/', fstype: 'ext4' }));
  out.push(s('node_filesystem_size_bytes', 999, { mountpoint: '/boot', fstype: 'ext4' }));
  out.push(s('node_boot_time_seconds', 1000));
  out.push(s('node_uname_info', 1, { nodename: 'web-1', machine: 'x86_64' }));
  return out;
}

describe('NodeExporterDeriver', () => {
  it('derives gauges on the first scrape and rates only from the second', () => {
    const d = new NodeExporterDeriver('10.0.0.1');
    const first = d.update(payload({ idle: [100, 100], user: [10, 10], rx: 1000, tx: 0 }), 2_000_000);
    expect(first.name).toBe('web-1');
    expect(first.source).toBe('node_exporter');
    expect(first.figures.cpu).toEqual({ cores: 2, usagePercent: null, perCoreUsagePercent: [null, null] });
    expect(first.figures.network).toBeNull();
    expect(first.figures.load).toEqual({ load1: 0.5, load5: 0.4, load15: 0.3 });
    expect(first.figures.memory).toEqual({ totalBytes: 8000, usedBytes: 2000, availableBytes: 6000, usedPercent: 25 });
    expect(first.figures.swap).toEqual({ totalBytes: 1000, usedBytes: 100 });
    expect(first.figures.filesystem).toEqual({ sizeBytes: 100, usedBytes: 70 });
    expect(first.figures.uptimeSeconds).toBe(1000);

    // core 0: +1s idle, +1s user -> 50 %; core 1: +1.5s idle, +0.5s user -> 25 %; all: 1 - 2.5/4 = 37.5 %
    const second = d.update(payload({ idle: [101, 101.5], user: [11, 10.5], rx: 3000, tx: 500 }), 2_002_000);
    expect(second.figures.cpu).toEqual({ cores: 2, usagePercent: 37.5, perCoreUsagePercent: [50, 25] });
    // 2000 bytes over 2 s; lo is left out
    expect(second.figures.network).toEqual({ receiveBytesPerSecond: 1000, transmitBytesPerSecond: 250 });
  });

  it('follows cores that come and go (hotplug) and a node renamed, in core-number order', () => {
    const d = new NodeExporterDeriver('10.0.0.1');
    const cpu = (cores: number[], idle: number, name: string): Sample[] => [
      ...cores.flatMap((c) => [
        s('node_cpu_seconds_total', idle, { cpu: String(c), mode: 'idle' }),
        s('node_cpu_seconds_total', 10, { cpu: String(c), mode: 'user' }),
      ]),
      s('node_uname_info', 1, { nodename: name }),
    ];
    d.update(cpu([10, 2, 1], 100, 'a'), 1_000);
    const same = d.update(cpu([2, 1, 10], 101, 'a'), 2_000);
    expect(same.figures.cpu?.perCoreUsagePercent).toEqual([0, 0, 0]);
    const fewer = d.update(cpu([1, 10], 102, 'b'), 3_000);
    expect(fewer.name).toBe('b');
    expect(fewer.figures.cpu).toEqual({ cores: 2, usagePercent: 0, perCoreUsagePercent: [0, 0] });
    const swapped = d.update(cpu([1, 3], 103, 'a'), 4_000);
    expect(swapped.name).toBe('a');
    // Core 3 is new: no interval yet.
    expect(swapped.figures.cpu).toEqual({ cores: 2, usagePercent: 0, perCoreUsagePercent: [0, null] });
  });

  it('never gives a negative rate when a counter resets', () => {
    const d = new NodeExporterDeriver('h');
    d.update(payload({ idle: [100, 100], user: [10, 10], rx: 50_000 }), 1_000);
    const after = d.update(payload({ idle: [1, 1], user: [1, 1], rx: 400 }), 3_000);
    // Reset: the new value is the increase, as Prometheus assumes.
    expect(after.figures.network?.receiveBytesPerSecond).toBe(200);
    for (const p of after.figures.cpu?.perCoreUsagePercent ?? []) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(100);
    }
    // Each core restarted at idle 1, user 1, iowait 1: busy = 1 - (idle + iowait) / all = 1/3.
    expect(after.figures.cpu?.usagePercent).toBe(33.333);
  });

  it('uses the samples\' own timestamps and keeps the last rate while they do not change', () => {
    const d = new NodeExporterDeriver('h');
    d.update(payload({ idle: [0, 0], user: [0, 0], rx: 0, ts: 10_000 }), 50_000);
    // Scraped 1 s later but the samples say 4 s passed: the rate uses 4 s.
    const r1 = d.update(payload({ idle: [2, 2], user: [2, 2], rx: 4000, ts: 14_000 }), 51_000);
    expect(r1.figures.network?.receiveBytesPerSecond).toBe(1000);
    // Same timestamp again (the endpoint has not collected anew): the rate stays, not 0, not Infinity.
    const r2 = d.update(payload({ idle: [2, 2], user: [2, 2], rx: 4000, ts: 14_000 }), 52_000);
    expect(r2.figures.network?.receiveBytesPerSecond).toBe(1000);
    expect(r2.figures.cpu?.usagePercent).toBe(r1.figures.cpu?.usagePercent);
  });

  it('gives null groups for missing families and the fallback name without node_uname_info', () => {
    const d = new NodeExporterDeriver('10.1.2.3');
    const r = d.update([s('node_load1', 1), s('node_load5', 2), s('node_load15', 3)], 1000);
    expect(r.name).toBe('10.1.2.3');
    expect(r.figures.cpu).toBeNull();
    expect(r.figures.memory).toBeNull();
    expect(r.figures.network).toBeNull();
    expect(r.figures.filesystem).toBeNull();
    expect(r.figures.uptimeSeconds).toBeNull();
    expect(r.figures.load).toEqual({ load1: 1, load5: 2, load15: 3 });
  });

  it('calls a target without node_ families an app', () => {
    const d = new NodeExporterDeriver('api.local');
    const r = d.update([s('http_requests_total', 5, { code: '200' })], 1000);
    expect(r.source).toBe('app');
    expect(r.figures.cpu).toBeNull();
  });

  it('prefers the node\'s own clock for uptime', () => {
    const d = new NodeExporterDeriver('h');
    const r = d.update([s('node_boot_time_seconds', 1000), s('node_time_seconds', 4600.5)], 9_999_999_000);
    expect(r.figures.uptimeSeconds).toBe(3600.5);
  });

  it('drops interfaces and devices that disappear, and sums disks', () => {
    const d = new NodeExporterDeriver('h');
    const disk = (a: number, b: number) => [
      s('node_disk_read_bytes_total', a, { device: 'sda' }),
      s('node_disk_read_bytes_total', b, { device: 'nvme0n1' }),
      s('node_disk_written_bytes_total', a, { device: 'sda' }),
    ];
    d.update(disk(0, 0), 0);
    expect(d.update(disk(1000, 3000), 1000).figures.disk).toEqual({ readBytesPerSecond: 4000, writtenBytesPerSecond: 1000 });
    const gone = d.update([s('node_disk_read_bytes_total', 2000, { device: 'sda' })], 2000).figures.disk;
    expect(gone).toEqual({ readBytesPerSecond: 1000, writtenBytesPerSecond: 0 });
    // nvme0n1 and sda's written bytes come back: their old readings were dropped, so no rate yet.
    expect(d.update(disk(3000, 900_000), 3000).figures.disk).toEqual({ readBytesPerSecond: 1000, writtenBytesPerSecond: 0 });
  });

  it('keeps each family\'s counters apart when devices share a name', () => {
    const d = new NodeExporterDeriver('h');
    const readings = (k: number) => [
      s('node_network_receive_bytes_total', 100 * k, { device: 'x0' }),
      s('node_network_transmit_bytes_total', 200 * k, { device: 'x0' }),
      s('node_disk_read_bytes_total', 300 * k, { device: 'x0' }),
      s('node_disk_written_bytes_total', 400 * k, { device: 'x0' }),
    ];
    d.update(readings(1), 0);
    const { network, disk } = d.update(readings(2), 1000).figures;
    expect(network).toEqual({ receiveBytesPerSecond: 100, transmitBytesPerSecond: 200 });
    expect(disk).toEqual({ readBytesPerSecond: 300, writtenBytesPerSecond: 400 });
  });

  it('classifies virtual interfaces', () => {
    for (const name of ['lo', 'veth12ab', 'docker0', 'br-3f2a', 'cni0', 'flannel.1', 'cali123', 'virbr0', 'vxlan.calico', 'tunl0', 'kube-ipvs0'])
      expect(VIRTUAL_INTERFACE.test(name), name).toBe(true);
    for (const name of ['eth0', 'ens3', 'enp0s31f6', 'wlan0', 'eno1', 'bond0']) expect(VIRTUAL_INTERFACE.test(name), name).toBe(false);
  });
});
