/** The processes pane and the cluster top: rows in order, tree, filter, and lines exactly as wide as the screen. */
import { describe, expect, it } from 'vitest';
import type { NodeProcesses, ProcessRow } from '../../../src/metrics/process-figures.js';
import { clusterTopLines, defaultProcessSort, processLines, type ProcessView } from '../../../src/ui/model/process-model.js';
import { processPaneLines, topPaneLines } from '../../../src/ui/render/process-lines.js';
import { lineText } from '../../../src/ui/render/segments.js';
import type { ViewNode } from '../../../src/ui/model/frame-data.js';
import { buildStore, NOW } from '../fixtures.js';

const proc = (pid: number, ppid: number, command: string, cpuPercent: number | null, memoryBytes: number, args: string | null = null): ProcessRow => ({
  pid,
  ppid,
  user: 'root',
  command,
  args,
  state: 'S',
  cpuPercent,
  memoryBytes,
  threads: 1,
  startTimeSeconds: 0,
  count: null,
});

const TABLE: NodeProcesses = {
  source: 'agent',
  processes: [
    proc(1, 0, 'systemd', 0.1, 10e6),
    proc(200, 1, 'nginx', 5, 40e6, 'nginx: master process'),
    proc(201, 200, 'nginx', 30, 60e6, 'nginx: worker process'),
    proc(202, 200, 'nginx', null, 50e6, 'nginx: worker process'),
    proc(300, 1, 'postgres', 12, 900e6, 'postgres -D /var/lib/postgresql'),
    proc(900, 42, 'orphan', 1, 1e6), // its parent is not among the rows (the agent's top N)
  ],
  groups: [
    { ...proc(0, 0, 'nginx', 35, 150e6), pid: null, ppid: null, user: null, count: 3 },
    { ...proc(0, 0, 'postgres', 12, 900e6), pid: null, ppid: null, user: null, count: 1 },
  ],
  total: 120,
};

const view = (over: Partial<ProcessView> = {}): ProcessView => ({ sort: defaultProcessSort('cpu'), groups: false, tree: false, filter: '', ...over });
const pids = (v: ProcessView) => processLines(TABLE, v).map((l) => l.row.pid);

describe('the processes pane', () => {
  it('sorts by cpu, memory, pid and name; a process without a CPU figure last', () => {
    expect(pids(view())).toEqual([201, 300, 200, 900, 1, 202]);
    expect(pids(view({ sort: defaultProcessSort('memory') }))).toEqual([300, 201, 202, 200, 1, 900]);
    expect(pids(view({ sort: defaultProcessSort('pid') }))).toEqual([1, 200, 201, 202, 300, 900]);
    expect(pids(view({ sort: defaultProcessSort('name') }))).toEqual([200, 201, 202, 900, 300, 1]);
    expect(pids(view({ sort: { key: 'cpu', descending: false } }))).toEqual([1, 900, 200, 300, 201, 202]);
  });

  it('filters by command, arguments, user or pid', () => {
    expect(pids(view({ filter: 'WORKER' }))).toEqual([201, 202]);
    expect(pids(view({ filter: '300' }))).toEqual([300]);
    expect(pids(view({ filter: 'nothing-like-it' }))).toEqual([]);
  });

  it('draws the tree by parent, children in the sort order, a process whose parent is not listed as a root', () => {
    const lines = processLines(TABLE, view({ tree: true }));
    expect(lines.map((l) => `${l.branch}${l.row.pid}`)).toEqual(['900', '1', '├─300', '└─200', '  ├─201', '  └─202']);
  });

  it('shows the groups when asked, or when the source has no single processes', () => {
    expect(processLines(TABLE, view({ groups: true })).map((l) => l.id)).toEqual(['=nginx', '=postgres']);
    expect(processLines({ ...TABLE, processes: [] }, view()).map((l) => l.id)).toEqual(['=nginx', '=postgres']);
  });

  it('fits every line to the width, each row distinct, at 80 and 200 columns, in every mode', () => {
    const store = buildStore(5);
    const node: ViewNode = { ...store.nodes()[0]!, processes: TABLE };
    for (const width of [80, 200]) {
      for (const v of [view(), view({ tree: true }), view({ groups: true }), view({ filter: 'nginx' })]) {
        const lines = processLines(TABLE, v);
        const drawn = processPaneLines(node, { lines, sort: v.sort, groups: v.groups, tree: v.tree, filter: v.filter, index: 1, offset: 0 }, width, 20, NOW).map(lineText);
        for (const l of drawn) expect(l).toHaveLength(width);
        const rows = drawn.slice(3);
        expect(rows).toHaveLength(lines.length);
        expect(new Set(rows).size).toBe(rows.length);
      }
    }
    const wide = processPaneLines(node, { lines: processLines(TABLE, view()), sort: defaultProcessSort('cpu'), groups: false, tree: false, filter: '', index: 0, offset: 0 }, 200, 20, NOW).map(lineText);
    expect(wide[2]).toMatch(/PID PROGRAM +COMMAND +USER +THR +MEM +CPU%▼/);
    expect(wide[3]).toContain('nginx: worker process');
    expect(wide[1]).toContain('120 on the node');
  });

  it('never draws more lines than it is given', () => {
    const node: ViewNode = { ...buildStore(5).nodes()[0]!, processes: TABLE };
    for (let h = 0; h < 12; h++) {
      const lines = processPaneLines(node, { lines: processLines(TABLE, view()), sort: defaultProcessSort('cpu'), groups: false, tree: false, filter: '', index: 0, offset: 0 }, 80, h, NOW);
      expect(lines.length).toBeLessThanOrEqual(h);
    }
  });
});

describe('the cluster top', () => {
  it('lists the heaviest processes of every node with figures, with their node; groups for a node without single processes', () => {
    const store = buildStore(5);
    const [a, b, c] = store.nodes();
    const nodes: ViewNode[] = [
      { ...a!, processes: TABLE },
      { ...b!, processes: { source: 'process-exporter', processes: [], groups: TABLE.groups, total: 4 } },
      { ...c!, processes: null },
    ];
    const lines = clusterTopLines(nodes, defaultProcessSort('cpu'), '');
    expect(lines.map((l) => [l.nodeName, l.row.pid ?? l.row.command])).toEqual([
      [b!.name, 'nginx'],
      [a!.name, 201],
      [b!.name, 'postgres'], // 12 % as process 300: the group (no pid) first
      [a!.name, 300],
      [a!.name, 200],
      [a!.name, 900],
      [a!.name, 1],
      [a!.name, 202],
    ]);
    for (const width of [80, 200]) {
      const drawn = topPaneLines({ lines, sort: defaultProcessSort('cpu'), filter: '', index: 0, offset: 0, nodes: 2 }, width, 30).map(lineText);
      for (const l of drawn) expect(l).toHaveLength(width);
      expect(new Set(drawn.slice(2)).size).toBe(lines.length);
      expect(drawn[0]).toContain('of 2 nodes with process figures');
    }
  });
});
