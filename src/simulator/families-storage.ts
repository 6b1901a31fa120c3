import type { Disk, NodeModel } from './node-model.js';
import type { PayloadBuilder, SampleValue } from './payload-template.js';

/** Typical request sizes, turning byte counters into operation counters. */
const READ_REQUEST_BYTES = 65536;
const WRITE_REQUEST_BYTES = 24576;

export function addDiskFamilies(b: PayloadBuilder, m: NodeModel): void {
  const f = m.frame;
  const each = (field: string, help: string, value: (d: Disk, i: number) => SampleValue) => {
    const type = field.endsWith('_total') ? 'counter' : 'gauge';
    const family = b.family(`node_disk_${field}`, type, help);
    m.disks.forEach((d, i) => family.add(value(d, i), { device: d.name }));
  };
  const reads = (i: number) => Math.floor(f.readBytes[i]! / READ_REQUEST_BYTES);
  const writes = (i: number) => Math.floor(f.writtenBytes[i]! / WRITE_REQUEST_BYTES);
  const ms = (x: number) => Math.floor(x) / 1000;
  const discards = () => Math.floor(f.up / 600);

  each('discard_time_seconds_total', 'This is the total number of seconds spent by all discards.', () => () => ms(discards() * 3));
  each('discarded_sectors_total', 'The total number of sectors discarded successfully.', () => () => discards() * 4096);
  each('discards_completed_total', 'The total number of discards completed successfully.', () => discards);
  each('discards_merged_total', 'The total number of discards merged.', () => () => Math.floor(discards() / 20));
  each('flush_requests_time_seconds_total', 'This is the total number of seconds spent by all flush requests.', (_, i) => () => ms(writes(i) * 0.02));
  each('flush_requests_total', 'The total number of flush requests completed successfully', (_, i) => () => Math.floor(writes(i) / 8));
  const info = b.family('node_disk_info', 'gauge', 'Info of /sys/block/<block_device>.');
  for (const d of m.disks) {
    info.add(1, { device: d.name, major: '259', minor: String(d.minor), model: 'SAMSUNG MZQL2960HCJR-00A07', path: `pci-0000:0${d.minor + 1}:00.0-nvme-1`, revision: 'GDC5602Q', serial: `S64FNE0R${d.minor}0${m.spec.seed & 0xffff}`, wwn: '' });
  }
  each('io_now', 'The number of I/Os currently in progress.', (_, i) => () => f.ioNow[i]!);
  each('io_time_seconds_total', 'Total seconds spent doing I/Os.', (_, i) => () => f.ioSeconds[i]!);
  each('io_time_weighted_seconds_total', 'The weighted # of seconds spent doing I/Os.', (_, i) => () => ms(f.ioSeconds[i]! * 1700));
  each('read_bytes_total', 'The total number of bytes read successfully.', (_, i) => () => f.readBytes[i]!);
  each('read_time_seconds_total', 'The total number of seconds spent by all reads.', (_, i) => () => ms(reads(i) * 0.12));
  each('reads_completed_total', 'The total number of reads completed successfully.', (_, i) => () => reads(i));
  each('reads_merged_total', 'The total number of reads merged.', (_, i) => () => Math.floor(reads(i) / 6));
  each('write_time_seconds_total', 'This is the total number of seconds spent by all writes.', (_, i) => () => ms(writes(i) * 0.05));
  each('writes_completed_total', 'The total number of writes completed successfully.', (_, i) => () => writes(i));
  each('writes_merged_total', 'The number of writes merged.', (_, i) => () => Math.floor(writes(i) / 3));
  each('written_bytes_total', 'The total number of bytes written successfully.', (_, i) => () => f.writtenBytes[i]!);
}

export function addFilesystemFamilies(b: PayloadBuilder, m: NodeModel): void {
  const f = m.frame;
  // Samples print in label order; the device label comes first.
  const order = m.filesystems.map((fs, i) => ({ fs, i })).sort((x, y) => (x.fs.device < y.fs.device ? -1 : 1));
  const each = (field: string, help: string, value: (i: number) => SampleValue) => {
    const family = b.family(`node_filesystem_${field}`, 'gauge', help);
    for (const { fs, i } of order) family.add(value(i), { device: fs.device, fstype: fs.fstype, mountpoint: fs.mountpoint });
  };
  const size = (i: number) => m.filesystems[i]!.sizeBytes;
  // ext4 keeps 5 % of blocks for root: free space counts them, available space does not.
  const reserved = (i: number) => (m.filesystems[i]!.fstype === 'ext4' ? 4096 * Math.floor((size(i) * 0.05) / 4096) : 0);
  const inodes = (i: number) => Math.floor(size(i) / 16384);

  each('avail_bytes', 'Filesystem space available to non-root users in bytes.', (i) => () => f.fsAvail[i]!);
  each('device_error', 'Whether an error occurred while getting statistics for the given device.', () => 0);
  each('files', 'Filesystem total file nodes.', inodes);
  each('files_free', 'Filesystem total free file nodes.', (i) => () => Math.floor(inodes(i) * (1 - (0.6 * (size(i) - f.fsAvail[i]!)) / size(i))));
  each('free_bytes', 'Filesystem free space in bytes.', (i) => () => Math.min(size(i), f.fsAvail[i]! + reserved(i)));
  each('readonly', 'Filesystem read-only status.', () => 0);
  each('size_bytes', 'Filesystem size in bytes.', size);
}
