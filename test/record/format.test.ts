import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NodeDeclaration } from '../../src/record/format.js';
import { Recording } from '../../src/record/reader.js';
import { ReplaySource } from '../../src/record/replay-source.js';
import { historyView, liveStoreAt, nodeView, recordScenario, tempPath, tickTime, T0 } from './scenario.js';

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
});
