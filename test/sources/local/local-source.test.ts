import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { LinuxReader } from '../../../src/sources/local/linux-reader.js';
import { LOCAL_ID, LocalSource } from '../../../src/sources/local/local-source.js';
import { OsReader } from '../../../src/sources/local/os-reader.js';
import { buildSnapshot, type SnapshotNode } from '../../../src/cli/snapshot.js';

/** The jiffies of every CPU, idle ones too, from /proc/stat: they move on as real time passes. */
function cpuJiffies(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1);
  return cpu.reduce((sum, field) => sum + Number(field), 0);
}

function snapshotOf(source: LocalSource): SnapshotNode {
  const [node] = buildSnapshot(source.store, Date.now()).nodes;
  if (!node) throw new Error('no local node');
  return node;
}

describe.runIf(existsSync('/proc/stat'))('local source on Linux: /proc', () => {
  it('gives every group for this machine, matching /proc read here', async () => {
    const source = new LocalSource({ intervalMs: 300, historyPoints: 10 });
    expect(source.notice).toBeUndefined();
    await source.collectOnce();
    await source.stop();
    const node = snapshotOf(source);

    const hostname = readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
    const memTotal = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]) * 1024;
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    expect(node).toMatchObject({ name: hostname, target: 'local', source: 'local', up: true, error: null });
    expect(node.cpu!.cores).toBe(cpus().length);
    expect(node.cpu!.perCoreUsagePercent).toHaveLength(cpus().length);
    for (const p of [node.cpu!.usagePercent, ...node.cpu!.perCoreUsagePercent!]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(100);
    }
    expect(node.memory!.totalBytes).toBe(memTotal);
    expect(node.memory!.usedBytes).toBe(memTotal - node.memory!.availableBytes);
    expect(node.swap).not.toBeNull();
    expect(node.load!.load1).toBeGreaterThanOrEqual(0);
    expect(node.network!.receiveBytesPerSecond).toBeGreaterThanOrEqual(0);
    expect(node.disk!.readBytesPerSecond).toBeGreaterThanOrEqual(0);
    expect(node.filesystem!.sizeBytes).toBeGreaterThan(node.filesystem!.usedBytes);
    // node_time - btime, where btime is whole seconds: within a second of /proc/uptime, plus the read's own time.
    expect(Math.abs(node.uptimeSeconds! - uptime)).toBeLessThan(3);
    expect(node.scrapeDurationSeconds).not.toBeNull();
    expect(source.store.cluster.length).toBe(2);
  });

  it('is down with a one-line reason when /proc cannot be read, and up again once it can', async () => {
    let proc = '/nonexistent-proc';
    const reader = { missing: [] as const, read: () => new LinuxReader(proc).read() };
    const source = new LocalSource({ intervalMs: 100, historyPoints: 10, reader });
    await source.collectOnce();
    const down = snapshotOf(source);
    expect(down).toMatchObject({ up: false, error: 'cannot read /nonexistent-proc/stat: no such file', cpu: null, memory: null });
    expect(source.store.get(LOCAL_ID)!.health.consecutiveFailures).toBe(2);
    proc = '/proc';
    await source.collectOnce();
    expect(snapshotOf(source)).toMatchObject({ up: true, error: null });
    expect(source.store.get(LOCAL_ID)!.health.consecutiveFailures).toBe(0);
  });

  it('keeps reading every interval until stopped, and follows a new interval', async () => {
    // The interval runs on a clock moved by hand; each read of /proc is real, and waited for before the clock moves on.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      // The reads started, counted as they start: one started after stop() shows at once, before it could land.
      let reads = 0;
      const linux = new LinuxReader();
      const reader = { missing: [] as const, read: () => (reads++, linux.read()) };
      const source = new LocalSource({ intervalMs: 100, historyPoints: 50, reader });
      const readings = (): number => source.store.get(LOCAL_ID)!.history.length;
      const READ = { timeout: 5000, interval: 10 };
      // The next read sees /proc's counters moved on (CPU usage is a rate of them), however fast the fake clock goes.
      const tick = async (ms: number): Promise<void> => {
        const mark = cpuJiffies();
        await expect.poll(cpuJiffies, READ).toBeGreaterThan(mark);
        await vi.advanceTimersByTimeAsync(ms);
      };
      source.start();
      await expect.poll(readings, READ).toBe(1);
      for (const n of [2, 3]) {
        await tick(100);
        await expect.poll(readings, READ).toBe(n);
      }
      source.setIntervalMs(150);
      expect(source.interval).toBe(150);
      const before = readings();
      for (const n of [before + 1, before + 2]) {
        await tick(150);
        await expect.poll(readings, READ).toBe(n);
      }
      await source.stop();
      const stopped = readings();
      const readsAtStop = reads;
      expect(stopped).toBeGreaterThanOrEqual(before + 2);
      await vi.advanceTimersByTimeAsync(400);
      expect(reads).toBe(readsAtStop);
      expect(readings()).toBe(stopped);
      expect(snapshotOf(source).cpu!.usagePercent).not.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('local source without /proc: Node\'s os module', () => {
  it('gives CPU, load, memory, filesystem and uptime, and says which groups are missing', async () => {
    const source = new LocalSource({ intervalMs: 300, historyPoints: 10, reader: new OsReader() });
    expect(source.notice).toBe('this machine without /proc: no network, disk, swap figures');
    await source.collectOnce();
    const node = snapshotOf(source);
    expect(node).toMatchObject({ source: 'local', up: true, network: null, disk: null, swap: null });
    expect(node.cpu!.cores).toBe(cpus().length);
    expect(node.cpu!.usagePercent).not.toBeNull();
    expect(node.memory!.totalBytes).toBe(totalmem());
    expect(node.load).not.toBeNull();
    expect(node.filesystem!.sizeBytes).toBeGreaterThan(0);
    expect(node.uptimeSeconds).toBeGreaterThan(0);
  });
});
