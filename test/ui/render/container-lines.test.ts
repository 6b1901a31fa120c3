import { describe, expect, it } from 'vitest';
import type { ContainerStats, ContainerTable } from '../../../src/metrics/container-stats.js';
import { containerBoxLines, heavyContainerLines } from '../../../src/ui/render/container-lines.js';
import { detailLines } from '../../../src/ui/render/detail-lines.js';
import { heaviestContainers } from '../../../src/ui/model/container-top.js';
import { defaultContainerSort, nextContainerSortKey, type ContainerSortState } from '../../../src/ui/model/container-sort.js';
import { lineText, lineWidth } from '../../../src/ui/render/segments.js';
import { buildStore, NOW } from '../fixtures.js';

function container(name: string, cpu: number | null, extra: Partial<ContainerStats> = {}): ContainerStats {
  return {
    id: `/system.slice/docker-${name}.scope`,
    name,
    image: `${name}:1`,
    composeProject: 'shop',
    composeService: name.replace(/-\d+$/, ''),
    cpuPercent: cpu,
    memoryBytes: 300 * 2 ** 20,
    memoryLimitBytes: 2 ** 30,
    receiveBytesPerSecond: 1500,
    transmitBytesPerSecond: 700,
    readBytesPerSecond: 0,
    writtenBytesPerSecond: 4096,
    startedAtMs: null,
    restarts: null,
    restartsCounted: null,
    ...extra,
  };
}

const TABLE: ContainerTable = { containers: [container('db-1', 90), container('web-1', 35.5), container('redis-1', null, { memoryLimitBytes: null })], omitted: 0, unnamed: 37 };

describe('containerBoxLines', () => {
  it('is never taller than asked and every line exactly the width, at 80 and 200 columns', () => {
    for (const width of [50, 80, 200]) {
      for (const height of [1, 2, 3, 5, 10]) {
        const lines = containerBoxLines(TABLE, width, height, NOW);
        expect(lines.length).toBeLessThanOrEqual(height);
        for (const l of lines) expect(lineWidth(l)).toBe(width);
      }
    }
  });

  it('shows the heaviest first with CPU, memory against its limit, and the hidden cgroups', () => {
    const text = containerBoxLines(TABLE, 200, 10, NOW).map(lineText);
    expect(text[0]).toMatch(/^Containers 3 +37 unnamed cgroups hidden/);
    expect(text[1]).toMatch(/CONTAINER +SERVICE +IMAGE +CPU%▼ +MEM +LIM% +NET↓ +NET↑ +READ +WRITE/);
    expect(text[2]).toMatch(/^ db-1 +db +db-1:1 +90\.0% +300M +29% +1\.5K +700B +0B +4\.0K +- +- *$/);
    expect(text[4]).toMatch(/^ redis-1 .* - +300M +- /);
  });

  it('gives each container its age since it started (a fresh one is a restart), - when unknown', () => {
    const table: ContainerTable = { containers: [container('db-1', 90, { startedAtMs: NOW - 3 * 86400_000 }), container('web-1', 35, { startedAtMs: NOW - 90_000 })], omitted: 0, unnamed: 0 };
    const text = containerBoxLines(table, 200, 10, NOW).map(lineText);
    expect(text[1]).toMatch(/ WRITE +AGE +RST *$/);
    expect(text[2]).toMatch(/ 3d +- *$/);
    expect(text[3]).toMatch(/ 1m +- *$/);
    expect(containerBoxLines(table, 60, 10, NOW).map(lineText)[1]).not.toContain('AGE');
  });

  it("gives restarts: the runtime's count as a number, the restarts seen during the run as +n, said in the title", () => {
    const total: ContainerTable = { containers: [container('db-1', 90, { restarts: 4, restartsCounted: 'total' }), container('web-1', 35, { restarts: 0, restartsCounted: 'total' })], omitted: 0, unnamed: 0 };
    const a = containerBoxLines(total, 200, 10, NOW);
    const text = a.map(lineText);
    expect(text[0]).not.toContain('seen');
    expect(text[2]).toMatch(/ 4 *$/);
    expect(text[3]).toMatch(/ 0 *$/);
    // A container that restarted stands out.
    expect(a[2]!.find((s) => s.text.trim() === '4')?.color).toBe('yellow');
    const seen: ContainerTable = { containers: [container('db-1', 90, { restarts: 2, restartsCounted: 'seen' })], omitted: 0, unnamed: 0 };
    const s2 = containerBoxLines(seen, 200, 10, NOW).map(lineText);
    expect(s2[0]).toContain('RST +n: restarts seen this run');
    expect(s2[2]).toMatch(/ \+2 *$/);
    // Restarts stay after I/O, age, image and network are gone: all there at 80 columns, at 44 what is most telling.
    expect(containerBoxLines(total, 80, 10, NOW).map(lineText)[1]).toMatch(/CONTAINER +SERVICE +IMAGE +CPU%▼ +MEM +LIM% +NET↓ +NET↑ +AGE +RST *$/);
    expect(containerBoxLines(total, 44, 10, NOW).map(lineText)[1]).toMatch(/CONTAINER +CPU%▼ +MEM +LIM% +RST *$/);
  });

  it('sorts by each key of `s`, the sorted column marked, the order named in the title', () => {
    const table: ContainerTable = {
      containers: [
        container('db-1', 90, { memoryBytes: 100, receiveBytesPerSecond: 1, transmitBytesPerSecond: 1, readBytesPerSecond: 900, writtenBytesPerSecond: 0, startedAtMs: NOW - 86400_000, restarts: 0, restartsCounted: 'total' }),
        container('web-1', 35, { memoryBytes: 300, receiveBytesPerSecond: 5000, transmitBytesPerSecond: 0, readBytesPerSecond: 0, writtenBytesPerSecond: 0, startedAtMs: NOW - 60_000, restarts: 7, restartsCounted: 'total' }),
        container('api-1', null, { memoryBytes: 200, receiveBytesPerSecond: null, transmitBytesPerSecond: null, readBytesPerSecond: null, writtenBytesPerSecond: 10, startedAtMs: null, restarts: null, restartsCounted: null }),
      ],
      omitted: 0,
      unnamed: 0,
    };
    const order = (sort: ContainerSortState) => containerBoxLines(table, 200, 10, NOW, sort).slice(2).map((l) => lineText(l).trim().split(/\s+/)[0]);
    expect(order(defaultContainerSort('cpu'))).toEqual(['db-1', 'web-1', 'api-1']);
    expect(order(defaultContainerSort('memory'))).toEqual(['web-1', 'api-1', 'db-1']);
    expect(order(defaultContainerSort('name'))).toEqual(['api-1', 'db-1', 'web-1']);
    expect(order(defaultContainerSort('net'))).toEqual(['web-1', 'db-1', 'api-1']);
    expect(order(defaultContainerSort('io'))).toEqual(['db-1', 'api-1', 'web-1']);
    expect(order(defaultContainerSort('age'))).toEqual(['web-1', 'db-1', 'api-1']);
    expect(order(defaultContainerSort('restarts'))).toEqual(['web-1', 'db-1', 'api-1']);
    // Reversed, the unknown still last.
    expect(order({ key: 'restarts', descending: false })).toEqual(['db-1', 'web-1', 'api-1']);
    const lines = containerBoxLines(table, 200, 10, NOW, { key: 'net', descending: false }).map(lineText);
    expect(lines[0]).toContain('by network, reversed');
    expect(lines[1]).toContain('NET↓▲');
    expect(lines[1]).not.toContain('CPU%▼');
    // The keys cycle through every sort and back.
    const seen = [defaultContainerSort('cpu').key];
    for (let i = 0; i < 7; i++) seen.push(nextContainerSortKey(seen.at(-1)!));
    expect(seen).toEqual(['cpu', 'memory', 'name', 'net', 'io', 'age', 'restarts', 'cpu']);
  });

  it('drops I/O, image and network before name, CPU and memory as it narrows, and counts what does not fit', () => {
    const text = containerBoxLines(TABLE, 50, 4, NOW).map(lineText);
    expect(text[1]).toMatch(/CONTAINER +CPU%▼ +MEM/);
    expect(text[1]).not.toContain('IMAGE');
    expect(text[3]).toBe(' +2 more'.padEnd(50));
  });

  it('gives the detail a containers box between the figures and the charts', () => {
    const node = { ...buildStore(5).nodes()[0]!, containers: TABLE };
    const text = detailLines(node, 80, 40, NOW).map(lineText);
    const at = text.findIndex((l) => l.startsWith('Containers 3'));
    expect(at).toBeGreaterThan(0);
    expect(text[at + 2]).toContain('db-1');
    expect(text.slice(at).some((l) => l.startsWith('CPU '))).toBe(true);
    expect(new Set(text.filter((l) => l.trim() !== '')).size).toBeGreaterThan(20);
  });
});

describe('heaviestContainers', () => {
  it('merges every node by CPU with their node, bounded', () => {
    const [a, b] = buildStore(5).nodes();
    const nodes = [
      { ...a!, containers: TABLE },
      { ...b!, containers: { containers: [container('api-1', 50)], omitted: 4, unnamed: 0 } },
    ];
    const { rows, total } = heaviestContainers(nodes, defaultContainerSort('cpu'), 3);
    expect(total).toBe(8);
    expect(rows.map((r) => `${r.nodeName}/${r.container.name}`)).toEqual([`${a!.name}/db-1`, `${b!.name}/api-1`, `${a!.name}/web-1`]);
    const lines = heavyContainerLines(rows, total, rows[1]!.id, 0, 80, 6, false, NOW).map(lineText);
    expect(lines[0]).toContain('3 of 8');
    expect(lines[1]).toMatch(/^ NODE +CONTAINER/);
    expect(lines[3]).toMatch(/^>\S/);
    for (const l of lines) expect(l).toHaveLength(80);
  });

  it('sorts as `s` says, the order in the title and the arrow on its column', () => {
    const [a, b] = buildStore(5).nodes();
    const nodes = [
      { ...a!, containers: TABLE },
      { ...b!, containers: { containers: [container('api-1', 50, { memoryBytes: 900 * 2 ** 20, restarts: 3, restartsCounted: 'total' as const })], omitted: 0, unnamed: 0 } },
    ];
    const byMemory = heaviestContainers(nodes, defaultContainerSort('memory'));
    expect(byMemory.rows.map((r) => r.container.name)).toEqual(['api-1', 'db-1', 'redis-1', 'web-1']);
    const byName = heaviestContainers(nodes, { key: 'name', descending: true });
    expect(byName.rows.map((r) => r.container.name)).toEqual(['web-1', 'redis-1', 'db-1', 'api-1']);
    const lines = heavyContainerLines(byMemory.rows, byMemory.total, undefined, 0, 120, 8, false, NOW, defaultContainerSort('memory')).map(lineText);
    expect(lines[0]).toContain('on every node, by memory');
    expect(lines[1]).toContain('MEM▼');
    expect(lines[1]).not.toContain('CPU%▼');
    const restarts = heaviestContainers(nodes, defaultContainerSort('restarts'));
    // Unknown counts last.
    expect(restarts.rows.map((r) => r.container.name)[0]).toBe('api-1');
  });
});
