/**
 * A node's process table as it enters the store: every text in it (command names and lines,
 * users: anything a process or an exporter says) made visible, and bounded in length, since a
 * command line is as long as its author likes.
 */
import type { NodeProcesses, ProcessRow } from '../metrics/process-figures.js';
import { hasUnsafe, visible } from '../util/visible-text.js';

/** Characters of a command line kept: more than any screen shows, little per row. */
export const MAX_ARGS_CHARS = 1024;
/** Characters of a command name or user kept. */
export const MAX_NAME_CHARS = 128;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function rowUnsafe(r: ProcessRow): boolean {
  return (
    hasUnsafe(r.command) ||
    r.command.length > MAX_NAME_CHARS ||
    (r.user !== null && (hasUnsafe(r.user) || r.user.length > MAX_NAME_CHARS)) ||
    (r.args !== null && (hasUnsafe(r.args) || r.args.length > MAX_ARGS_CHARS)) ||
    (r.state !== null && (hasUnsafe(r.state) || r.state.length > 8))
  );
}

function visibleRow(r: ProcessRow): ProcessRow {
  if (!rowUnsafe(r)) return r;
  return {
    ...r,
    command: clip(visible(r.command), MAX_NAME_CHARS),
    user: r.user === null ? null : clip(visible(r.user), MAX_NAME_CHARS),
    args: r.args === null ? null : clip(visible(r.args), MAX_ARGS_CHARS),
    state: r.state === null ? null : clip(visible(r.state), 8),
  };
}

function visibleRows(rows: readonly ProcessRow[]): readonly ProcessRow[] {
  return rows.some(rowUnsafe) ? rows.map(visibleRow) : rows;
}

export function visibleProcesses(p: NodeProcesses | null): NodeProcesses | null {
  if (!p) return p;
  const processes = visibleRows(p.processes);
  const groups = visibleRows(p.groups);
  return processes === p.processes && groups === p.groups ? p : { ...p, processes, groups };
}
