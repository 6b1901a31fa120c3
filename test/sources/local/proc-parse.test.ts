import { describe, expect, it } from 'vitest';
import { parseDiskstats, parseLoadavg, parseMeminfo, parseNetDev, parseProcStat, rootMount } from '../../../src/sources/local/proc-parse.js';

describe('/proc parsers', () => {
  it('reads per-core CPU ticks as seconds at 100 Hz, leaving out the total line, and btime', () => {
    const stat = [
      'cpu  300 10 60 900 4 0 2 1 0 0',
      'cpu0 100 10 20 400 2 0 1 1 0 0',
      'cpu1 200 0 40 500 2 0 1 0 7 0',
      'intr 12345 0 0',
      'btime 1795241682',
    ].join('\n');
    const { cpus, bootTimeSeconds } = parseProcStat(stat);
    expect(bootTimeSeconds).toBe(1795241682);
    expect(cpus).toEqual([
      { cpu: '0', seconds: { user: 1, nice: 0.1, system: 0.2, idle: 4, iowait: 0.02, irq: 0, softirq: 0.01, steal: 0.01 } },
      { cpu: '1', seconds: { user: 2, nice: 0, system: 0.4, idle: 5, iowait: 0.02, irq: 0, softirq: 0.01, steal: 0 } },
    ]);
  });

  it('reads meminfo in bytes and load averages', () => {
    const meminfo = 'MemTotal:       24684096 kB\nMemAvailable:   1000 kB\nHugePages_Total:       0\nSwapTotal: 0 kB\n';
    expect(parseMeminfo(meminfo)).toEqual({ MemTotal: 24684096 * 1024, MemAvailable: 1024000, HugePages_Total: 0, SwapTotal: 0 });
    expect(parseLoadavg('0.52 0.58 0.59 1/234 5678\n')).toEqual([0.52, 0.58, 0.59]);
    expect(parseLoadavg('garbage')).toBeUndefined();
  });

  it('reads every interface of /proc/net/dev, virtual ones too (the derivation leaves those out)', () => {
    const netDev = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo: 2828492507  680465    0    0    0     0          0         0 2828492507  680465    0    0    0     0       0          0',
      '  eth0: 272148133    7992    0    0    0     0          0         0   607108    5013    0    0    0     0       0          0',
    ].join('\n');
    expect(parseNetDev(netDev)).toEqual([
      { device: 'lo', in: 2828492507, out: 2828492507 },
      { device: 'eth0', in: 272148133, out: 607108 },
    ]);
  });

  it('reads whole disks in bytes (sectors of 512) and leaves out what node_exporter leaves out', () => {
    const line = (name: string, read: number, written: number) => `   8       0 ${name} 10 0 ${read} 5 20 0 ${written} 7 0 9 12 0 0 0 0`;
    const names = ['sda', 'sda1', 'vda', 'vda2', 'xvdb', 'xvdb1', 'nvme0n1', 'nvme0n1p1', 'loop0', 'ram0', 'zram0', 'fd0', 'dm-0', 'md127', 'mmcblk0'];
    const disks = parseDiskstats(names.map((n) => line(n, 2, 4)).join('\n'));
    expect(disks.map((d) => d.device)).toEqual(['sda', 'vda', 'xvdb', 'nvme0n1', 'dm-0', 'md127', 'mmcblk0']);
    expect(disks[0]).toEqual({ device: 'sda', in: 1024, out: 2048 });
  });

  it('finds the device and type of the last mount on /, unescaping octal escapes', () => {
    const mounts = ['rootfs / rootfs rw 0 0', '/dev/vda / ext4 rw,relatime 0 0', '/dev/my\\040disk /mnt\\040x xfs rw 0 0', 'proc /proc proc rw 0 0'].join('\n');
    expect(rootMount(mounts)).toEqual({ device: '/dev/vda', fstype: 'ext4' });
    expect(rootMount('/dev/my\\040disk / xfs rw 0 0')).toEqual({ device: '/dev/my disk', fstype: 'xfs' });
    expect(rootMount('proc /proc proc rw 0 0')).toBeUndefined();
  });
});
