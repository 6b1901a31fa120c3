/**
 * Process figures through the scrape pipeline: the real prometheus-process-exporter beside the
 * real node_exporter on the same host joins that node's row; alone, it is a row of its own with
 * its groups; the agent's process families land on the agent's own row.
 */
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgentServer } from '../../../src/agent/agent-server.js';
import { Pipeline } from '../../../src/sources/node-list/pipeline.js';
import { ProcessReader } from '../../../src/sources/local/process-reader.js';
import { ProcessTable } from '../../../src/sources/local/process-table.js';
import { thisMachineReader } from '../../../src/sources/local/readers.js';
import { parseTarget } from '../../../src/targets/parse-target.js';
import { NODE_EXPORTER, startNodeExporter } from '../../helpers/node-exporter.js';
import { PROCESS_EXPORTER, startProcessExporter } from '../../helpers/process-exporter.js';
import { requireBinary } from '../../helpers/real-binary.js';
import { serve } from '../../helpers/http-endpoints.js';
import { hasUnsafe } from '../../../src/util/visible-text.js';

const UNTIL = { timeout: 20_000, interval: 100 } as const;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startPipeline(urls: string[]): Pipeline {
  const pipeline = new Pipeline({ targets: urls.map((u) => parseTarget(u)), intervalMs: 300, concurrency: 4, historyPoints: 20, scraper: { timeoutMs: 2_000 } });
  cleanups.push(() => pipeline.stop());
  pipeline.start();
  return pipeline;
}

describe.runIf(requireBinary(PROCESS_EXPORTER) && requireBinary(NODE_EXPORTER))('the real process exporter', () => {
  it('joins the node_exporter row of its host: one row, its groups with CPU % and memory', { timeout: 40_000 }, async () => {
    const node = await startNodeExporter();
    cleanups.push(() => node.stop());
    const processes = await startProcessExporter();
    cleanups.push(() => processes.stop());
    // Same host, two ports: the exporter's port is no companion port (9256), so the join comes from its payload.
    const pipeline = startPipeline([node.url, processes.url]);
    await expect.poll(() => pipeline.store.nodes().length === 1 && pipeline.store.nodes()[0]?.processes?.groups.some((g) => g.cpuPercent !== null), UNTIL).toBe(true);
    const [row] = pipeline.store.nodes();
    expect(row!.source).toBe('node_exporter');
    expect(row!.figures.memory).not.toBeNull();
    const table = row!.processes!;
    expect(table.source).toBe('process-exporter');
    expect(table.processes).toEqual([]);
    const exporter = table.groups.find((g) => g.command === 'prometheus-proc' || g.command.startsWith('prometheus-pro'));
    expect(exporter, `groups: ${table.groups.map((g) => g.command).join(', ')}`).toBeDefined();
    expect(exporter!.count).toBe(1);
    expect(exporter!.memoryBytes).toBeGreaterThan(1024 * 1024);
    expect(table.total).toBeGreaterThan(1);
  });

  it('alone on its host, is a row of its own with the groups', { timeout: 40_000 }, async () => {
    const processes = await startProcessExporter();
    cleanups.push(() => processes.stop());
    const pipeline = startPipeline([processes.url]);
    await expect.poll(() => (pipeline.store.nodes()[0]?.processes?.groups.length ?? 0) > 0, UNTIL).toBe(true);
    expect(pipeline.store.nodes()).toHaveLength(1);
    expect(pipeline.store.nodes()[0]!.source).toBe('app');
  });
});

describe.runIf(process.platform === 'linux')('the agent through the pipeline', () => {
  it('puts its processes on its own row, with CPU % from the second scrape', { timeout: 30_000 }, async () => {
    const agent = await startAgentServer({
      host: '127.0.0.1',
      port: 0,
      reader: thisMachineReader(),
      processes: { table: new ProcessTable(new ProcessReader()), top: 10, args: false },
    });
    cleanups.push(() => agent.close());
    const pipeline = startPipeline([agent.url]);
    await expect.poll(() => pipeline.store.nodes()[0]?.processes?.processes.some((p) => p.cpuPercent !== null) ?? false, UNTIL).toBe(true);
    const [row] = pipeline.store.nodes();
    expect(row!.name).toBe(hostname());
    expect(row!.processes!.source).toBe('agent');
    expect(row!.processes!.processes.length).toBeLessThanOrEqual(20);
    expect(row!.processes!.processes.every((p) => p.pid !== null && p.user !== null && p.args === null)).toBe(true);
    expect(row!.processes!.groups.length).toBeGreaterThan(0);
  });
});

describe('process text from a foreign agent', () => {
  it('reaches the store visible, and a secret in a command line masked, whatever the agent sent', { timeout: 30_000 }, async () => {
    const comm = 'evil\u001b]0;pwned\u0007\u202e';
    const body = [
      'node_load1 0.5',
      `cluster_top_process_cpu_seconds_total{pid="7",comm="${comm}",user="r\u009boot"} 1`,
      `cluster_top_process_resident_memory_bytes{pid="7",comm="${comm}",user="r\u009boot"} 1024`,
      `cluster_top_process_info{pid="7",comm="${comm}",user="r\u009boot",ppid="1",state="S",args="db --password hunter2 --x\\n"} 1`,
      `cluster_top_process_group_processes{comm="${comm}"} 1`,
      '',
    ].join('\n');
    const endpoint = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body));
    cleanups.push(() => endpoint.close());
    const pipeline = startPipeline([endpoint.url]);
    await expect.poll(() => pipeline.store.nodes()[0]?.processes?.processes.length ?? 0, UNTIL).toBe(1);
    const table = pipeline.store.nodes()[0]!.processes!;
    const row = table.processes[0]!;
    expect(row.command).toBe('evil\\x1b]0;pwned\\x07\\u202e');
    expect(row.user).toBe('r\\u009boot');
    expect(row.args).toBe('db --password *** --x\\n');
    for (const r of [...table.processes, ...table.groups]) for (const text of [r.command, r.user ?? '', r.args ?? '']) expect(hasUnsafe(text)).toBe(false);
  });
});
