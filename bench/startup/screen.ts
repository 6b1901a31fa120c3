/**
 * What the start-up benchmark looks for on a captured screen of the node table: the header line
 * (` NODE▲  STATUS  CPU  CPU HIST  MEM  LOAD  RX/s ...`) tells where each column is, and the lines
 * under it are the rows until the first line that is not one.
 */

export interface ScreenRow {
  readonly name: string;
  readonly status: string;
  /** The CPU column's text (bar and percent), '' when the row has no such cell. */
  readonly cpu: string;
  /** The RX/s column's text, '' when the row has none. */
  readonly rx: string;
}

const ROW = /^[ >](\S+)\s+(up|waiting|DOWN|stale)\b/;

/** The node rows under the table's header, or none when no header is drawn yet. */
export function screenRows(screen: string): ScreenRow[] {
  const lines = screen.split('\n');
  const headerAt = lines.findIndex((line) => /^ NODE\S*\s+STATUS\s/.test(line));
  if (headerAt < 0) return [];
  const header = lines[headerAt]!;
  const cpuStart = columnStart(header, 'CPU');
  const after = (cpuStart ?? 0) + 1;
  const cpuEnd = columnStart(header, 'CPU HIST', after) ?? columnStart(header, 'MEM', after);
  const rxStart = columnStart(header, 'RX/s');
  // Right-aligned: the figure ends where the header ends and starts after the column before it.
  const rxCell = rxStart === undefined ? undefined : [previousColumnEnd(header, rxStart), rxStart + 'RX/s'.length] as const;
  const rows: ScreenRow[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    const m = ROW.exec(line);
    if (!m) break;
    rows.push({
      name: m[1]!,
      status: m[2]!,
      cpu: cpuStart === undefined ? '' : line.slice(cpuStart, cpuEnd).trim(),
      rx: rxCell === undefined ? '' : line.slice(rxCell[0], rxCell[1]).trim(),
    });
  }
  return rows;
}

/** At least one node row is drawn. */
export function hasRows(screen: string): boolean {
  return screenRows(screen).length > 0;
}

/** A row shows a CPU percentage (a rate: it needs two readings). */
export function hasCpuFigure(screen: string): boolean {
  return screenRows(screen).some((row) => /\d%$/.test(row.cpu));
}

/** A row shows a received-bytes rate (a number, not the '-' of no figure yet). */
export function hasNetworkFigure(screen: string): boolean {
  return screenRows(screen).some((row) => /\d/.test(row.rx));
}

/** Where the header's column `name` begins (a whole word, from `from` on), if drawn. */
function columnStart(header: string, name: string, from = 0): number | undefined {
  const re = new RegExp(`(?<=\\s)${name.replace(/[/]/g, '\\/')}(?=\\s|$|[▲▼])`, 'g');
  re.lastIndex = from;
  const m = re.exec(header);
  return m ? m.index : undefined;
}

/** The index just after the header word that ends before `at`. */
function previousColumnEnd(header: string, at: number): number {
  let i = at;
  while (i > 0 && header[i - 1] === ' ') i--;
  return i;
}
