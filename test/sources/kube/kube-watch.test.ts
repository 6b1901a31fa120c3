import { afterEach, describe, expect, it } from 'vitest';
import type { KubeSource } from '../../../src/sources/kube/kube-source.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver/index.js';
import { kubeSource, nodeNamed, snapshot, T, WAIT } from './kube-helpers.js';

/** A running KubeSource keeps the node list current through a watch, across breaks and expiries. */

const names = (source: KubeSource): string => snapshot(source).map((n) => n.name).join(',');

describe('KubeSource: watching nodes', () => {
  let server: FakeApiServer;
  let source: KubeSource | undefined;
  afterEach(async () => {
    await source?.stop();
    await server?.close();
    source = undefined;
  });

  const lists = (): number => server.requests.filter((r) => r.path.startsWith('/api/v1/nodes?') && !r.path.includes('watch=')).length;
  const watches = (): string[] => server.requests.filter((r) => r.path.startsWith('/api/v1/nodes?') && r.path.includes('watch=1')).map((r) => r.path);
  /** The source watches the nodes and the pods (kube-pods.ts): two watches open. */
  const BOTH = 2;

  it('shows a node that joins and drops one that leaves, without a restart', async () => {
    server = await startFakeApiServer({ startTime: T, nodes: [{ name: 'a' }, { name: 'b' }] });
    source = await kubeSource(server, { intervalMs: 200 });
    source.start();
    await expect.poll(() => names(source!), WAIT).toBe('a,b');
    await expect.poll(() => server.openWatches, WAIT).toBe(BOTH);
    expect(watches()[0]).toMatch(/^\/api\/v1\/nodes\?watch=1&resourceVersion=\d+&allowWatchBookmarks=true&timeoutSeconds=\d+$/);

    server.addNode({ name: 'c', roles: ['gpu'] });
    await expect.poll(() => names(source!), WAIT).toBe('a,b,c');
    await expect.poll(() => nodeNamed(source!, 'c').up, WAIT).toBe(true);
    expect(nodeNamed(source, 'c').kubernetes?.roles).toEqual(['gpu']);

    server.modifyNode('b', { unschedulable: true });
    await expect.poll(() => nodeNamed(source!, 'b').kubernetes?.cordoned, WAIT).toBe(true);
    server.deleteNode('a');
    await expect.poll(() => names(source!), WAIT).toBe('b,c');
    // One list at the start; the rest came through the one watch.
    expect(lists()).toBe(1);
    expect(source.notice).toBeUndefined();
  });

  it('lists again when the watch connection breaks', async () => {
    server = await startFakeApiServer({ startTime: T, nodes: [{ name: 'a' }] });
    source = await kubeSource(server, { intervalMs: 200 });
    source.start();
    await expect.poll(() => server.openWatches, WAIT).toBe(BOTH);
    server.breakWatches({ abrupt: true });
    server.addNode({ name: 'b' });
    await expect.poll(() => names(source!), WAIT).toBe('a,b');
    expect(lists()).toBe(2);
    await expect.poll(() => server.openWatches, WAIT).toBe(BOTH);
  });

  it('resumes a watch the server ended, and lists again when that resourceVersion has expired (410)', async () => {
    server = await startFakeApiServer({ startTime: T, nodes: [{ name: 'a' }] });
    source = await kubeSource(server, { intervalMs: 200 });
    source.start();
    await expect.poll(() => server.openWatches, WAIT).toBe(BOTH);
    // Ended cleanly (as at its timeoutSeconds): resumed from the last resourceVersion, no list.
    server.breakWatches();
    server.addNode({ name: 'b' });
    await expect.poll(() => names(source!), WAIT).toBe('a,b');
    expect(lists()).toBe(1);
    await expect.poll(() => server.openWatches, WAIT).toBe(BOTH);

    // Ended, and meanwhile the history it would resume from is compacted away: 410 Expired, list again.
    server.breakWatches();
    server.deleteNode('a');
    server.compact();
    await expect.poll(() => names(source!), WAIT).toBe('b');
    expect(lists()).toBe(2);
    expect(source.notice).toBeUndefined();
  });
});
