import { afterEach, describe, expect, it } from 'vitest';
import type { KubeSource } from '../../../src/sources/kube/kube-source.js';
import { NODE_EXPORTER, startNodeExporter, type RunningExporter } from '../../helpers/node-exporter.js';
import { requireBinary } from '../../helpers/real-binary.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver/index.js';
import { kubeSource, nodeNamed, T } from './kube-helpers.js';

/** --node-exporter-port: the full node view from a real node_exporter, reached through the API server's proxy. */

describe.runIf(requireBinary(NODE_EXPORTER))('KubeSource with node_exporter on the nodes', () => {
  let exporter: RunningExporter | undefined;
  let server: FakeApiServer | undefined;
  let source: KubeSource | undefined;
  afterEach(async () => {
    await source?.stop();
    await server?.close();
    await exporter?.stop();
  });

  it('takes the node figures from node_exporter and the pods from the kubelet; a node without one keeps the kubelet\'s', async () => {
    exporter = await startNodeExporter();
    server = await startFakeApiServer({
      startTime: T,
      nodes: [{ name: 'n1', exporters: { 9100: `http://127.0.0.1:${exporter.port}` } }, { name: 'n2', cpu: 2 }],
      pods: [{ name: 'web', node: 'n1' }],
    });
    source = await kubeSource(server, { nodeExporterPort: 9100, intervalMs: 1000 });
    await source.collectOnce();

    const n1 = nodeNamed(source, 'n1');
    expect(n1).toMatchObject({ source: 'node_exporter', up: true, target: `${server.url}/api/v1/nodes/n1:9100/proxy/metrics` });
    expect(n1.cpu?.usagePercent).toEqual(expect.any(Number));
    expect(n1.cpu?.perCoreUsagePercent?.length).toBe(n1.cpu?.cores);
    for (const group of [n1.load, n1.memory, n1.network, n1.disk, n1.filesystem, n1.uptimeSeconds]) expect(group).not.toBeNull();
    expect(n1.kubernetes).toMatchObject({ ready: true, podCount: 1 });
    expect(source.store.get('n1')?.pods?.map((p) => p.name)).toEqual(['web']);

    // Nothing listens on n2's port 9100 (the proxy answers 503): the kubelet's figures stand in.
    const n2 = nodeNamed(source, 'n2');
    expect(n2).toMatchObject({ source: 'kubelet', up: true, load: null, cpu: { cores: 2 } });
    const proxied = server.requests.filter((r) => r.path.includes('/proxy/')).map((r) => `${r.path} ${r.status}`);
    expect(proxied).toContain('/api/v1/nodes/n2:9100/proxy/metrics 503');
  });
});
