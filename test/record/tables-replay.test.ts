/**
 * A node's processes, containers and GPUs through --record and --replay: a real pipeline scrapes a
 * loopback endpoint serving what `cluster-top agent` serves on a GPU host (node families, its
 * cluster_top_process_* families, containers in cAdvisor's names, dcgm-exporter's families), from
 * captured payloads (test/fixtures/node-exporter.prom, cadvisor/live-docker-host-cpu.prom,
 * gpu/dcgm-kops-l4.metrics) with counters moved on at each scrape. The recording, replayed, gives
 * the store the live run ended with, figure by figure.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../src/record/recorder.js';
import { MAX_RECORDED_PROCESSES } from '../../src/record/tables.js';
import { ReplaySource } from '../../src/sources/replay/replay-source.js';
import { Pipeline } from '../../src/sources/node-list/pipeline.js';
import type { NodeProcesses } from '../../src/metrics/process-figures.js';
import type { ClusterStore, NodeEntry } from '../../src/store/cluster-store.js';
import { GPU_SERIES } from '../../src/store/gpu-entries.js';
import { parseTarget } from '../../src/targets/parse-target.js';
import { serve } from '../helpers/http-endpoints.js';
import { columnsView, historyView, liveStoreAt, nodeView, tempPath } from './scenario.js';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
const NODE = fixture('node-exporter.prom');
const CADVISOR = fixture('cadvisor/live-docker-host-cpu.prom');
const DCGM = fixture('gpu/dcgm-kops-l4.metrics');
const UNTIL = { timeout: 20_000, interval: 100 } as const;
/** More processes than a tick holds: the recording keeps the heaviest. */
const PROCESSES = MAX_RECORDED_PROCESSES + 6;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The agent's process families at scrape k: process i has used i × k / 10 s of CPU, so each has its own rate. */
function processFamilies(k: number): string {
  const lines = ['# TYPE cluster_top_process_cpu_seconds_total counter', '# TYPE cluster_top_process_resident_memory_bytes gauge', '# TYPE cluster_top_process_info gauge'];
  for (let i = 1; i <= PROCESSES; i++) {
    const labels = `pid="${1000 + i}",comm="worker-${i}",user="app"`;
    lines.push(`cluster_top_process_cpu_seconds_total{${labels}} ${(i * k) / 10}`);
    lines.push(`cluster_top_process_resident_memory_bytes{${labels}} ${i * 1_048_576}`);
    lines.push(`cluster_top_process_info{${labels},ppid="1",state="S",args="worker --id ${i} --token=abc"} 1`);
  }
  lines.push('# TYPE cluster_top_process_group_processes gauge', `cluster_top_process_group_processes{comm="worker"} ${PROCESSES}`);
  lines.push('# TYPE cluster_top_processes gauge', `cluster_top_processes ${PROCESSES + 100}`);
  return lines.join('\n');
}

function payload(k: number): string {
  const containers = CADVISOR.replace(/^(container_\w+\{.*\}) (\S+) (\d+)$/gm, (_m, head: string, v: string, ts: string) => `${head} ${Number(v) + 0.5 * k} ${Number(ts) + 2_000 * k}`);
  const gpus = DCGM.replace(/^(DCGM_FI_DEV_GPU_UTIL\{.*\}) \S+$/m, (_m, head: string) => `${head} ${(17 * k) % 100}`);
  return [NODE.trimEnd(), processFamilies(k), containers.trimEnd(), gpus.trimEnd(), ''].join('\n');
}

/** A GPU's history ring as plain rows. */
function gpuRows(n: NodeEntry) {
  return (n.gpus?.gpus ?? []).map((e) => ({
    key: e.figures.key,
    rows: Array.from({ length: e.history.length }, (_, i) => [e.history.timeAt(i), ...GPU_SERIES.map((s) => e.history.valueAt(s, i))]),
  }));
}

/** The heaviest rows of a live table, as a tick holds them: by CPU, then memory, in their own order. */
function heaviest<T extends { cpuPercent: number | null; memoryBytes: number | null }>(rows: readonly T[]): T[] {
  const kept = new Set([...rows].sort((a, b) => (b.cpuPercent ?? -1) - (a.cpuPercent ?? -1) || (b.memoryBytes ?? -1) - (a.memoryBytes ?? -1)).slice(0, MAX_RECORDED_PROCESSES));
  return rows.filter((r) => kept.has(r));
}

function tablesView(store: ClusterStore) {
  return store.nodes().map((n) => ({ id: n.id, containers: n.containers, gpus: n.gpus && { error: n.gpus.error, figures: n.gpus.gpus.map((e) => e.figures) }, rows: gpuRows(n) }));
}

describe('a node with processes, containers and GPUs', () => {
  it('replays from its recording with every figure and GPU history row it had live', { timeout: 40_000 }, async () => {
    let k = 0;
    const agent = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(payload(k++)));
    cleanups.push(() => agent.close());
    const path = tempPath();
    const pipeline = new Pipeline({ targets: [parseTarget(agent.url)], intervalMs: 300, concurrency: 2, historyPoints: 100, scraper: { timeoutMs: 2_000 } });
    const recorder = Recorder.open({ path, maxBytes: 1 << 30, store: pipeline.store, intervalMs: 300 });
    cleanups.push(async () => {
      await pipeline.stop();
      recorder.close();
    });
    // What the store held at each refresh the recorder wrote (it listens first): a stop may come
    // amid a round, after a scrape the round's cluster row, and so the recording, never got.
    let atTick: { tables: ReturnType<typeof tablesView>; history: ReturnType<typeof historyView>; processes: NodeProcesses | null } | undefined;
    let lastTick: number | null = null;
    pipeline.store.subscribe(() => {
      const t = pipeline.store.cluster.latestTime();
      if (t === null || t === lastTick) return;
      lastTick = t;
      atTick = { tables: tablesView(pipeline.store), history: historyView(pipeline.store), processes: pipeline.store.nodes()[0]?.processes ?? null };
    });
    pipeline.start();
    const node = () => pipeline.store.nodes()[0];
    await expect.poll(() => (node()?.gpus?.gpus[0]?.history.length ?? 0) >= 5 && node()?.containers?.containers[0]?.cpuPercent != null, UNTIL).toBe(true);
    await pipeline.stop();
    recorder.close();
    const live = atTick!;
    const processes = live.processes!;
    expect(processes.processes).toHaveLength(PROCESSES);
    expect(processes.processes.some((p) => p.cpuPercent !== null)).toBe(true);
    expect(live.tables[0]!.containers!.containers.length).toBeGreaterThan(0);
    expect(live.tables[0]!.rows[0]!.rows.length).toBeGreaterThanOrEqual(4);

    const replay = ReplaySource.open({ path, speed: 1, historyMs: 100 * 300 });
    try {
      await replay.collectOnce();
      const played = replay.store;
      expect(tablesView(played)).toEqual(live.tables);
      const p = played.nodes()[0]!.processes!;
      expect(p).toEqual({ ...processes, processes: heaviest(processes.processes), groups: heaviest(processes.groups) });
      expect(p.processes).toHaveLength(MAX_RECORDED_PROCESSES);
      // A secret in a command line stays masked in the file.
      expect(readFileSync(path, 'utf8')).not.toContain('abc');
      expect(historyView(played)).toEqual(live.history);
    } finally {
      await replay.stop();
    }
  });
});

describe('recordings of an earlier version', () => {
  it.each([
    ['main-7844fc7.rec', 4, []],
    ['main-7844fc7-columns.rec', 3, ['rps', 'errors']],
  ] as const)('%s replays as the live store it was recorded from, with none of the tables', async (name, ticks, columns) => {
    const replay = ReplaySource.open({ path: new URL(`../fixtures/recording/${name}`, import.meta.url).pathname, speed: 1, historyMs: 60_000 });
    try {
      expect(replay.warning).toBeUndefined();
      await replay.collectOnce();
      const live = liveStoreAt(ticks - 1, ticks, columns);
      expect(replay.store.nodes().map(nodeView)).toEqual(live.nodes().map(nodeView));
      expect(historyView(replay.store)).toEqual(historyView(live));
      expect(replay.store.nodes().map(columnsView(columns))).toEqual(live.nodes().map(columnsView(columns)));
      for (const n of replay.store.nodes()) expect([n.processes, n.containers, n.gpus]).toEqual([null, null, null]);
    } finally {
      await replay.stop();
    }
  });
});
