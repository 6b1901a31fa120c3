/**
 * The agent asks Docker's API socket for what the cgroup does not say (restart counts; names where
 * the state files are not readable), here a fake Engine on a unix socket answering with a captured
 * `docker inspect` (fake-docker.ts). A scrape never waits for it, and bad answers (huge, garbage,
 * held open) are dropped within their bounds.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { containerFamilies, readContainerCgroups } from '../../src/agent/cgroup-containers.js';
import { renderExposition } from '../../src/agent/exposition-text.js';
import { openRuntimeApis, parseInspect, RuntimeApi } from '../../src/agent/runtime-api.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { CONTAINER_FAMILIES, ContainerDeriver } from '../../src/metrics/cadvisor.js';
import { it } from '../helpers/temp-dir.js';
import { DOCKER_ID, PODMAN_ID, tree } from './cgroup-tree.js';
import { inspectOf, startFakeDocker, type FakeDocker } from './fake-docker.js';

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A tree whose Docker container has no readable config.v2.json: its name can come from the API only. */
function treeWithoutDockerState(tmp: string) {
  const paths = tree(tmp);
  rmSync(join(paths.dockerRoot, 'containers', DOCKER_ID), { recursive: true });
  return paths;
}

describe("the runtime's API socket", () => {
  it('reads the captured inspect: restart count, name, image, compose labels, start', () => {
    const facts = parseInspect(JSON.stringify(inspectOf(DOCKER_ID, { name: 'shop-db-1', restarts: 3, image: 'postgres:16', labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db', other: 'x' } })));
    expect(facts).toEqual({
      restarts: 3,
      name: 'shop-db-1',
      image: 'postgres:16',
      // The captured container's own start.
      startedAtSeconds: Date.parse('2019-03-07T03:59:12.405Z') / 1000,
      labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db' },
    });
    // The environment of the capture is never kept.
    expect(JSON.stringify(facts)).not.toContain('CENCONFIG');
    for (const bad of ['', 'null', '[]', '"x"', '{"RestartCount": -1}', '{"RestartCount": 1e300}', '\u001b]52;c;eA==\u0007']) expect(parseInspect(bad)?.restarts ?? null).toBeNull();
  });

  it('serves the restart count and the name once the API has answered; the first scrape does not wait', async ({ tmp }) => {
    fake = await startFakeDocker(tmp);
    fake.containers.set(DOCKER_ID, { name: 'shop-db-1', restarts: 3, image: 'postgres:16', labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db' } });
    const paths = treeWithoutDockerState(tmp);
    const docker = new RuntimeApi({ socketPath: fake.socketPath });
    const first = await readContainerCgroups(paths, { docker });
    // Not known yet: the id's first 12 characters, as `docker ps` shows it, and no count.
    expect(first.find((c) => c.id === DOCKER_ID)).toMatchObject({ runtime: 'docker', name: DOCKER_ID.slice(0, 12), restarts: null });
    await docker.settled();
    const second = await readContainerCgroups(paths, { docker });
    expect(second.find((c) => c.id === DOCKER_ID)).toMatchObject({ name: 'shop-db-1', image: 'postgres:16', composeProject: 'shop', composeService: 'db', restarts: 3 });
    // Only the Docker container was asked about (Podman's and the kubelet's are not Docker's), once.
    expect(fake.requests).toEqual([`/containers/${DOCKER_ID}/json`]);

    const text = renderExposition(containerFamilies(second));
    expect(text).toContain('# TYPE cluster_top_container_restarts_total counter');
    expect(text).toMatch(/^cluster_top_container_restarts_total\{[^}]*name="shop-db-1"[^}]*\} 3$/m);
    const table = new ContainerDeriver().update(parseExposition(text, { families: CONTAINER_FAMILIES }).samples, 1_000);
    expect(table.containers.find((c) => c.name === 'shop-db-1')).toMatchObject({ restarts: 3, restartsCounted: 'total' });
    // Podman's container has no socket here: its restarts are those seen, from its cgroup's date.
    expect(table.containers.find((c) => c.name === 'web')).toMatchObject({ restarts: 0, restartsCounted: 'seen' });
  });

  it("asks Podman's socket (its Docker-compatible API) about Podman's containers only", async ({ tmp }) => {
    fake = await startFakeDocker(tmp);
    fake.containers.set(PODMAN_ID, { name: 'web', restarts: 4 });
    const podman = new RuntimeApi({ socketPath: fake.socketPath });
    const paths = tree(tmp);
    await readContainerCgroups(paths, { podman });
    await podman.settled();
    const read = await readContainerCgroups(paths, { podman });
    expect(read.find((c) => c.id === PODMAN_ID)).toMatchObject({ runtime: 'podman', name: 'web', restarts: 4 });
    // Docker's container keeps config.v2.json's count; nobody asked Podman about it.
    expect(read.find((c) => c.id === DOCKER_ID)).toMatchObject({ restarts: 2 });
    expect(fake.requests).toEqual([`/containers/${PODMAN_ID}/json`]);
  });

  it('asks again after the refresh time, and keeps the last answer when an answer fails', async ({ tmp }) => {
    fake = await startFakeDocker(tmp);
    fake.containers.set(DOCKER_ID, { name: 'api', restarts: 1 });
    let now = 0;
    const docker = new RuntimeApi({ socketPath: fake.socketPath, refreshMs: 10_000, now: () => now });
    docker.facts(DOCKER_ID);
    await docker.settled();
    expect(docker.facts(DOCKER_ID)?.restarts).toBe(1);
    fake.containers.set(DOCKER_ID, { name: 'api', restarts: 2 });
    now = 9_999;
    expect(docker.facts(DOCKER_ID)?.restarts).toBe(1);
    expect(fake.requests).toHaveLength(1);
    now = 10_000;
    docker.facts(DOCKER_ID);
    await docker.settled();
    expect(docker.facts(DOCKER_ID)?.restarts).toBe(2);
    fake.mode = 'garbage';
    now = 20_000;
    docker.facts(DOCKER_ID);
    await docker.settled();
    expect(fake.requests).toHaveLength(3);
    expect(docker.facts(DOCKER_ID)?.restarts).toBe(2);
    // Gone from the cgroups: forgotten.
    docker.keepOnly(new Set());
    expect(docker.facts(DOCKER_ID)).toBeUndefined();
  });

  it('drops an answer past its size, cutting the connection', async ({ tmp }) => {
    fake = await startFakeDocker(tmp);
    fake.containers.set(DOCKER_ID, { name: 'api', restarts: 1 });
    fake.mode = 'huge';
    const docker = new RuntimeApi({ socketPath: fake.socketPath, maxBytes: 64 * 1024 });
    docker.facts(DOCKER_ID);
    await docker.settled();
    expect(docker.facts(DOCKER_ID)).toBeUndefined();
    // Cut at 64 KiB of the 4 MiB the Engine would send.
    await fake.abortedAtLeast(1);
    expect(fake.aborted).toBe(1);
  });

  it('a runtime that holds its answer holds no scrape, and is dropped at the deadline', async ({ tmp }) => {
    fake = await startFakeDocker(tmp);
    fake.containers.set(DOCKER_ID, { name: 'shop-db-1', restarts: 3 });
    fake.mode = 'hold';
    const paths = treeWithoutDockerState(tmp);
    const docker = new RuntimeApi({ socketPath: fake.socketPath, timeoutMs: 300 });
    // Two reads end while the runtime still holds its answer.
    for (let i = 0; i < 2; i++) {
      const read = await readContainerCgroups(paths, { docker });
      expect(read.find((c) => c.id === DOCKER_ID)?.restarts).toBeNull();
    }
    expect(fake.requests).toHaveLength(1);
    await docker.settled();
    await fake.abortedAtLeast(1);
    expect(fake.aborted).toBe(1);
    expect(docker.facts(DOCKER_ID)).toBeUndefined();
  });

  it('a socket nobody listens on, or none at all, is no runtime', async ({ tmp }) => {
    expect(await openRuntimeApis({ docker: join(tmp, 'missing.sock'), podman: join(tmp, 'none.sock') })).toEqual({});
    fake = await startFakeDocker(tmp);
    const apis = await openRuntimeApis({ docker: fake.socketPath });
    expect(Object.keys(apis)).toEqual(['docker']);
    // A container the Engine does not know: its 404 leaves the facts unknown.
    apis.docker?.facts(DOCKER_ID);
    await apis.docker?.settled();
    expect(apis.docker?.facts(DOCKER_ID)).toBeUndefined();
  });
});
