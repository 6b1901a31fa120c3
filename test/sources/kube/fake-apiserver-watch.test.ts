import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getJson, watch, type WatchEvent } from './client.js';
import { startFakeApiServer, type FakeApiServer, type Node, type Status, type Table } from './fake-apiserver/index.js';

/** Watches on nodes: events as the watch cache sends them, resuming, selectors, bookmarks, timeouts, breaks, 410s. */

const summary = (e: WatchEvent<Node> | undefined): string => (e ? `${e.type} ${e.object.metadata.name}` : 'end');

describe('fake apiserver: watching nodes', () => {
  let server: FakeApiServer;

  beforeEach(async () => {
    server = await startFakeApiServer({ nodes: [{ name: 'a' }, { name: 'b' }] });
  });
  afterEach(() => server?.close());

  it('starts with the current nodes as ADDED, then streams ADDED, MODIFIED and DELETED', async () => {
    const w = await watch<Node>(server, '/api/v1/nodes?watch=1');
    expect(w.status).toBe(200);
    expect([summary(await w.next()), summary(await w.next())]).toEqual(['ADDED a', 'ADDED b']);
    server.addNode({ name: 'c' });
    const added = await w.next();
    expect(summary(added)).toBe('ADDED c');
    expect(added?.object).toMatchObject({ kind: 'Node', apiVersion: 'v1', metadata: { resourceVersion: server.resourceVersion() } });
    server.modifyNode('c', { unschedulable: true });
    const modified = await w.next();
    expect(summary(modified)).toBe('MODIFIED c');
    expect(modified?.object.spec.unschedulable).toBe(true);
    server.deleteNode('c');
    const deleted = await w.next();
    expect(summary(deleted)).toBe('DELETED c');
    expect(deleted?.object.metadata.resourceVersion).toBe(server.resourceVersion());
    w.close();
  });

  it('resumes from a resourceVersion with only what changed after it', async () => {
    const list = await getJson<{ metadata: { resourceVersion: string } }>(server, '/api/v1/nodes');
    server.modifyNode('a', { ready: false });
    server.addNode({ name: 'c' });
    const w = await watch<Node>(server, `/api/v1/nodes?watch=true&resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true`);
    expect([summary(await w.next()), summary(await w.next())]).toEqual(['MODIFIED a', 'ADDED c']);
    server.bookmark();
    const bookmark = await w.next();
    expect(bookmark).toEqual({
      type: 'BOOKMARK', object: { kind: 'Node', apiVersion: 'v1', metadata: { resourceVersion: server.resourceVersion(), creationTimestamp: null } },
    });
    w.close();
  });

  it('with a selector, shows a node leaving it as DELETED and entering it as ADDED', async () => {
    const w = await watch<Node>(server, '/api/v1/nodes?watch=1&labelSelector=pool%3Dgpu');
    server.modifyNode('a', { labels: { pool: 'gpu' } });
    expect(summary(await w.next())).toBe('ADDED a');
    server.modifyNode('b', { cpu: 8 });
    server.modifyNode('a', { labels: {} });
    expect(summary(await w.next())).toBe('DELETED a');
    w.close();
  });

  it('sends kubectl-style tables with the column definitions in the first event only', async () => {
    const w = await watch<Table>(server, '/api/v1/nodes?watch=1', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
    const first = await w.next();
    const second = await w.next();
    expect(first?.object.columnDefinitions?.length).toBe(10);
    expect(second?.object.columnDefinitions).toBeNull();
    expect(second?.object.rows.map((r) => r.cells.slice(0, 2))).toEqual([['b', 'Ready']]);
    w.close();
  });

  it('ends the stream at timeoutSeconds', async () => {
    const w = await watch<Node>(server, '/api/v1/nodes?watch=1&timeoutSeconds=1');
    expect([summary(await w.next()), summary(await w.next()), summary(await w.next())]).toEqual(['ADDED a', 'ADDED b', 'end']);
    expect(server.openWatches).toBe(0);
  });

  it.each([false, true])('ends every open watch on a break (abrupt: %s), so clients reconnect', async (abrupt) => {
    const w1 = await watch<Node>(server, '/api/v1/nodes?watch=1');
    const w2 = await watch<Node>(server, '/api/v1/nodes?watch=1&fieldSelector=metadata.name%3Da');
    expect([summary(await w1.next()), summary(await w1.next()), summary(await w2.next())]).toEqual(['ADDED a', 'ADDED b', 'ADDED a']);
    expect(server.openWatches).toBe(2);
    server.breakWatches({ abrupt });
    expect([summary(await w1.next()), summary(await w2.next())]).toEqual(['end', 'end']);
    expect(server.openWatches).toBe(0);
  });

  it('answers a too-old resourceVersion with a 410 Expired ERROR event, as the watch cache does', async () => {
    const old = server.resourceVersion();
    server.modifyNode('a', { cpu: 2 });
    server.compact();
    const w = await watch<Status>(server, `/api/v1/nodes?watch=1&resourceVersion=${old}`);
    expect(w.status).toBe(200);
    expect(await w.next()).toEqual({
      type: 'ERROR',
      object: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
        message: `too old resource version: ${old} (${server.resourceVersion()})`, reason: 'Expired', code: 410,
      },
    });
    expect(await w.next()).toBeUndefined();
    const current = await watch<Node>(server, `/api/v1/nodes?watch=1&resourceVersion=${server.resourceVersion()}`);
    server.addNode({ name: 'c' });
    expect(summary(await current.next())).toBe('ADDED c');
    current.close();
  });
});
