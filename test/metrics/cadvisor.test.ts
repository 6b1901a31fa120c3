import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/exposition/parser.js';
import { CONTAINER_FAMILIES, ContainerDeriver, hasContainerFamilies } from '../../src/metrics/cadvisor.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/cadvisor/${name}`, import.meta.url), 'utf8');

/** The payload with every sample's value and timestamp moved: `+cpuSeconds` on counters, `+ms` on stamps. */
function later(text: string, addValue: number, addMs: number): string {
  return text.replace(/^(container_\w+\{.*\}) (\S+) (\d+)$/gm, (_m, head: string, value: string, ts: string) => `${head} ${Number(value) + addValue} ${Number(ts) + addMs}`);
}

describe('ContainerDeriver on real cAdvisor payloads', () => {
  it('reads the live Docker host: one named container of 38 cgroups, its CPU rate from the stamps', () => {
    const text = fixture('live-docker-host-cpu.prom');
    const first = parseExposition(text, { families: CONTAINER_FAMILIES });
    expect(hasContainerFamilies(first.samples)).toBe(true);
    const d = new ContainerDeriver();
    const t1 = d.update(first.samples, 1_000);
    expect(t1.unnamed).toBe(37);
    expect(t1.containers.map((c) => c.name)).toEqual(['pix2pi_cadvisor']);
    const c1 = t1.containers[0]!;
    expect(c1.image).toBe('gcr.io/cadvisor/cadvisor:latest');
    expect(c1.id).toMatch(/^\/system\.slice\/docker-abeb5a39.*\.scope$/);
    expect(c1.composeService).toBeNull(); // the labels are there, empty: not a compose container
    expect(c1.cpuPercent).toBeNull();
    // 0.5 s of CPU over 2 s of the samples' own time, whatever the scrape times say.
    const second = parseExposition(later(text, 0.5, 2_000), { families: CONTAINER_FAMILIES });
    const c2 = d.update(second.samples, 1_000 + 60_000).containers[0]!;
    expect(c2.cpuPercent).toBeCloseTo(25, 6);
  });

  it("reads cAdvisor's own exporter output: per-CPU usage summed, fs bytes, network, memory", () => {
    const text = fixture('cadvisor-testdata.prom');
    const parsed = parseExposition(text, { families: CONTAINER_FAMILIES });
    const d = new ContainerDeriver();
    const t1 = d.update(parsed.samples, 0);
    expect(t1.containers).toHaveLength(1);
    const c = t1.containers[0]!;
    expect(c).toMatchObject({ name: 'testcontaineralias', image: 'test', memoryBytes: 9, memoryLimitBytes: null, startedAtMs: 1.257895e12 });
    const next = parseExposition(later(text, 1, 1_000), { families: CONTAINER_FAMILIES });
    const c2 = d.update(next.samples, 0).containers[0]!;
    // Four per-CPU series, each one second more over one second: four cores.
    expect(c2.cpuPercent).toBeCloseTo(400, 4);
    expect(c2.receiveBytesPerSecond).toBeCloseTo(1, 6);
    expect(c2.transmitBytesPerSecond).toBeCloseTo(1, 6);
    // fs_reads_bytes (one device) is read before blkio's operation="Read".
    expect(c2.readBytesPerSecond).toBeCloseTo(1, 6);
    expect(c2.writtenBytesPerSecond).toBeCloseTo(1, 6);
  });

  it('keeps the heaviest containers only, and reads the compose labels and limits', () => {
    const lines: string[] = [];
    for (let i = 0; i < 130; i++) {
      const labels = `container_label_com_docker_compose_project="shop",container_label_com_docker_compose_service="svc${i}",id="/docker/${i}",image="img",name="c${i}"`;
      lines.push(`container_memory_working_set_bytes{${labels}} ${i * 1000}`);
      lines.push(`container_spec_memory_limit_bytes{${labels}} ${i % 2 === 0 ? 0 : 1e9}`);
    }
    const table = new ContainerDeriver().update(parseExposition(lines.join('\n') + '\n').samples, 0);
    expect(table.containers).toHaveLength(100);
    expect(table.omitted).toBe(30);
    expect(table.containers[0]).toMatchObject({ name: 'c129', composeProject: 'shop', composeService: 'svc129', memoryLimitBytes: 1e9 });
    expect(table.containers[1]!.memoryLimitBytes).toBeNull();
  });

  it('counts the restarts it sees (the same name started later), as "seen"; the agent\'s count as "total"', () => {
    const text = fixture('cadvisor-testdata.prom');
    const START = 'container_start_time_seconds{container_env_foo_env="prod",container_label_foo_label="bar",id="testcontainer",image="test",name="testcontaineralias",zone_name="hello"}';
    expect(text).toContain(`${START} 1.257895e+09`);
    const d = new ContainerDeriver();
    const read = (payload: string) => d.update(parseExposition(payload, { families: CONTAINER_FAMILIES }).samples, 0).containers[0]!;
    expect(read(text)).toMatchObject({ restarts: 0, restartsCounted: 'seen' });
    expect(read(text)).toMatchObject({ restarts: 0, restartsCounted: 'seen' });
    // Started again an hour later, then again; a start time half a second off is the same start.
    const started = (at: number) => text.replace(`${START} 1.257895e+09`, `${START} ${at}`);
    expect(read(started(1.257895e9 + 3600))).toMatchObject({ restarts: 1, restartsCounted: 'seen' });
    expect(read(started(1.257895e9 + 3600.5))).toMatchObject({ restarts: 1 });
    expect(read(started(1.257895e9 + 7200))).toMatchObject({ restarts: 2 });
    // Gone for a scrape (restarting), back with a new start: still counted.
    expect(d.update([], 0).containers).toHaveLength(0);
    expect(read(started(1.257895e9 + 9000))).toMatchObject({ restarts: 3 });
    // Two cgroups under one name in one scrape (the old one not yet gone): the latest start counts, once.
    const both = `${started(1.257895e9 + 9000)}container_start_time_seconds{id="testcontainer-old",image="test",name="testcontaineralias"} 1.257895e+09\n`;
    for (let i = 0; i < 3; i++) expect(d.update(parseExposition(both, { families: CONTAINER_FAMILIES }).samples, 0).containers.map((c) => c.restarts)).toEqual([3, 3]);
    // The agent's own count, where it serves one, is the runtime's total.
    const withTotal = `${text}cluster_top_container_restarts_total{id="testcontainer",image="test",name="testcontaineralias"} 7\n`;
    expect(read(withTotal)).toMatchObject({ restarts: 7, restartsCounted: 'total' });
    // A payload without start times says nothing of restarts.
    const none = new ContainerDeriver().update(parseExposition(text.replace(/^container_start_time_seconds.*$/m, ''), { families: CONTAINER_FAMILIES }).samples, 0);
    expect(none.containers[0]).toMatchObject({ restarts: null, restartsCounted: null });
  });
});
