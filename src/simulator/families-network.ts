import { coreIds } from './families-host.js';
import type { NetInterface, NodeModel } from './node-model.js';
import type { PayloadBuilder, SampleValue } from './payload-template.js';

type PerInterface = (n: NetInterface, i: number) => SampleValue;

export function addNetworkFamilies(b: PayloadBuilder, m: NodeModel): void {
  const f = m.frame;
  const each = (name: string, type: 'counter' | 'gauge', help: string, value: PerInterface, only?: (n: NetInterface) => boolean) => {
    const family = b.family(name, type, help);
    m.interfaces.forEach((n, i) => {
      if (!only || only(n)) family.add(value(n, i), { device: n.name });
    });
  };
  const rxPackets = (n: NetInterface, i: number) => () => Math.floor(f.rxBytes[i]! / n.rxPacketBytes);
  const txPackets = (n: NetInterface, i: number) => () => Math.floor(f.txBytes[i]! / n.txPacketBytes);
  const physical = (n: NetInterface) => !n.virtual;
  const stat = (direction: string, field: string, value: PerInterface) =>
    each(`node_network_${direction}_${field}_total`, 'counter', `Network device statistic ${direction}_${field}.`, value);

  stat('receive', 'bytes', (_, i) => () => f.rxBytes[i]!);
  stat('receive', 'compressed', () => 0);
  stat('receive', 'drop', (n, i) => (n.virtual ? 0 : () => Math.floor(rxPackets(n, i)() * 2e-7)));
  stat('receive', 'errs', () => 0);
  stat('receive', 'fifo', () => 0);
  stat('receive', 'frame', () => 0);
  stat('receive', 'multicast', (n) => (n.virtual ? 0 : () => Math.floor(f.up * 0.05)));
  stat('receive', 'nohandler', () => 0);
  stat('receive', 'packets', rxPackets);
  stat('transmit', 'bytes', (_, i) => () => f.txBytes[i]!);
  for (const field of ['carrier', 'colls', 'compressed', 'drop', 'errs', 'fifo']) stat('transmit', field, () => 0);
  stat('transmit', 'packets', txPackets);

  const property = (field: string, value: PerInterface, only?: (n: NetInterface) => boolean) =>
    each(`node_network_${field}`, field.endsWith('_total') ? 'counter' : 'gauge', `Network device property: ${field}`, value, only);
  property('address_assign_type', (n) => (n.name.startsWith('veth') ? 3 : 0));
  property('carrier', () => 1);
  property('carrier_changes_total', (n) => (n.virtual ? 2 : 4));
  property('carrier_down_changes_total', (n) => (n.virtual ? 1 : 2));
  property('carrier_up_changes_total', (n) => (n.virtual ? 1 : 2));
  property('device_id', () => 0);
  property('dormant', () => 0);
  property('flags', (n) => (n.name === 'lo' ? 9 : 4099));
  property('iface_id', (n) => n.index);
  property('iface_link', (n) => (n.name.startsWith('veth') ? n.index - 1 : n.index));
  property('iface_link_mode', () => 0);
  const info = b.family('node_network_info', 'gauge', 'Non-numeric data from /sys/class/net/<iface>, value is always 1.');
  for (const n of m.interfaces) {
    const lo = n.name === 'lo';
    info.add(1, {
      address: n.mac,
      broadcast: lo ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff',
      device: n.name,
      duplex: n.virtual ? '' : 'full',
      ifalias: '',
      operstate: lo ? 'unknown' : 'up',
    });
  }
  property('mtu_bytes', (n) => (n.name === 'lo' ? 65536 : 1500));
  property('name_assign_type', (n) => (n.name === 'lo' ? 2 : n.virtual ? 3 : 4));
  property('net_dev_group', () => 0);
  property('protocol_type', (n) => (n.name === 'lo' ? 772 : 1));
  property('speed_bytes', (n) => n.speedBytes, physical);
  property('transmit_queue_length', (n) => (n.name === 'docker0' ? 0 : 1000));
  each('node_network_up', 'gauge', "Value is 1 if operstate is 'up', 0 otherwise.", (n) => (n.name === 'lo' ? 0 : 1));

  const eth = m.interfaces.findIndex(physical);
  const ethIf = m.interfaces[eth]!;
  const arp = b.family('node_arp_entries', 'gauge', 'ARP entries by device');
  arp.add(2, { device: 'docker0' }).add(3, { device: ethIf.name });
  // Receive-side scaling spreads packets over cores unevenly; here core k gets a share growing with k.
  const softnet = (field: string, help: string, value: (share: number) => SampleValue) => {
    const family = b.family(`node_softnet_${field}_total`, 'counter', help);
    for (const id of coreIds(m.cores)) family.add(value((Number(id) + 1) / ((m.cores * (m.cores + 1)) / 2)), { cpu: id });
  };
  softnet('dropped', 'Number of dropped packets', () => 0);
  softnet('processed', 'Number of processed packets', (share) => () => Math.floor(rxPackets(ethIf, eth)() * share));
  softnet('times_squeezed', 'Number of times processing packets ran out of quota', (share) => () => Math.floor(rxPackets(ethIf, eth)() * share * 1e-5));
  addProtocolFamilies(b, m, rxPackets(ethIf, eth), txPackets(ethIf, eth), () => f.rxBytes[eth]!, () => f.txBytes[eth]!);
}

function addProtocolFamilies(
  b: PayloadBuilder,
  m: NodeModel,
  rxPackets: () => number,
  txPackets: () => number,
  rxBytes: () => number,
  txBytes: () => number,
): void {
  const f = m.frame;
  const per = (rate: number) => () => Math.floor(f.up * rate);
  const netstat: [string, SampleValue][] = [
    ['Icmp6_InErrors', 0],
    ['Icmp6_InMsgs', per(0.002)],
    ['Icmp6_OutMsgs', per(0.003)],
    ['Icmp_InErrors', 0],
    ['Icmp_InMsgs', per(0.01)],
    ['Icmp_OutMsgs', per(0.01)],
    ['Ip6_InOctets', per(3)],
    ['Ip6_OutOctets', per(4)],
    ['IpExt_InOctets', () => rxBytes() + Math.floor(f.up * 900)],
    ['IpExt_OutOctets', () => txBytes() + Math.floor(f.up * 900)],
    ['Ip_Forwarding', 1],
    ['TcpExt_ListenDrops', 0],
    ['TcpExt_ListenOverflows', 0],
    ['TcpExt_SyncookiesFailed', 0],
    ['TcpExt_SyncookiesRecv', 0],
    ['TcpExt_SyncookiesSent', 0],
    ['TcpExt_TCPSynRetrans', per(0.004)],
    ['TcpExt_TCPTimeouts', per(0.01)],
    ['Tcp_ActiveOpens', per(0.6)],
    ['Tcp_CurrEstab', () => 12 + Math.round(f.load1 * 6)],
    ['Tcp_InErrs', 0],
    ['Tcp_InSegs', () => Math.floor(rxPackets() * 0.97)],
    ['Tcp_OutRsts', per(0.08)],
    ['Tcp_OutSegs', () => Math.floor(txPackets() * 0.97)],
    ['Tcp_PassiveOpens', per(0.3)],
    ['Tcp_RetransSegs', () => Math.floor(txPackets() * 4e-4)],
    ['Udp6_InDatagrams', 0],
    ['Udp6_InErrors', 0],
    ['Udp6_NoPorts', 0],
    ['Udp6_OutDatagrams', 0],
    ['Udp6_RcvbufErrors', 0],
    ['Udp6_SndbufErrors', 0],
    ['UdpLite6_InErrors', 0],
    ['UdpLite_InErrors', 0],
    ['Udp_InDatagrams', per(1.5)],
    ['Udp_InErrors', 0],
    ['Udp_NoPorts', per(0.01)],
    ['Udp_OutDatagrams', per(1.6)],
    ['Udp_RcvbufErrors', 0],
    ['Udp_SndbufErrors', 0],
  ];
  for (const [field, value] of netstat) {
    b.family(`node_netstat_${field}`, 'untyped', `Statistic ${field.replace('_', '')}.`).add(value);
  }
  const tcp = () => 12 + Math.round(f.load1 * 6);
  const sockstat: [string, SampleValue][] = [
    ['FRAG6_inuse', 0],
    ['FRAG6_memory', 0],
    ['FRAG_inuse', 0],
    ['FRAG_memory', 0],
    ['RAW6_inuse', 1],
    ['RAW_inuse', 0],
    ['TCP6_inuse', 6],
    ['TCP_alloc', () => tcp() + 4],
    ['TCP_inuse', tcp],
    ['TCP_mem', () => tcp() * 3],
    ['TCP_mem_bytes', () => tcp() * 3 * 4096],
    ['TCP_orphan', 0],
    ['TCP_tw', () => Math.round(f.load1 * 3)],
    ['UDP6_inuse', 2],
    ['UDPLITE6_inuse', 0],
    ['UDPLITE_inuse', 0],
    ['UDP_inuse', 4],
    ['UDP_mem', 3],
    ['UDP_mem_bytes', 12288],
  ];
  for (const [field, value] of sockstat) {
    const cut = field.indexOf('_');
    b.family(`node_sockstat_${field}`, 'gauge', `Number of ${field.slice(0, cut)} sockets in state ${field.slice(cut + 1)}.`).add(value);
  }
  b.family('node_sockstat_sockets_used', 'gauge', 'Number of IPv4 sockets in use.').add(() => tcp() * 2 + 60);
  const conntrack: [string, string, SampleValue][] = [
    ['entries', 'Number of currently allocated flow entries for connection tracking.', () => tcp() * 8],
    ['entries_limit', 'Maximum size of connection tracking table.', 262144],
    ['stat_drop', 'Number of packets dropped due to conntrack failure.', 0],
    ['stat_early_drop', 'Number of dropped conntrack entries to make room for new ones, if maximum table size was reached.', 0],
    ['stat_found', 'Number of searched entries which were successful.', per(0.02)],
    ['stat_ignore', 'Number of packets seen which are already connected to a conntrack entry.', per(12)],
    ['stat_insert', 'Number of entries inserted into the list.', 0],
    ['stat_insert_failed', 'Number of entries for which list insertion was attempted but failed.', 0],
    ['stat_invalid', 'Number of packets seen which can not be tracked.', per(0.05)],
    ['stat_search_restart', 'Number of conntrack table lookups which had to be restarted due to hashtable resizes.', per(0.001)],
  ];
  for (const [field, help, value] of conntrack) b.family(`node_nf_conntrack_${field}`, 'gauge', help).add(value);
  const udp = b.family('node_udp_queues', 'gauge', 'Number of allocated memory in the kernel for UDP datagrams in bytes.');
  for (const ip of ['v4', 'v6']) udp.add(0, { ip, queue: 'rx' }).add(0, { ip, queue: 'tx' });
}
