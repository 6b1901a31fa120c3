import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAgentServer, type RunningAgent } from '../../src/agent/agent-server.js';
import { thisMachineReader } from '../../src/sources/local/readers.js';
import { ProcessReader } from '../../src/sources/local/process-reader.js';
import { ProcessTable } from '../../src/sources/local/process-table.js';
import { PROMETHEUS, startPrometheus, type RunningPrometheus } from '../helpers/prometheus-server.js';
import { requireBinary } from '../helpers/real-binary.js';

const TOKEN = 'prometheus-scrape-token-51c7';

describe.runIf(requireBinary(PROMETHEUS))('the real Prometheus scraping the agent', () => {
  let open: RunningAgent;
  let guarded: RunningAgent;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    open = await startAgentServer({
      host: '127.0.0.1',
      port: 0,
      reader: thisMachineReader(),
      processes: { table: new ProcessTable(new ProcessReader()), top: 5, args: false },
    });
    guarded = await startAgentServer({ host: '127.0.0.1', port: 0, reader: thisMachineReader(), token: TOKEN });
    prometheus = await startPrometheus((dir) => {
      writeFileSync(join(dir, 'token'), TOKEN);
      return [
        'global: { scrape_interval: 1s, scrape_timeout: 1s }',
        'scrape_configs:',
        `  - job_name: agent`,
        `    static_configs: [{ targets: ['127.0.0.1:${open.port}'] }]`,
        `  - job_name: agent-token`,
        `    authorization: { credentials_file: ${join(dir, 'token')} }`,
        `    static_configs: [{ targets: ['127.0.0.1:${guarded.port}'] }]`,
        '',
      ].join('\n');
    });
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await open?.close();
    await guarded?.close();
  });

  it('ingests it: up is 1 for both jobs, and MemTotal is this machine\'s', async () => {
    const memTotal = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]) * 1024;
    const { up, ingested } = await vi.waitFor(
      async () => {
        const up = Object.fromEntries((await prometheus.query('up')).map((r) => [r.metric.job ?? '', r.value[1]]));
        const ingested = Object.fromEntries((await prometheus.query('node_memory_MemTotal_bytes')).map((r) => [r.metric.job ?? '', r.value[1]]));
        expect(up).toEqual({ agent: '1', 'agent-token': '1' });
        expect([ingested.agent, ingested['agent-token']].every(Boolean), `MemTotal ingested for both jobs: ${JSON.stringify(ingested)}`).toBe(true);
        return { up, ingested };
      },
      { timeout: 40_000, interval: 200 },
    );
    expect(up).toEqual({ agent: '1', 'agent-token': '1' });
    expect(Number(ingested.agent)).toBe(memTotal);
    expect(Number(ingested['agent-token'])).toBe(memTotal);
    const cores = await prometheus.query('count by (job) (count by (job, cpu) (node_cpu_seconds_total))');
    expect(cores.map((r) => Number(r.value[1]))).toEqual([cpus().length, cpus().length]);
    const root = await prometheus.query('node_filesystem_size_bytes{job="agent",mountpoint="/"}');
    expect(root).toHaveLength(1);
  }, 60_000);

  it('ingests the process families: the top processes with pid, comm and user, and the group totals', async () => {
    const series = await vi.waitFor(
      async () => {
        const cpu = await prometheus.query('cluster_top_process_cpu_seconds_total{job="agent"}');
        expect(cpu.length).toBeGreaterThan(0);
        return cpu;
      },
      { timeout: 40_000, interval: 200 },
    );
    expect(series.length).toBeLessThanOrEqual(10);
    for (const s of series) {
      expect(s.metric.pid).toMatch(/^\d+$/);
      expect(s.metric.comm).toBeTruthy();
      expect(s.metric.user).toBeTruthy();
    }
    // Every process is in one group: the groups' counts add up to the machine's total.
    const [sum] = await prometheus.query('sum(cluster_top_process_group_processes{job="agent"})');
    const [total] = await prometheus.query('cluster_top_processes{job="agent"}');
    expect(Number(sum?.value[1])).toBe(Number(total?.value[1]));
    expect(Number(total?.value[1])).toBeGreaterThan(1);
  }, 60_000);
});
