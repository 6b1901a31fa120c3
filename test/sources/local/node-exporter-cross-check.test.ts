import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../../../src/exposition/parser.js';
import type { Sample } from '../../../src/exposition/types.js';
import { LinuxReader } from '../../../src/sources/local/linux-reader.js';
import { LocalSource } from '../../../src/sources/local/local-source.js';
import { familySamples, nodeFamilies } from '../../../src/sources/local/node-families.js';
import { NodeExporterDeriver, NODE_EXPORTER_FAMILIES } from '../../../src/metrics/node-exporter.js';
import { buildSnapshot } from '../../../src/cli/snapshot.js';
import { NODE_EXPORTER, startNodeExporter, type RunningExporter } from '../../helpers/node-exporter.js';
import { requireBinary } from '../../helpers/real-binary.js';

async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(url);
  return parseExposition(await res.text(), { families: NODE_EXPORTER_FAMILIES }).samples;
}

const key = (s: Sample) => `${s.name}${JSON.stringify(s.labels)}`;
const byKey = (samples: readonly Sample[]) => new Map(samples.map((s) => [key(s), s.value]));

describe.runIf(requireBinary(NODE_EXPORTER))('local collector against the real node_exporter on this machine', () => {
  let exporter: RunningExporter;
  beforeAll(async () => {
    exporter = await startNodeExporter();
  });
  afterAll(async () => {
    await exporter?.stop();
  });

  it('reads the same counters: node_exporter\'s lie between two local reads taken around its scrape', async () => {
    const reader = new LinuxReader();
    const before = byKey(familySamples(nodeFamilies(await reader.read())));
    const theirs = await scrape(exporter.url);
    const after = byKey(familySamples(nodeFamilies(await reader.read())));

    const counters = theirs.filter((s) => /^node_(cpu_seconds|network_(receive|transmit)_bytes|disk_(read|written)_bytes)_total$/.test(s.name));
    // Debian 12's node_exporter 1.5 predates the zram exclusion of node_exporter's later default.
    const compared = counters.filter((s) => !(s.name.startsWith('node_disk_') && /^zram\d+$/.test(s.labels.device ?? '')));
    expect(compared.filter((s) => s.name === 'node_cpu_seconds_total').length).toBeGreaterThanOrEqual(8);
    for (const s of compared) {
      const lo = before.get(key(s));
      const hi = after.get(key(s));
      expect(lo, key(s)).toBeDefined();
      expect(s.value, key(s)).toBeGreaterThanOrEqual(lo! - 1e-9);
      expect(s.value, key(s)).toBeLessThanOrEqual(hi! + 1e-9);
    }
    // Debian builds node_exporter with --collector.netdev.device-exclude=^lo$; upstream, like the agent, keeps lo.
    const ours = [...after.keys()].filter(
      (k) => /^node_(cpu_seconds|network_(receive|transmit)_bytes|disk_(read|written)_bytes)_total\{/.test(k) && !k.endsWith('{"device":"lo"}'),
    );
    expect(new Set(ours)).toEqual(new Set(compared.map(key)));
  });

  it('derives the same figures: memory, cores, filesystem, boot time, uptime', async () => {
    const local = new LocalSource({ intervalMs: 500, historyPoints: 10 });
    const deriver = new NodeExporterDeriver('fallback');
    const [theirs] = await Promise.all([
      (async () => {
        const first = await scrape(exporter.url);
        deriver.update(first, Date.now());
        await new Promise((r) => setTimeout(r, 500));
        const second = await scrape(exporter.url);
        return { samples: second, derived: deriver.update(second, Date.now()) };
      })(),
      local.collectOnce(),
    ]);
    await local.stop();
    const [ours] = buildSnapshot(local.store, Date.now()).nodes;
    const ne = theirs.derived.figures;

    expect(ours!.name).toBe(theirs.derived.name);
    expect(ours!.memory!.totalBytes).toBe(ne.memory!.totalBytes);
    expect(ours!.swap!.totalBytes).toBe(ne.swap!.totalBytes);
    expect(ours!.cpu!.cores).toBe(ne.cpu!.cores);
    expect(ours!.filesystem!.sizeBytes).toBe(ne.filesystem!.sizeBytes);
    expect(Math.abs(ours!.uptimeSeconds! - ne.uptimeSeconds!)).toBeLessThan(5);

    const boot = (await new LinuxReader().read()).bootTimeSeconds;
    const theirBoot = theirs.samples.find((s) => s.name === 'node_boot_time_seconds')!.value;
    expect(Math.abs(boot - theirBoot)).toBeLessThanOrEqual(1);
    const root = (samples: readonly Sample[]) => samples.find((s) => s.name === 'node_filesystem_size_bytes' && s.labels.mountpoint === '/')!.labels;
    expect(root(familySamples(nodeFamilies(await new LinuxReader().read())))).toEqual(root(theirs.samples));
  });
});
