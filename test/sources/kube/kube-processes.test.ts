/**
 * What runs on a Kubernetes node: `cluster-top agent` on --node-exporter-port (its processes and
 * containers beside the node figures) and the real prometheus-process-exporter on --process-port,
 * both through the fake API server's node proxy.
 */
import { afterEach, describe, expect } from 'vitest';
import { containerFamilies, readContainerCgroups } from '../../../src/agent/cgroup-containers.js';
import { startAgentServer, type RunningAgent } from '../../../src/agent/agent-server.js';
import { ProcessReader } from '../../../src/sources/local/process-reader.js';
import { ProcessTable } from '../../../src/sources/local/process-table.js';
import { thisMachineReader } from '../../../src/sources/local/readers.js';
import type { KubeSource } from '../../../src/sources/kube/kube-source.js';
import { PROCESS_EXPORTER, startProcessExporter } from '../../helpers/process-exporter.js';
import type { RunningExporter } from '../../helpers/node-exporter.js';
import { requireBinary } from '../../helpers/real-binary.js';
import { it } from '../../helpers/temp-dir.js';
import { tree } from '../../agent/cgroup-tree.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver/index.js';
import { kubeSource, nodeNamed, T, WAIT } from './kube-helpers.js';

let agent: RunningAgent | undefined;
let exporter: RunningExporter | undefined;
let server: FakeApiServer | undefined;
let source: KubeSource | undefined;
afterEach(async () => {
  await source?.stop();
  await server?.close();
  await agent?.close();
  await exporter?.stop();
  agent = exporter = server = source = undefined;
});

describe.runIf(process.platform === 'linux')('the agent on --node-exporter-port', () => {
  it('gives the node figures, its processes and its containers; a node without an agent has none', { timeout: 30_000 }, async ({ tmp }) => {
    const paths = tree(tmp);
    agent = await startAgentServer({
      host: '127.0.0.1',
      port: 0,
      reader: thisMachineReader(),
      processes: { table: new ProcessTable(new ProcessReader()), top: 10, args: false },
      containers: async () => containerFamilies(await readContainerCgroups(paths)),
    });
    server = await startFakeApiServer({
      startTime: T,
      nodes: [{ name: 'n1', exporters: { 9105: `http://127.0.0.1:${agent.port}` } }, { name: 'n2' }],
      pods: [{ name: 'web', node: 'n1' }],
    });
    source = await kubeSource(server, { nodeExporterPort: 9105 });
    source.start();
    await expect.poll(() => source!.store.get('n1')?.processes?.processes.some((p) => p.cpuPercent !== null) ?? false, WAIT).toBe(true);
    const n1 = source.store.get('n1')!;
    expect(n1.source).toBe('node_exporter');
    expect(n1.processes!.source).toBe('agent');
    expect(n1.processes!.processes.every((p) => p.pid !== null && p.args === null)).toBe(true);
    expect(n1.processes!.groups.length).toBeGreaterThan(0);
    expect(n1.containers?.containers.map((c) => c.name).sort()).toEqual(['0123456789ab', 'shop-db-1', 'web']);
    // The pods pane still has the kubelet's pods.
    expect(n1.pods?.map((p) => p.name)).toEqual(['web']);
    expect(nodeNamed(source, 'n1').processes?.length).toBeGreaterThan(0);
    const n2 = source.store.get('n2')!;
    expect([n2.processes, n2.containers]).toEqual([null, null]);
  });
});

describe.runIf(requireBinary(PROCESS_EXPORTER))('the real process exporter on --process-port', () => {
  it('gives the node its process groups; they go when it stops answering', { timeout: 40_000 }, async () => {
    exporter = await startProcessExporter();
    server = await startFakeApiServer({ startTime: T, nodes: [{ name: 'n1', exporters: { 9256: `http://127.0.0.1:${exporter.port}` } }, { name: 'n2' }] });
    source = await kubeSource(server, { processPort: 9256 });
    source.start();
    await expect.poll(() => source!.store.get('n1')?.processes?.groups.some((g) => g.cpuPercent !== null) ?? false, WAIT).toBe(true);
    const table = source.store.get('n1')!.processes!;
    expect(table.source).toBe('process-exporter');
    const self = table.groups.find((g) => g.command.startsWith('prometheus-pro'));
    // Other process exporters may run on this machine beside the test's.
    expect(self, `groups: ${table.groups.map((g) => g.command).join(', ')}`).toBeDefined();
    expect(self!.count).toBeGreaterThanOrEqual(1);
    expect(self!.memoryBytes).toBeGreaterThan(1024 * 1024);
    // The kubelet stays the node's source, and n2 (nothing on 9256: the proxy answers 503) has no processes.
    expect(source.store.get('n1')!.source).toBe('kubelet');
    expect(source.store.get('n2')!.processes).toBeNull();
    const proxied = server.requests.map((r) => r.path);
    expect(proxied).toContain('/api/v1/nodes/n1:9256/proxy/metrics');
    await exporter.stop();
    exporter = undefined;
    await expect.poll(() => source!.store.get('n1')?.processes, WAIT).toBeNull();
  });
});
