/**
 * What runs on a node: the shape every process source (this machine's /proc, `cluster-top agent`,
 * prometheus-process-exporter) is turned into, and the store keeps per node (latest only).
 */

/** One process, or one group of processes sharing a command name (then pid is null). */
export interface ProcessRow {
  /** null for a group. */
  readonly pid: number | null;
  readonly ppid: number | null;
  readonly user: string | null;
  /** The command name (the kernel's comm, 15 bytes at most) or the group's name. */
  readonly command: string;
  /** The command line with secret-looking values masked; null when not read (opt-in) or a group. */
  readonly args: string | null;
  /** The kernel's one-letter state (R running, S sleeping, D disk wait, Z zombie, ...). */
  readonly state: string | null;
  /** Percent of one core, so a process busy on two cores shows 200; null until two readings. */
  readonly cpuPercent: number | null;
  /** Resident memory (RSS). */
  readonly memoryBytes: number | null;
  readonly threads: number | null;
  /** Unix time the process started (a group: its oldest). */
  readonly startTimeSeconds: number | null;
  /** Processes in a group; null for a process. */
  readonly count: number | null;
}

export type ProcessSourceKind = 'local' | 'agent' | 'process-exporter';

export interface NodeProcesses {
  readonly source: ProcessSourceKind;
  /** Single processes: all of them (local, bounded), or the agent's top N by CPU and by memory. Empty when the source has groups only. */
  readonly processes: readonly ProcessRow[];
  /** Totals by command name (the agent, the process exporter's groups, local). */
  readonly groups: readonly ProcessRow[];
  /** Processes on the node when the source says (may be more than `processes` holds); null otherwise. */
  readonly total: number | null;
}

/** The agent's family names, shared by its writer and the reader. */
export const AGENT_PROCESS_FAMILIES = {
  cpu: 'cluster_top_process_cpu_seconds_total',
  memory: 'cluster_top_process_resident_memory_bytes',
  threads: 'cluster_top_process_threads',
  start: 'cluster_top_process_start_time_seconds',
  info: 'cluster_top_process_info',
  groupCpu: 'cluster_top_process_group_cpu_seconds_total',
  groupMemory: 'cluster_top_process_group_resident_memory_bytes',
  groupThreads: 'cluster_top_process_group_threads',
  groupCount: 'cluster_top_process_group_processes',
  total: 'cluster_top_processes',
} as const;

/** prometheus-process-exporter's families the reader uses. */
export const NAMEDPROCESS_FAMILIES = {
  cpu: 'namedprocess_namegroup_cpu_seconds_total',
  memory: 'namedprocess_namegroup_memory_bytes',
  threads: 'namedprocess_namegroup_num_threads',
  count: 'namedprocess_namegroup_num_procs',
  start: 'namedprocess_namegroup_oldest_start_time_seconds',
} as const;

/** Family names as the parser's filter wants them (counters without `_total`). */
export const PROCESS_FAMILY_FILTER: ReadonlySet<string> = new Set(
  [...Object.values(AGENT_PROCESS_FAMILIES), ...Object.values(NAMEDPROCESS_FAMILIES)].map((n) => n.replace(/_total$/, '')),
);
