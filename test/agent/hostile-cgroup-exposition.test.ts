/**
 * The agent's cgroup reader fed hostile runtime state (test/security/hostile-cgroup.ts): what it
 * serves is still one sample a line, which Prometheus' text parser reads back to the very texts the
 * runtimes hold (a CR, which the format cannot carry, as the two characters `\r`), the longest cut
 * to MAX_LABEL_CHARS. Making them visible is the viewer's job, at the screen (the hostile tour).
 */
import { describe, expect } from 'vitest';
import { MAX_LABEL_CHARS } from '../../src/agent/cgroup-containers.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { RESTARTS_FAMILY } from '../../src/metrics/container-stats.js';
import { it } from '../helpers/temp-dir.js';
import { API_ID, CGROUP_TEXT as T, HUGE_IMAGE, hostileAgentPayload } from '../security/hostile-cgroup.js';

describe("hostile runtime state through the agent's exposition", () => {
  it('is served one sample a line, and read back to the texts the runtimes hold', async ({ tmp }) => {
    const payload = await hostileAgentPayload(tmp);
    const lines = payload.trimEnd().split('\n');
    // No label value breaks a line: every line is a comment or one whole sample.
    for (const line of lines) expect(line.startsWith('# ') || /^[a-z_]+\{.*\} [0-9.e+-]+$/.test(line), line).toBe(true);
    expect(lines.filter((l) => l.startsWith('FAKE-ROW'))).toEqual([]);
    const { samples } = parseExposition(payload);
    expect(samples.length).toBe(lines.filter((l) => !l.startsWith('#')).length);
    const byName = new Map(samples.filter((s) => s.name === 'container_memory_working_set_bytes').map((s) => [s.labels['name'], s.labels]));
    expect(byName.get(T.dockerName)).toMatchObject({ image: T.dockerImage, container_label_com_docker_compose_project: T.dockerProject, container_label_com_docker_compose_service: T.dockerService });
    expect(byName.has(T.podmanName.replace('\r', '\\r'))).toBe(true);
    const api = byName.get(T.apiName);
    expect(api).toMatchObject({ id: `/system.slice/docker-${API_ID}.scope`, container_label_com_docker_compose_service: T.apiService });
    // 100,003 characters from the API, served as the first 255 and an ellipsis.
    expect(api?.['image']).toBe(`${HUGE_IMAGE.slice(0, MAX_LABEL_CHARS - 1)}…`);
    expect(samples.find((s) => s.name === RESTARTS_FAMILY && s.labels['name'] === T.apiName)?.value).toBe(5);
    expect(samples.find((s) => s.name === RESTARTS_FAMILY && s.labels['name'] === T.dockerName)?.value).toBe(1);
  });
});
