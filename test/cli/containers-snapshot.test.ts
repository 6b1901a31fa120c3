/**
 * `--once -o json` with containers: the real node_exporter and a cAdvisor (its real payload, one
 * container renamed to carry an escape sequence) on the same host, through --cadvisor-port.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { serve } from '../helpers/http-endpoints.js';
import { NODE_EXPORTER, startNodeExporter } from '../helpers/node-exporter.js';
import { requireBinary } from '../helpers/real-binary.js';
import { runMain } from '../security/hostile.js';
import { nodeExporterText } from '../security/hostile-sources.js';
import { it as tempIt } from '../helpers/temp-dir.js';
import { containerFamilies, readContainerCgroups } from '../../src/agent/cgroup-containers.js';
import { renderExposition } from '../../src/agent/exposition-text.js';
import { tree } from '../agent/cgroup-tree.js';

const LIVE = readFileSync(new URL('../fixtures/cadvisor/live-docker-host-cpu.prom', import.meta.url), 'utf8');
const schema: unknown = JSON.parse(readFileSync(new URL('../../docs/snapshot.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
(formats as unknown as { default: typeof formats.default }).default(ajv);
const validate = ajv.compile(schema as object);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.runIf(requireBinary(NODE_EXPORTER))('the snapshot of a node with a cAdvisor', () => {
  it('holds its containers, by the schema, with their names made visible', { timeout: 30_000 }, async () => {
    const exporter = await startNodeExporter();
    cleanups.push(() => exporter.stop());
    let n = 0;
    const cadvisor = await serve((_req, res) => {
      const k = n++;
      res.end(
        LIVE.replace('name="pix2pi_cadvisor"', 'name="evil\u001b]0;owned\u0007"').replace(/^(container_\w+\{.*\}) (\S+) (\d+)$/gm, (_m, h: string, v: string, ts: string) => `${h} ${Number(v) + 0.25 * k} ${Number(ts) + 1_000 * k}`),
      );
    });
    cleanups.push(() => cadvisor.close());
    const r = await runMain([exporter.url, '--cadvisor-port', String(cadvisor.port), '-i', '1s', '--once', '-o', 'json']);
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(r.stdout) as { nodes: { source: string; containers: { name: string; cpuPercent: number | null; image: string }[] | null }[] };
    expect(validate(snapshot), ajv.errorsText(validate.errors)).toBe(true);
    expect(snapshot.nodes).toHaveLength(1);
    const containers = snapshot.nodes[0]!.containers!;
    expect(containers).toHaveLength(1);
    // The live payload has no start times: restarts are not known.
    expect(containers[0]).toMatchObject({ name: 'evil\\x1b]0;owned\\x07', image: 'gcr.io/cadvisor/cadvisor:latest', cpuPercent: 25, restarts: null, restartsCounted: null });
    expect(r.stdout).not.toContain('\u001b');
  });
});

describe("the snapshot of a node whose agent serves its containers", () => {
  tempIt("holds the runtime's restart counts as 'total', by the schema", { timeout: 30_000 }, async ({ tmp }) => {
    const families = renderExposition(containerFamilies(await readContainerCgroups(tree(tmp))));
    const agent = await serve((_req, res) => res.end(nodeExporterText('docker-host') + families));
    cleanups.push(() => agent.close());
    const r = await runMain([agent.url, '-i', '1s', '--once', '-o', 'json']);
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(r.stdout) as { nodes: { containers: { name: string; restarts: number | null; restartsCounted: string | null }[] | null }[] };
    expect(validate(snapshot), ajv.errorsText(validate.errors)).toBe(true);
    const byName = new Map(snapshot.nodes[0]!.containers!.map((c) => [c.name, c]));
    // config.v2.json's RestartCount (test/agent/cgroup-tree.ts); Podman's containers.json has no count: a --once snapshot sees no restart.
    expect(byName.get('shop-db-1')).toMatchObject({ restarts: 2, restartsCounted: 'total' });
    expect(byName.get('web')).toMatchObject({ restarts: 0, restartsCounted: 'seen' });
  });
});
