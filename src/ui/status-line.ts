/** The line above the key hints: the selected node, or the filter prompt while it is open. */
import { formatAge } from './format.js';
import type { ViewNode } from './frame-data.js';
import type { GroupBy } from './groups.js';
import { packLine, type Segment } from './segments.js';
import type { NodeFilter } from './table-model.js';

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

export function promptLine(draft: string, check: NodeFilter, width: number, color: boolean): Segment[] {
  const cursor: Segment = color ? { text: ' ', inverse: true } : { text: '_' };
  const prompt = { segments: [{ text: 'filter: ', color: 'cyan' as const, bold: true }, { text: draft }, cursor], priority: 2 };
  if (!check.ok) return packLine([prompt, { segments: [{ text: check.error, color: 'red', bold: true }], priority: 1 }], [], width);
  return packLine([prompt], [{ text: 'Enter apply  Esc clear', color: 'gray' }], width);
}
