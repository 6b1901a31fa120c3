/** The help screen, the footer's key hints and the key table of docs/reference.md, all drawn from the binding table (keys.ts). */
import { BINDINGS, conditionOf, SCOPES, VIEWS, type Binding, type Condition, type Scope } from '../input/keys.js';
import { fit } from '../../util/format.js';
import { lineWidth, packLine, type Segment } from './segments.js';

/** Room for the keys of a binding before its text; more keys go on to the next lines. */
const KEY_WIDTH = 20;
/** The narrowest text column beside the keys; narrower, the text goes below its keys. */
const MIN_TEXT = 20;
const COLUMN_GAP = ' │ ';

/** Words into lines of at most `width`; a word longer than a line is cut, as nothing else fits. */
export function wrapWords(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length <= width) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The keys joined by two blanks, broken between keys to fit `width`. */
function joinKeys(keys: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const k of keys) {
    if (line && line.length + 2 + k.length <= width) line += `  ${k}`;
    else {
      if (line) lines.push(line);
      line = k;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => l.slice(0, width));
}

/** One binding's lines in a column `width` wide: keys on the left, the text wrapped beside them. */
function entryLines(b: Binding, width: number): Segment[][] {
  const keyWidth = Math.min(KEY_WIDTH, width);
  const key = (text: string, w: number): Segment => ({ text: fit(text, w), color: 'cyan', bold: true });
  if (width - keyWidth < MIN_TEXT) {
    // Too narrow for two columns: the keys, then the text indented below them.
    const indent = Math.min(2, width - 1);
    return [...joinKeys(b.keys, width).map((k) => [key(k, width)]), ...wrapWords(b.text, width - indent).map((t) => [{ text: fit(' '.repeat(indent) + t, width) }])];
  }
  // Two blanks at least between the keys and the text.
  const keys = joinKeys(b.keys, keyWidth - 2);
  const text = wrapWords(b.text, width - keyWidth);
  const lines: Segment[][] = [];
  for (let i = 0; i < Math.max(keys.length, text.length); i++) lines.push([key(keys[i] ?? '', keyWidth), { text: fit(text[i] ?? '', width - keyWidth) }]);
  return lines;
}

/** One block per binding, a section's heading in the block of its first binding: columns split between blocks only. */
function helpBlocks(width: number): Segment[][][] {
  const blocks: Segment[][][] = [];
  let section = '';
  for (const b of BINDINGS) {
    const lines = entryLines(b, width);
    if (b.section !== section) {
      section = b.section;
      lines.unshift([{ text: fit(section, width), bold: true, color: 'yellow' }]);
    }
    blocks.push(lines);
  }
  return blocks;
}

/** The blocks in `columns` columns of at most `rows` lines each, or null when they do not fit. */
function fillColumns(blocks: readonly Segment[][][], columns: number, rows: number): Segment[][][] | null {
  const filled: Segment[][][] = [[]];
  for (const block of blocks) {
    let column = filled[filled.length - 1] ?? [];
    if (column.length > 0 && column.length + block.length > rows) {
      column = [];
      filled.push(column);
    }
    if (filled.length > columns || block.length > rows) return null;
    column.push(...block);
  }
  return filled;
}

interface HelpLayout {
  /** The body's lines, columns side by side, each exactly `width` wide. */
  readonly lines: readonly Segment[][];
  /** Lines below the first screenful: 0 when the help fits. */
  readonly scrollMax: number;
}

const layouts = new Map<string, HelpLayout>();

/** As few columns as fit in `rows` lines; when even the most that are wide enough do not, one column that scrolls. */
function helpLayout(width: number, rows: number): HelpLayout {
  const id = `${width}x${rows}`;
  const known = layouts.get(id);
  if (known) return known;
  let layout: HelpLayout | undefined;
  for (let columns = 1; !layout && columns * (KEY_WIDTH + MIN_TEXT) + (columns - 1) * COLUMN_GAP.length <= width; columns++) {
    const columnWidth = Math.floor((width - (columns - 1) * COLUMN_GAP.length) / columns);
    const filled = fillColumns(helpBlocks(columnWidth), columns, rows);
    if (!filled) continue;
    const lines: Segment[][] = [];
    for (let row = 0; row < Math.max(...filled.map((c) => c.length)); row++) {
      const line: Segment[] = [];
      filled.forEach((column, i) => {
        if (i > 0) line.push({ text: COLUMN_GAP, color: 'gray' });
        line.push(...(column[row] ?? [{ text: ' '.repeat(columnWidth) }]));
      });
      lines.push(padTo(line, width));
    }
    layout = { lines, scrollMax: 0 };
  }
  if (!layout) {
    const lines = helpBlocks(width).flat();
    layout = { lines, scrollMax: Math.max(0, lines.length - rows) };
  }
  if (layouts.size > 16) layouts.clear();
  layouts.set(id, layout);
  return layout;
}

function padTo(line: Segment[], width: number): Segment[] {
  const w = lineWidth(line);
  return w < width ? [...line, { text: ' '.repeat(width - w) }] : line;
}

/** How far the help scrolls in a body `height` lines tall (its title line included). */
export function helpScrollMax(width: number, height: number): number {
  return height <= 1 ? 0 : helpLayout(width, height - 1).scrollMax;
}

/** The help in `height` lines or fewer: a title, then every binding, scrolled down by `scroll` lines when it does not fit. */
export function helpLines(width: number, height: number, scroll = 0): Segment[][] {
  if (height <= 0 || width <= 0) return [];
  const rows = height - 1;
  const layout = rows > 0 ? helpLayout(width, rows) : { lines: [], scrollMax: 0 };
  const from = Math.min(Math.max(0, scroll), layout.scrollMax);
  const shown = layout.lines.slice(from, from + rows);
  const where =
    layout.scrollMax > 0
      ? [{ text: `lines ${from + 1}-${from + shown.length} of ${layout.lines.length}  `, color: 'gray' as const }, { text: '↑↓', color: 'cyan' as const, bold: true }, { text: ' scroll, other keys close', color: 'gray' as const }]
      : [{ text: 'any key closes', color: 'gray' as const }];
  const title = packLine([{ segments: [{ text: 'Keys', bold: true }], priority: 1 }], where, width);
  return [title, ...shown];
}

/** The hints of the bindings that do something here, most important first. */
export function hintsFor(scope: Scope, holds: (c: Condition) => boolean): { readonly keys: string; readonly label: string; readonly priority: number }[] {
  const hints: { keys: string; label: string; priority: number }[] = [];
  for (const b of BINDINGS) {
    const condition = conditionOf(b, scope);
    if (!b.hint || !b.in.includes(scope) || (condition && !holds(condition))) continue;
    hints.push({ keys: b.hint.keys ?? b.keys[0] ?? '', label: b.hint.labelIn?.[scope] ?? b.hint.label, priority: b.hint.priority });
  }
  return hints.sort((a, b) => b.priority - a.priority);
}

/**
 * The keys that do something where the user is, most important first; those that do not fit the
 * width are left out, the least important first, and none is ever cut.
 */
export function hintLine(width: number, scope: Scope = 'table', holds: (c: Condition) => boolean = () => true): Segment[] {
  const line: Segment[] = [];
  let used = 0;
  for (const hint of hintsFor(scope, holds)) {
    const gap = line.length > 0 ? 2 : 0;
    const w = gap + hint.keys.length + 1 + hint.label.length;
    if (used + w > width) break;
    if (gap) line.push({ text: '  ' });
    line.push({ text: hint.keys, color: 'cyan', bold: true }, { text: ` ${hint.label}` });
    used += w;
  }
  return padTo(line, Math.max(0, width));
}

const README_PLACES: Readonly<Record<Scope, string>> = {
  table: 'table',
  charts: 'node detail',
  app: 'app detail',
  pods: 'pods',
  containers: 'containers',
  ctop: 'heaviest containers',
  processes: 'processes',
  top: 'cluster top',
  prompt: 'filter prompt',
  help: 'help',
};

const README_WHEN: Readonly<Record<Condition, string>> = {
  kube: 'for a Kubernetes node',
  groups: 'with labels to group by',
  replay: 'in a replay',
  alerts: 'with alerts listed',
  scrolls: 'when longer than the screen',
  containers: 'when some node has containers',
  containerBox: 'when the node has containers',
  filtered: 'when filtered',
  warnings: 'with start-up warnings shown',
  processes: 'with process figures',
};

function whereText(b: Binding): string {
  const place = (s: Scope): string => {
    const condition = b.whenIn?.[s];
    return condition ? `${README_PLACES[s]} (${README_WHEN[condition]})` : README_PLACES[s];
  };
  let where: string;
  if (SCOPES.every((s) => b.in.includes(s))) where = 'anywhere';
  else if (VIEWS.every((s) => b.in.includes(s))) where = ['every view', ...b.in.filter((s) => !VIEWS.includes(s)).map(place)].join(', ');
  else where = b.in.map(place).join(', ');
  return b.when ? `${where}, ${README_WHEN[b.when]}` : where;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The key table of docs/reference.md, as Markdown, one row per binding. */
export function readmeKeyTable(): string {
  const rows = BINDINGS.map((b) => `| ${cell(b.keys.join(', '))} | ${cell(whereText(b))} | ${cell(b.readme ?? b.text)} |`);
  return ['| key | where | action |', '| --- | --- | --- |', ...rows].join('\n');
}
