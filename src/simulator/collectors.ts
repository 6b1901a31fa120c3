/**
 * node_exporter 1.5's collectors and which of them produces each family, so the simulator can answer
 * `collect[]=NAME` as the real exporter does.
 */

export interface CollectorInfo {
  readonly name: string;
  /** Typical scrape duration. */
  readonly seconds: number;
  /** node_scrape_collector_success: 1, or 0 for a collector that finds nothing to read here. */
  readonly success: number;
}

/** The default collectors: name, typical duration in µs, success (1/0). */
export const COLLECTORS: readonly CollectorInfo[] = (
  'arp:36:1 bcache:14:1 bonding:34:0 btrfs:146:1 conntrack:8890:1 cpu:362:1 cpufreq:38:1 diskstats:308:1 dmi:41:1 ' +
  'edac:10:1 entropy:96:1 fibrechannel:10:0 filefd:53:1 filesystem:115:1 hwmon:210:1 infiniband:63:0 ipvs:10:0 ' +
  'loadavg:29:1 mdadm:12:0 meminfo:190:1 netclass:2543:1 netdev:355:1 netstat:1098:1 nfs:18:0 nfsd:11:0 nvme:120:1 ' +
  'os:7239:1 powersupplyclass:37:1 pressure:125:1 rapl:30:0 schedstat:10:0 selinux:80:1 sockstat:82:1 softnet:91:1 ' +
  'stat:72:1 systemd:75:0 tapestats:8:0 textfile:317:1 thermal_zone:37:1 time:194:1 timex:34:1 udp_queues:1631:1 ' +
  'uname:6:1 vmstat:162:1 xfs:55:1 zfs:29:0'
)
  .split(' ')
  .map((entry) => {
    const [name = '', micros = '0', success = '0'] = entry.split(':');
    return { name, seconds: Number(micros) / 1e6, success: Number(success) };
  });

const NAMES = new Set(COLLECTORS.map((c) => c.name));

/**
 * Owner of families served whatever collect[] asks: the exporter's own registry (go_, process_,
 * promhttp_), its build info, and node_scrape_collector_*, whose samples are per collector.
 */
export const ALWAYS = '*';

/** First match wins: netdev's `_total` statistics come before netclass's other node_network_*. */
const RULES: readonly (readonly [RegExp, string])[] = [
  [/^(go|process|promhttp)_/, ALWAYS],
  [/^node_exporter_build_info$/, ALWAYS],
  [/^node_scrape_collector_(duration_seconds|success)$/, ALWAYS],
  // A GPU node's dcgm-exporter families, served beside the node's as the agent serves them: no collector's.
  [/^DCGM_FI_/, ALWAYS],
  // `cluster-top agent`'s processes and containers (cAdvisor's names), served whatever collect[] asks, as the agent does.
  [/^cluster_top_process/, ALWAYS],
  [/^container_/, ALWAYS],
  [/^node_cpu_(guest_)?seconds_total$/, 'cpu'],
  [/^node_load(1|5|15)$/, 'loadavg'],
  [/^node_memory_/, 'meminfo'],
  [/^node_network_(receive|transmit)_[A-Za-z]+_total$/, 'netdev'],
  [/^node_network_/, 'netclass'],
  [/^node_disk_/, 'diskstats'],
  [/^node_filesystem_/, 'filesystem'],
  [/^node_(boot_time_seconds|context_switches_total|forks_total|intr_total|procs_running|procs_blocked)$/, 'stat'],
  [/^node_time_/, 'time'],
  [/^node_timex_/, 'timex'],
  [/^node_uname_info$/, 'uname'],
  [/^node_os_/, 'os'],
  [/^node_entropy_/, 'entropy'],
  [/^node_filefd_/, 'filefd'],
  [/^node_arp_/, 'arp'],
  [/^node_netstat_/, 'netstat'],
  [/^node_sockstat_/, 'sockstat'],
  [/^node_softnet_/, 'softnet'],
  [/^node_udp_queues$/, 'udp_queues'],
  [/^node_nf_conntrack_/, 'conntrack'],
  [/^node_vmstat_/, 'vmstat'],
  [/^node_pressure_/, 'pressure'],
  [/^node_textfile_/, 'textfile'],
  [/^node_selinux_/, 'selinux'],
];

for (const [, owner] of RULES) {
  if (owner !== ALWAYS && !NAMES.has(owner)) throw new Error(`attribution rule names ${owner}, which is no collector`);
}

/**
 * Every node asks about the same few hundred names, and 2,000 nodes times ~330 families times the
 * rules is noticeable at start-up; bounded like the template's shared text.
 */
const owners = new Map<string, string>();
const OWNERS_MAX = 10_000;

/** The collector producing a family, or ALWAYS; throws for a family no rule attributes. */
export function collectorOf(family: string): string {
  const known = owners.get(family);
  if (known !== undefined) return known;
  const rule = RULES.find(([pattern]) => pattern.test(family));
  if (!rule) throw new Error(`family ${family} belongs to no node_exporter collector`);
  if (owners.size >= OWNERS_MAX) owners.clear();
  owners.set(family, rule[1]);
  return rule[1];
}

/** The first name (in request order) that node_exporter would reject, as it reports it. */
export function missingCollector(names: readonly string[]): string | undefined {
  return names.find((n) => !NAMES.has(n));
}

/** The error text node_exporter 1.5 answers with status 400. */
export function missingCollectorMessage(name: string): string {
  return `Couldn't create filtered metrics handler: couldn't create collector: missing collector: ${name}`;
}

/** One key per distinct set of collectors: sorted, de-duplicated, comma-joined; throws for a missing one. */
export function collectorSetKey(names: readonly string[]): string {
  const missing = missingCollector(names);
  if (missing !== undefined) throw new RangeError(`missing collector: ${missing}`);
  return [...new Set(names)].sort().join(',');
}
