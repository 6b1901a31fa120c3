import { describe, expect, it } from 'vitest';
import { EMPTY_FIGURES } from '../../../src/metrics/node-figures.js';
import {
  defaultSort,
  filterNodes,
  moveSelection,
  nextSortKey,
  parseFilter,
  scrollOffset,
  selectedIndex,
  sortNodes,
  type SortableNode,
} from '../../../src/ui/model/table-model.js';
import { makeFigures } from '../fixtures.js';

const node = (name: string, cpu: number | null, mem = 10): SortableNode => ({
  id: `id-${name}`,
  name,
  figures: cpu === null ? EMPTY_FIGURES : makeFigures({ cpu, mem }),
});

const nodes = [node('node-10', 50), node('node-2', 90), node('node-1', 10), node('down', null)];
const names = (list: readonly SortableNode[]): string[] => list.map((n) => n.name);

describe('sortNodes', () => {
  it('sorts names naturally, node-2 before node-10', () => {
    expect(names(sortNodes(nodes, defaultSort('name')))).toEqual(['down', 'node-1', 'node-2', 'node-10']);
    expect(names(sortNodes(nodes, { key: 'name', descending: true }))).toEqual(['node-10', 'node-2', 'node-1', 'down']);
  });

  it('sorts figures busiest first and keeps nodes without figures last in both directions', () => {
    expect(names(sortNodes(nodes, defaultSort('cpu')))).toEqual(['node-2', 'node-10', 'node-1', 'down']);
    expect(names(sortNodes(nodes, { key: 'cpu', descending: false }))).toEqual(['node-1', 'node-10', 'node-2', 'down']);
  });

  it('breaks ties by name so equal rows do not swap between frames', () => {
    const tied = [node('b', 50), node('a', 50), node('c', 50)];
    expect(names(sortNodes(tied, defaultSort('cpu')))).toEqual(['a', 'b', 'c']);
  });

  it('keeps name order across frames, subsets and renames, and takes new nodes in', () => {
    const fleet = Array.from({ length: 12 }, (_, i) => node(`n-${11 - i}`, i % 3 === 0 ? null : 50));
    expect(names(sortNodes(fleet, defaultSort('name')))).toEqual(Array.from({ length: 12 }, (_, i) => `n-${i}`));
    // A filtered subset, sorted by a tied figure: name order among the ones shown.
    const subset = fleet.filter((_, i) => i % 2 === 1);
    expect(names(sortNodes(subset, defaultSort('cpu')))).toEqual(['n-0', 'n-4', 'n-6', 'n-10', 'n-2', 'n-8']);
    // A node renamed and one added: both in their place at once.
    (fleet[0] as { name: string }).name = 'a-first';
    const grown = [...fleet, node('n-5b', 50)];
    expect(names(sortNodes(grown, defaultSort('name'))).slice(0, 2)).toEqual(['a-first', 'n-0']);
    expect(names(sortNodes(grown, defaultSort('name')))).toContain('n-5b');
    expect(names(sortNodes(grown, defaultSort('name'))).indexOf('n-5b')).toBe(names(sortNodes(grown, defaultSort('name'))).indexOf('n-5') + 1);
  });

  it('does not touch its input', () => {
    const copy = [...nodes];
    sortNodes(nodes, defaultSort('memory'));
    expect(nodes).toEqual(copy);
  });

  it('cycles through every sort key and back', () => {
    const seen = [defaultSort('name').key];
    for (let i = 0; i < 6; i++) seen.push(nextSortKey(seen[seen.length - 1] ?? 'name'));
    expect(seen).toEqual(['name', 'cpu', 'memory', 'network', 'disk', 'load', 'name']);
  });
});

describe('parseFilter', () => {
  const match = (text: string, name: string): boolean => {
    const f = parseFilter(text);
    if (!f.ok) throw new Error(f.error);
    return f.test(name);
  };

  it('matches substrings case-insensitively, dots literally', () => {
    expect(match('WEB', 'web-01')).toBe(true);
    expect(match('10.0.0.1', '10.0.0.12')).toBe(true);
    expect(match('10.0.0.1', '10a0b0c1')).toBe(false);
  });

  it('takes /…/ and text with regex metacharacters as a regex', () => {
    expect(match('/^web-0[12]$/', 'web-02')).toBe(true);
    expect(match('/^web-0[12]$/', 'web-03')).toBe(false);
    expect(match('^db', 'DB-1')).toBe(true);
    expect(match('^db', 'old-db')).toBe(false);
    expect(match('a|b', 'xbx')).toBe(true);
  });

  it('reports an invalid regex instead of throwing', () => {
    const f = parseFilter('[abc');
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.error).toMatch(/^invalid regex: /);
  });

  it('an empty filter keeps everything', () => {
    expect(filterNodes(nodes, parseFilter('  '))).toHaveLength(4);
    expect(names(filterNodes(nodes, parseFilter('node-1')))).toEqual(['node-10', 'node-1']);
  });
});

describe('selection', () => {
  const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

  it('follows the node by id wherever it moved', () => {
    expect(selectedIndex([{ id: 'c' }, { id: 'a' }, { id: 'b' }], { id: 'b', index: 1 })).toBe(2);
  });

  it('falls back to the old index, clamped, when the node is gone', () => {
    expect(selectedIndex([{ id: 'x' }, { id: 'y' }], { id: 'gone', index: 5 })).toBe(1);
    expect(selectedIndex([], { id: 'a', index: 0 })).toBe(-1);
  });

  it('moves by steps and to the ends, clamped', () => {
    expect(moveSelection(rows, { id: 'a', index: 0 }, { by: 1 })).toEqual({ id: 'b', index: 1 });
    expect(moveSelection(rows, { id: 'a', index: 0 }, { by: -1 })).toEqual({ id: 'a', index: 0 });
    expect(moveSelection(rows, { id: 'a', index: 0 }, { by: 10 })).toEqual({ id: 'c', index: 2 });
    expect(moveSelection(rows, { id: 'b', index: 1 }, { to: 'first' })).toEqual({ id: 'a', index: 0 });
    expect(moveSelection(rows, { id: null, index: 0 }, { to: 'last' })).toEqual({ id: 'c', index: 2 });
  });
});

describe('scrollOffset', () => {
  it('scrolls only as far as needed to show the selection', () => {
    expect(scrollOffset(0, 0, 10, 100)).toBe(0);
    expect(scrollOffset(9, 0, 10, 100)).toBe(0);
    expect(scrollOffset(10, 0, 10, 100)).toBe(1);
    expect(scrollOffset(50, 45, 10, 100)).toBe(45);
    expect(scrollOffset(3, 45, 10, 100)).toBe(3);
  });

  it('never leaves blank rows at the bottom when rows disappear', () => {
    expect(scrollOffset(4, 90, 10, 20)).toBe(4);
    expect(scrollOffset(19, 90, 10, 20)).toBe(10);
    expect(scrollOffset(0, 5, 10, 0)).toBe(0);
  });
});
