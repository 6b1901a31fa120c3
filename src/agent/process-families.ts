/**
 * The agent's process families: its machine's top processes by CPU and by memory, one series
 * each, and every command name's totals, under names of its own (documented in docs/reference.md)
 * so that Prometheus can keep them beside node_exporter's. Bounded: 2 × top processes and
 * MAX_GROUPS groups whatever the host runs.
 */
import { AGENT_PROCESS_FAMILIES as F } from '../metrics/process-figures.js';
import type { Family } from '../sources/local/node-families.js';
import { commandGroups, topProcesses, type ProcessReading, type ProcessTable } from '../sources/local/process-table.js';
import { ticksToSeconds } from '../sources/local/process-reader.js';

export interface ProcessServing {
  readonly table: ProcessTable;
  /** Processes served by CPU and, again, by memory (a process in both is served once). */
  readonly top: number;
  /** Serve command lines (secret-looking values masked) in cluster_top_process_info's `args`. */
  readonly args: boolean;
}

export function processFamilies(serving: ProcessServing, reading: ProcessReading): Family[] {
  const { table } = serving;
  const top = topProcesses(reading, serving.top);
  const cpu: Family['samples'][number][] = [];
  const memory: Family['samples'][number][] = [];
  const threads: Family['samples'][number][] = [];
  const start: Family['samples'][number][] = [];
  const info: Family['samples'][number][] = [];
  for (const p of top) {
    const labels = { pid: String(p.pid), comm: p.comm, user: table.reader.userOf(p.pid) ?? '' };
    cpu.push({ labels, value: ticksToSeconds(p.ticks) });
    memory.push({ labels, value: p.rssBytes });
    threads.push({ labels, value: p.threads });
    start.push({ labels, value: table.startTimeSeconds(reading, p) });
    const args = serving.args ? table.reader.readArgs(p.pid) : null;
    info.push({ labels: { ...labels, ppid: String(p.ppid), state: p.state, ...(args !== null ? { args } : {}) }, value: 1 });
  }
  const groups = commandGroups(reading);
  return [
    { name: F.cpu, help: 'CPU time (user and system) the process used, in seconds; the top processes by CPU and by memory.', type: 'counter', samples: cpu },
    { name: F.memory, help: 'Resident memory of the process, in bytes.', type: 'gauge', samples: memory },
    { name: F.threads, help: 'Threads of the process.', type: 'gauge', samples: threads },
    { name: F.start, help: 'When the process started, in unixtime.', type: 'gauge', samples: start },
    { name: F.info, help: 'The process: parent pid, state, and (with --process-args) its command line, secrets masked.', type: 'gauge', samples: info },
    {
      name: F.groupCpu,
      help: 'CPU time of the live processes with this command name, in seconds; falls when one ends.',
      type: 'counter',
      samples: groups.map((g) => ({ labels: { comm: g.comm }, value: g.cpuSeconds })),
    },
    {
      name: F.groupMemory,
      help: 'Resident memory of the processes with this command name, in bytes.',
      type: 'gauge',
      samples: groups.map((g) => ({ labels: { comm: g.comm }, value: g.rssBytes })),
    },
    { name: F.groupThreads, help: 'Threads of the processes with this command name.', type: 'gauge', samples: groups.map((g) => ({ labels: { comm: g.comm }, value: g.threads })) },
    { name: F.groupCount, help: 'Processes with this command name.', type: 'gauge', samples: groups.map((g) => ({ labels: { comm: g.comm }, value: g.count })) },
    { name: F.total, help: 'Processes on the machine.', type: 'gauge', samples: [{ labels: {}, value: reading.total }] },
  ];
}
