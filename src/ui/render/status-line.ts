/** The line above the key hints: the selected node, or the filter prompt while it is open. */
import { formatAge } from '../../util/format.js';
import type { ViewNode } from '../model/frame-data.js';
import type { GroupBy } from '../model/groups.js';
import { packLine, type Segment } from './segments.js';
import type { NodeFilter } from '../model/table-model.js';

export interface StatusInput {
  readonly selected: ViewNode | undefined;
  /** The node sort, or the pod sort while the pods are shown. */
  readonly sort: { readonly key: string; readonly descending: boolean };
  readonly filterText: string;
  readonly shown: number;
  readonly total: number;
  readonly nowMs: number;
  readonly group?: GroupBy;
}

export function statusLine(input: StatusInput, width: number): Segment[] {
  const { selected: node } = input;
  const left: Segment[] = [];
  if (node) {
    left.push({ text: node.name, bold: true });
    if (!node.health.up && node.health.lastError) {
      const since = node.health.lastSuccessMs === null ? 'never up' : `last up ${formatAge((input.nowMs - node.health.lastSuccessMs) / 1000)} ago`;
      left.push({ text: `  ${node.health.lastError} (${since})`, color: 'red' });
    } else {
      left.push({ text: `  ${node.target}`, color: 'gray' });
    }
  } else {
    left.push({ text: input.total === 0 ? 'no nodes yet' : 'no node matches the filter', color: 'gray' });
  }
  const right: Segment[] = [
    { text: `sort ${input.sort.key.replace(/^column:/, '')}${input.sort.descending ? '▼' : '▲'}`, color: 'cyan' },
    ...(input.group && input.group !== 'none' ? [{ text: `  by ${input.group}`, color: 'cyan' as const }] : []),
    ...(input.filterText ? [{ text: `  filter ${input.filterText}`, color: 'yellow' as const }] : []),
    { text: `  ${input.shown}/${input.total}`, color: 'gray' },
  ];
  return packLine([{ segments: left, priority: 1 }], right, width);
}

export interface PromptInput {
  readonly draft: string;
  readonly check: NodeFilter;
  /** The text is selected: typing replaces it. */
  readonly selected: boolean;
  /** Nodes shown by the filter in force / all of them: the table follows the typing. */
  readonly shown: number;
  readonly total: number;
}

export function promptLine(input: PromptInput, width: number, color: boolean): Segment[] {
  const cursor: Segment = color ? { text: ' ', inverse: true } : { text: '_' };
  const text: Segment = input.selected && color ? { text: input.draft, inverse: true } : { text: input.draft };
  const prompt = { segments: [{ text: 'filter: ', color: 'cyan' as const, bold: true }, text, cursor], priority: 3 };
  const count: Segment = { text: `${input.shown}/${input.total}`, color: 'gray' };
  if (!input.check.ok) return packLine([prompt, { segments: [{ text: input.check.error, color: 'red', bold: true }], priority: 2 }], [count], width);
  const replaces = { segments: [{ text: 'typing replaces it', color: 'gray' as const }], priority: 1 };
  return packLine(input.selected ? [prompt, replaces] : [prompt], [count], width);
}

/** Why a key did nothing, shown for a moment in place of the status line. */
export function noteLine(note: string, width: number): Segment[] {
  return packLine([{ segments: [{ text: note, color: 'yellow' }], priority: 1 }], [], width);
}
