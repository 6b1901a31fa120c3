import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALWAYS, COLLECTORS, collectorOf } from '../../src/simulator/collectors.js';
import { startSimCluster, type SimCluster } from '../../src/simulator/sim-cluster.js';
import { NODE_EXPORTER, startNodeExporter, type RunningExporter } from '../helpers/node-exporter.js';
import { requireBinary } from '../helpers/real-binary.js';
import { familyNames } from './sim-fixtures.js';

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

async function get(url: string): Promise<Answer> {
  const res = await fetch(url);
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
}

function scrapedCollectors(text: string): string[] {
  return [...text.matchAll(/^node_scrape_collector_success\{collector="([^"]+)"\}/gm)].map((m) => m[1]!);
}

describe.runIf(requireBinary(NODE_EXPORTER))('collect[] against the real node_exporter', () => {
  let exporter: RunningExporter;
  let sim: SimCluster;
  /**
   * Families both this host's exporter and the simulator show: the others depend on the hardware
   * (throttle counters, link speed of virtual NICs, clocksources) and cannot be compared here.
   */
  let comparable: Set<string>;

  beforeAll(async () => {
    exporter = await startNodeExporter();
    sim = await startSimCluster({ n: 1, seed: 4 });
    const real = new Set(familyNames((await get(exporter.url)).body));
    comparable = new Set(familyNames((await get(sim.urls[0]!)).body).filter((f) => real.has(f)));
  });
  afterAll(async () => {
    await sim?.close();
    await exporter?.stop();
  });

  const mustHave: Record<string, string[]> = {
    netdev: ['node_network_receive_bytes_total', 'node_network_transmit_packets_total'],
    netclass: ['node_network_up', 'node_network_info', 'node_network_mtu_bytes', 'node_network_transmit_queue_length'],
    stat: ['node_boot_time_seconds', 'node_context_switches_total', 'node_procs_running'],
    time: ['node_time_seconds', 'node_time_zone_offset_seconds'],
    cpu: ['node_cpu_seconds_total'],
  };

  it.each(Object.keys(mustHave))('shows the families the real exporter shows for collect[]=%s', async (collector) => {
    const query = `?collect[]=${collector}`;
    const [real, ours] = await Promise.all([get(exporter.url + query), get(sim.urls[0]! + query)]);
    expect([real.status, ours.status]).toEqual([200, 200]);
    expect(ours.contentType).toBe(real.contentType);
    const realFamilies = familyNames(real.body).filter((f) => comparable.has(f));
    for (const f of mustHave[collector]!) expect(realFamilies, f).toContain(f);
    expect(familyNames(ours.body).filter((f) => comparable.has(f))).toEqual(realFamilies);
    expect(scrapedCollectors(real.body)).toEqual([collector]);
    expect(scrapedCollectors(ours.body)).toEqual([collector]);
  });

  it('attributes every comparable family to the collector the real exporter serves it under', async () => {
    const under = new Map<string, string[]>();
    for (const { name } of COLLECTORS) {
      const { status, body } = await get(`${exporter.url}?collect[]=${name}`);
      expect(status, name).toBe(200);
      for (const f of familyNames(body)) under.set(f, [...(under.get(f) ?? []), name]);
    }
    expect(comparable.size).toBeGreaterThan(200);
    for (const f of comparable) {
      const owners = under.get(f) ?? [];
      expect(collectorOf(f), f).toBe(owners.length === COLLECTORS.length ? ALWAYS : owners.join(','));
    }
  });

  it.each(['collect[]=bogus', 'collect%5B%5D=cpu&collect%5B%5D=bogus&collect[]=worse'])('answers %s with the real 400', async (query) => {
    const [real, ours] = await Promise.all([get(`${exporter.url}?${query}`), get(`${sim.urls[0]!}?${query}`)]);
    expect(real.status).toBe(400);
    expect(ours).toEqual(real);
  });
});
