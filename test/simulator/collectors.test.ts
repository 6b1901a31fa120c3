import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { ALWAYS, COLLECTORS, collectorOf, collectorSetKey, missingCollector } from '../../src/simulator/collectors.js';
import { PayloadBuilder } from '../../src/simulator/payload-template.js';
import { SimNode } from '../../src/simulator/sim-node.js';
import { BOOT, GIB, familyNames, seriesKey, spec } from './sim-fixtures.js';

const NOW = BOOT + 86_400_000 + 1234;
const SET = ['cpu', 'loadavg', 'meminfo', 'netdev', 'diskstats', 'filesystem', 'stat', 'time', 'uname'];


/** What collect[] should leave of a full payload: whole families, and the scrape samples of `keep`. */
function narrowByHand(full: string, keep: ReadonlySet<string>): string {
  return full
    .split(/(?=^# HELP )/m)
    .filter((block) => {
      const owner = collectorOf(block.split(' ', 3)[2]!);
      return owner === ALWAYS || keep.has(owner);
    })
    .map((block) =>
      block
        .split('\n')
        .filter((line) => !/^node_scrape_collector_/.test(line) || keep.has(/collector="([^"]+)"/.exec(line)![1]!))
        .join('\n'),
    )
    .join('');
}

describe('collector attribution', () => {
  it.each([
    ['node_cpu_seconds_total', 'cpu'],
    ['node_cpu_guest_seconds_total', 'cpu'],
    ['node_load15', 'loadavg'],
    ['node_memory_MemAvailable_bytes', 'meminfo'],
    ['node_network_receive_bytes_total', 'netdev'],
    ['node_network_transmit_colls_total', 'netdev'],
    ['node_network_transmit_queue_length', 'netclass'],
    ['node_network_carrier_changes_total', 'netclass'],
    ['node_network_up', 'netclass'],
    ['node_network_info', 'netclass'],
    ['node_disk_io_now', 'diskstats'],
    ['node_filesystem_avail_bytes', 'filesystem'],
    ['node_boot_time_seconds', 'stat'],
    ['node_procs_blocked', 'stat'],
    ['node_time_seconds', 'time'],
    ['node_timex_offset_seconds', 'timex'],
    ['node_uname_info', 'uname'],
    ['node_udp_queues', 'udp_queues'],
    ['node_nf_conntrack_entries', 'conntrack'],
    ['node_textfile_scrape_error', 'textfile'],
    ['node_selinux_enabled', 'selinux'],
    ['go_goroutines', ALWAYS],
    ['process_open_fds', ALWAYS],
    ['promhttp_metric_handler_requests_total', ALWAYS],
    ['node_exporter_build_info', ALWAYS],
    ['node_scrape_collector_success', ALWAYS],
  ])('%s -> %s', (family, owner) => {
    expect(collectorOf(family)).toBe(owner);
  });

  it('throws for a family no rule attributes, also while a template is built', () => {
    expect(() => collectorOf('node_hwmon_temp_celsius')).toThrow(/node_hwmon_temp_celsius belongs to no/);
    expect(() => collectorOf('node_load2')).toThrow();
    const b = new PayloadBuilder((family) => collectorOf(family) !== ALWAYS);
    expect(() => b.family('node_made_up_total', 'counter', 'x')).toThrow(/belongs to no/);
  });

  it.each([1, 2, 3, 8, 17, 64, 128])('attributes every family of a %i-core node to one collector or the exporter', (cores) => {
    const node = new SimNode(spec({ cores, memoryBytes: cores * 4 * GIB }));
    const families = familyNames(node.render(NOW));
    expect(families.length).toBeGreaterThan(250);
    const names = new Set(COLLECTORS.map((c) => c.name));
    for (const family of families) {
      const owner = collectorOf(family);
      expect(owner === ALWAYS || names.has(owner), family).toBe(true);
    }
    // Asked one collector at a time, the node shows each family under exactly one (the exporter's own under all).
    const seen = new Map<string, number>();
    for (const c of COLLECTORS) for (const f of familyNames(node.render(NOW, [c.name]))) seen.set(f, (seen.get(f) ?? 0) + 1);
    expect([...seen.keys()].sort()).toEqual([...families].sort());
    for (const f of families) expect(seen.get(f), f).toBe(collectorOf(f) === ALWAYS ? COLLECTORS.length : 1);
  });

  it('keys a set sorted and de-duplicated, and names the first missing collector', () => {
    expect(collectorSetKey(['time', 'cpu', 'time'])).toBe('cpu,time');
    expect(() => collectorSetKey(['cpu', 'ntp'])).toThrow(RangeError);
    expect(missingCollector(['cpu', 'bogus', 'worse'])).toBe('bogus');
    expect(missingCollector(['cpu', ''])).toBe('');
    expect(missingCollector([])).toBeUndefined();
  });
});

describe('SimNode narrowed to collectors', () => {
  it.each([2, 64])('keeps exactly the attributed families and scrape samples at %i cores', (cores) => {
    const node = new SimNode(spec({ cores, memoryBytes: cores * 4 * GIB }));
    const full = node.render(NOW);
    const narrow = node.render(NOW, SET);
    const keep = new Set(SET);
    expect(familyNames(narrow)).toEqual(familyNames(full).filter((f) => collectorOf(f) === ALWAYS || keep.has(collectorOf(f))));
    const families = familyNames(narrow);
    for (const prefix of ['go_', 'process_', 'promhttp_']) expect(families.some((f) => f.startsWith(prefix)), prefix).toBe(true);
    expect(families).toContain('node_exporter_build_info');
    expect(families).not.toContain('node_netstat_Tcp_InSegs');
    expect(families).not.toContain('node_network_up');
    const { samples } = parseExposition(narrow);
    for (const name of ['node_scrape_collector_duration_seconds', 'node_scrape_collector_success']) {
      expect(samples.filter((s) => s.name === name).map((s) => s.labels.collector)).toEqual([...SET].sort());
    }
    // Byte for byte the full payload, less what collect[] leaves out.
    expect(narrow).toBe(narrowByHand(full, keep));
    expect(narrow.length).toBeLessThan(full.length * 0.7);
  });

  it('has the same value as the full payload for every series both carry', () => {
    const node = new SimNode(spec({ cores: 12 }));
    for (const t of [NOW, NOW + 15_000, NOW + 3_600_000]) {
      const narrow = parseExposition(node.render(t, SET)).samples;
      const full = new Map(parseExposition(node.render(t)).samples.map((s) => [seriesKey(s), s.value]));
      expect(narrow.length).toBeGreaterThan(200);
      for (const s of narrow) expect(full.get(seriesKey(s)), seriesKey(s)).toBe(s.value);
    }
  });

  it('answers any order and repetition of names alike, empty like none, and stays a pure function of the moment', () => {
    const node = new SimNode(spec());
    const fresh = new SimNode(spec());
    expect(node.render(NOW, ['time', 'cpu', 'cpu'])).toBe(fresh.render(NOW, ['cpu', 'time']));
    expect(node.render(NOW, [])).toBe(fresh.render(NOW));
    const a = node.render(NOW + 1000, ['netdev']);
    node.render(NOW + 90_000);
    node.render(NOW + 5, ['cpu']);
    expect(node.render(NOW + 1000, ['netdev'])).toBe(a);
    expect(() => node.render(NOW, ['cpu', 'ntp'])).toThrow(/missing collector: ntp/);
    expect(() => node.renderBuffer(NOW, ['bogus'])).toThrow(RangeError);
  });

  it('keeps a bounded number of narrowed templates, each still right after others pushed it out', () => {
    const node = new SimNode(spec());
    const sets = COLLECTORS.slice(0, 12).map((c) => [c.name, 'uname']);
    const first = sets.map((s) => node.render(NOW, s));
    expect((Reflect.get(node, 'narrowed') as Map<string, unknown>).size).toBeLessThanOrEqual(8);
    sets.forEach((s, i) => expect(node.render(NOW, s)).toBe(first[i]));
    expect((Reflect.get(node, 'narrowed') as Map<string, unknown>).size).toBeLessThanOrEqual(8);
  });

  it('renders a narrowed payload as the same UTF-8 bytes', () => {
    const node = new SimNode(spec({ name: 'nœud-ünïcode-✓' }));
    expect(node.renderBuffer(NOW, ['uname']).equals(Buffer.from(node.render(NOW, ['uname']), 'utf8'))).toBe(true);
    expect(node.renderBuffer(NOW, ['cpu']).equals(Buffer.from(node.render(NOW, ['cpu']), 'latin1'))).toBe(true);
  });
});
