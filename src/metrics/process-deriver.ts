/**
 * A target's process families turned into its node's process table: the agent's
 * (cluster_top_process_*) or prometheus-process-exporter's (namedprocess_namegroup_*). CPU % is
 * the rate of each process's or group's CPU seconds between two scrapes. Stateful, one per target.
 */
import type { Sample } from '../exposition/types.js';
import { maskSecretCommandLine } from '../util/secret-args.js';
import { detach, detachOrNull } from '../util/detach.js';
import { CounterRates } from './counter-rates.js';
import { AGENT_PROCESS_FAMILIES as A, NAMEDPROCESS_FAMILIES as N, type NodeProcesses, type ProcessRow, type ProcessSourceKind } from './process-figures.js';

/** Rows kept at most of each kind: an endpoint sending more is cut to its heaviest. */
export const MAX_PROCESS_ROWS = 2000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Row = Mutable<ProcessRow>;

/** Rows are held in the store until the next scrape: their texts are copied off the payload (see detach). */
function emptyRow(command: string, pid: number | null): Row {
  return { pid, ppid: null, user: null, command: detach(command), args: null, state: null, cpuPercent: null, memoryBytes: null, threads: null, startTimeSeconds: null, count: null };
}

function numberOrNull(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  return Number(text);
}

export class ProcessDeriver {
  private readonly rates = new CounterRates();

  /** The node's processes from this payload, or null when it has no process families. */
  update(samples: readonly Sample[], scrapeTimeMs: number): NodeProcesses | null {
    const processes = new Map<string, Row>();
    const groups = new Map<string, Row>();
    const groupCpu = new Map<string, { seconds: number; timeMs: number }>();
    let total: number | null = null;
    let kind: ProcessSourceKind | null = null;
    this.rates.begin();
    const proc = (s: Sample): Row => {
      const key = `${s.labels.pid ?? ''}\u0000${s.labels.comm ?? ''}`;
      let row = processes.get(key);
      if (!row) processes.set(key, (row = emptyRow(s.labels.comm ?? '', numberOrNull(s.labels.pid))));
      row.user ??= detachOrNull(s.labels.user ?? null);
      return row;
    };
    const group = (name: string): Row => {
      let row = groups.get(name);
      if (!row) groups.set(name, (row = emptyRow(name, null)));
      return row;
    };
    for (const s of samples) {
      const t = s.timestampMs ?? scrapeTimeMs;
      switch (s.name) {
        case A.cpu: {
          kind = 'agent';
          const rate = this.rates.update(`p\u0000${s.labels.pid ?? ''}\u0000${s.labels.comm ?? ''}`, s.value, t);
          proc(s).cpuPercent = rate === null ? null : 100 * rate;
          break;
        }
        case A.memory:
          proc(s).memoryBytes = s.value;
          break;
        case A.threads:
          proc(s).threads = s.value;
          break;
        case A.start:
          proc(s).startTimeSeconds = s.value;
          break;
        case A.info: {
          const row = proc(s);
          row.ppid = numberOrNull(s.labels.ppid);
          row.state = detachOrNull(s.labels.state ?? null);
          // Masked again: an agent of another version, or something posing as one, may not have.
          row.args = s.labels.args === undefined ? null : detach(maskSecretCommandLine(s.labels.args));
          break;
        }
        case A.groupCpu:
          kind = 'agent';
          addCpu(groupCpu, s.labels.comm ?? '', s.value, t);
          break;
        case A.groupMemory:
          group(s.labels.comm ?? '').memoryBytes = s.value;
          break;
        case A.groupThreads:
          group(s.labels.comm ?? '').threads = s.value;
          break;
        case A.groupCount:
          group(s.labels.comm ?? '').count = s.value;
          break;
        case A.total:
          total = s.value;
          break;
        case N.cpu:
          kind ??= 'process-exporter';
          addCpu(groupCpu, s.labels.groupname ?? '', s.value, t);
          break;
        case N.memory:
          if (s.labels.memtype === 'resident') group(s.labels.groupname ?? '').memoryBytes = s.value;
          break;
        case N.threads:
          group(s.labels.groupname ?? '').threads = s.value;
          break;
        case N.count:
          kind ??= 'process-exporter';
          group(s.labels.groupname ?? '').count = s.value;
          break;
        case N.start:
          // 0 for a group with no process now
          if (s.value > 0) group(s.labels.groupname ?? '').startTimeSeconds = s.value;
          break;
      }
    }
    for (const [name, cpu] of groupCpu) {
      const rate = this.rates.update(`g\u0000${name}`, cpu.seconds, cpu.timeMs);
      group(name).cpuPercent = rate === null ? null : 100 * rate;
    }
    this.rates.sweep();
    if (kind === null) return null;
    // The process exporter keeps a group whose processes all ended, with zeros: not a row.
    const groupRows = [...groups.values()].filter((g) => g.count !== 0);
    if (kind === 'process-exporter' && total === null) total = groupRows.reduce((sum, g) => sum + (g.count ?? 0), 0);
    return { source: kind, processes: heaviest([...processes.values()]), groups: heaviest(groupRows), total };
  }
}

function addCpu(into: Map<string, { seconds: number; timeMs: number }>, name: string, seconds: number, timeMs: number): void {
  const had = into.get(name);
  if (had) had.seconds += seconds;
  else into.set(name, { seconds, timeMs });
}

function heaviest(rows: ProcessRow[]): ProcessRow[] {
  if (rows.length <= MAX_PROCESS_ROWS) return rows;
  return rows.sort((a, b) => (b.cpuPercent ?? 0) - (a.cpuPercent ?? 0) || (b.memoryBytes ?? 0) - (a.memoryBytes ?? 0)).slice(0, MAX_PROCESS_ROWS);
}
