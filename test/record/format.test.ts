import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NodeDeclaration } from '../../src/record/format.js';
import { Recording } from '../../src/record/reader.js';
import { ReplaySource } from '../../src/sources/replay/replay-source.js';
import { columnsView, historyView, liveStoreAt, nodeView, recordScenario, tempPath, tickTime, T0 } from './scenario.js';

const TICKS = 20;

describe('recording format', () => {
  it('reads back every refresh exactly as the store held it', () => {
    const path = tempPath();
    recordScenario(path, TICKS);
    const recording = Recording.open(path);
    try {
      expect(recording.stopped).toBeUndefined();
      expect(recording.header).toEqual({ format: 'cluster-top-recording', version: 1, startedAt: new Date(T0).toISOString(), intervalMs: 1000 });
      expect(recording.tickCount).toBe(TICKS);
      const declared = new Map<number, NodeDeclaration>();
      for (let k = 0; k < TICKS; k++) {
        for (const d of recording.declarationsBefore(k)) declared.set(d.node, d);
        const tick = recording.readTick(k);
        expect(tick.timeMs).toBe(tickTime(k));
        const read = tick.entries.map(({ node, figures, health }) => {
          const { id, name, target, source, labels } = declared.get(node)!;
          return { id, name, target, source, labels, figures, health };
        });
        expect(read).toEqual(liveStoreAt(k).nodes().map(nodeView));
      }
    } finally {
      recording.close();
    }
  });

  it('is one header, then declarations only when a node is new or changed, then one line per refresh', () => {
    const path = tempPath();
    recordScenario(path, TICKS);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.at(-1)).toBe(''); // every record ends with its newline
    const records = lines.slice(0, -1).map((l) => JSON.parse(l) as unknown);
    const declarations = records.filter((r): r is NodeDeclaration => !Array.isArray(r) && typeof r === 'object' && r !== null && 'node' in r);
    // a, b, c at the start; a again when it renamed itself; d when it joined.
    expect(declarations.map((d) => [d.node, d.name])).toEqual([[0, 'a'], [1, 'b'], [2, 'c'], [0, 'alpha'], [3, 'd']]);
    expect(declarations[1]).toMatchObject({ source: 'kubelet', labels: { job: 'kube' } });
    expect(records.filter(Array.isArray)).toHaveLength(TICKS);
  });

  it('replays into a store equal to the live one: latest figures, health and history', async () => {
    const path = tempPath();
    const live = recordScenario(path, TICKS);
    const replay = ReplaySource.open({ path, speed: 1, historyMs: 600_000 });
    try {
      await replay.collectOnce();
      expect(replay.store.nodes().map(nodeView)).toEqual(live.nodes().map(nodeView));
      expect(historyView(replay.store)).toEqual(historyView(live));
      expect(replay.clockMs()).toBe(tickTime(TICKS - 1));
      expect(replay.warning).toBeUndefined();
    } finally {
      await replay.stop();
    }
  });

  it('records the --column readings, labelled parts included, and replays them with their history', async () => {
    const path = tempPath();
    const columns = ['rps', 'errors'];
    const live = recordScenario(path, TICKS, { columns });
    const recording = Recording.open(path);
    try {
      expect(recording.header.columns).toEqual(columns);
      const declared = new Map<number, NodeDeclaration>();
      for (let k = 0; k < TICKS; k++) {
        for (const d of recording.declarationsBefore(k)) declared.set(d.node, d);
        const read = recording.readTick(k).entries.map((e) => ({ id: declared.get(e.node)!.id, columns: e.columns }));
        expect(read).toEqual(liveStoreAt(k, 600, columns).nodes().map((n) => ({ id: n.id, columns: n.columns })));
      }
    } finally {
      recording.close();
    }
    const replay = ReplaySource.open({ path, speed: 1, historyMs: 600_000 });
    try {
      await replay.collectOnce();
      expect(replay.store.columnNames).toEqual(columns);
      expect(replay.store.nodes().map(columnsView(columns))).toEqual(live.nodes().map(columnsView(columns)));
      expect(replay.store.nodes().map(nodeView)).toEqual(live.nodes().map(nodeView));
    } finally {
      await replay.stop();
    }
  });

  it('refuses column readings that do not match the header, naming the entry', () => {
    const path = tempPath();
    recordScenario(path, 2, { columns: ['rps'] });
    const lines = readFileSync(path, 'utf8').split('\n');
    const tick = JSON.parse(lines.at(-2)!) as unknown[][];
    const bad = (entry: unknown[]): string => {
      const broken = [tick[0], entry, ...tick.slice(2)];
      writeFileSync(path, [...lines.slice(0, -2), JSON.stringify(broken), ''].join('\n'));
      const recording = Recording.open(path);
      try {
        return recording.stopped?.reason ?? 'read';
      } finally {
        recording.close();
      }
    };
    const first = tick[1]!;
    expect(bad(first.slice(0, 18))).toBe('entry 1: entry is not an array of 19 or 22');
    expect(bad([...first.slice(0, 18), [1, 2]])).toBe('entry 1: columns is not an array of 1');
    expect(bad([...first.slice(0, 18), ['x']])).toBe('entry 1: column rps is not an array of 3');
    expect(bad([...first.slice(0, 18), [[1, [['a', 1], ['b', 2]], 1]]])).toBe('entry 1: column rps part count is less than its parts');
    expect(bad([...first.slice(0, 18), [[1, [['a', 'x']], 1]]])).toBe('entry 1: column rps part 1 value is not a number');
    expect(bad(first)).toBe('read');
  });
});
