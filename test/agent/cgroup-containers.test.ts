/** The agent's containers from a fake cgroup v2 tree (cgroup-tree.ts), read back through the same reader that reads cAdvisor. */
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { containerFamilies, hasCgroupV2, readContainerCgroups } from '../../src/agent/cgroup-containers.js';
import { renderExposition } from '../../src/agent/exposition-text.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { CONTAINER_FAMILIES, ContainerDeriver } from '../../src/metrics/cadvisor.js';
import { it } from '../helpers/temp-dir.js';
import { DOCKER_ID, PODMAN_ID, tree } from './cgroup-tree.js';

describe('the agent reads containers from cgroup v2', () => {
  it('finds Docker, Podman and kubepods containers, with their figures and names', async ({ tmp }) => {
    const paths = tree(tmp);
    expect(await hasCgroupV2(paths.cgroupRoot)).toBe(true);
    expect(await hasCgroupV2(join(tmp, 'nowhere'))).toBe(false);
    const found = await readContainerCgroups(paths);
    const byName = new Map(found.map((c) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(['0123456789ab', 'shop-db-1', 'web']);
    const db = byName.get('shop-db-1')!;
    expect(db).toMatchObject({
      path: `/system.slice/docker-${DOCKER_ID}.scope`,
      image: 'postgres:16',
      composeProject: 'shop',
      composeService: 'db',
      startedAtSeconds: Date.parse('2026-12-07T10:00:00.123Z') / 1000,
      // config.v2.json's RestartCount (no API socket in this test).
      restarts: 2,
      runtime: 'docker',
      cpuSeconds: 1,
      // memory.current less inactive_file.
      workingSetBytes: 34255073280 - 20126994432,
      limitBytes: 34359738368,
      readBytes: 1459200 + 90430464,
      writtenBytes: 314773504 + 299008000,
    });
    // Loopback left out; the container's interfaces as its first process sees them.
    expect(db.network.map((n) => n.device)).toEqual(['wlp4s0', 'docker0', 'em1']);
    expect(byName.get('web')).toMatchObject({ runtime: 'podman', restarts: null, limitBytes: null, workingSetBytes: 0, image: 'a1b2c3', network: [] });
    expect(byName.get('0123456789ab')).toMatchObject({ runtime: 'cri', restarts: null });
  });

  it("dates a container no runtime dates by its cgroup's directory, as cAdvisor does", async ({ tmp }) => {
    const paths = tree(tmp);
    const made = Date.parse('2026-12-01T08:30:00Z') / 1000;
    utimesSync(join(paths.cgroupRoot, `machine.slice/libpod-${PODMAN_ID}.scope`), made, made);
    const found = await readContainerCgroups(paths);
    expect(found.find((c) => c.name === 'web')?.startedAtSeconds).toBe(made);
    // Docker's own start time wins over its cgroup's date.
    expect(found.find((c) => c.name === 'shop-db-1')?.startedAtSeconds).toBe(Date.parse('2026-12-07T10:00:00.123Z') / 1000);
  });

  it("serves them in cAdvisor's names, which the cAdvisor reader reads back, and nothing of the environment", async ({ tmp }) => {
    const paths = tree(tmp);
    const text = renderExposition(containerFamilies(await readContainerCgroups(paths)));
    expect(text).not.toContain('s3cret');
    expect(text).toContain('container_cpu_usage_seconds_total{container_label_com_docker_compose_project="shop",container_label_com_docker_compose_service="db"');
    const d = new ContainerDeriver();
    const first = d.update(parseExposition(text, { families: CONTAINER_FAMILIES }).samples, 1_000);
    expect(first.unnamed).toBe(0);
    expect(first.containers.map((c) => c.name).sort()).toEqual(['0123456789ab', 'shop-db-1', 'web']);
    const db = first.containers.find((c) => c.name === 'shop-db-1')!;
    expect(db).toMatchObject({ composeService: 'db', memoryLimitBytes: 34359738368, memoryBytes: 34255073280 - 20126994432 });
    // One more second of CPU over two seconds: 50 %.
    const later = text.replace(/^(container_cpu_usage_seconds_total\{.*name="shop-db-1"[^}]*\}) (\S+)$/m, (_m, head: string, v: string) => `${head} ${Number(v) + 1}`);
    const second = d.update(parseExposition(later, { families: CONTAINER_FAMILIES }).samples, 3_000);
    expect(second.containers.find((c) => c.name === 'shop-db-1')!.cpuPercent).toBeCloseTo(50, 6);
  });
});
