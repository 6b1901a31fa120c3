/**
 * The JSON snapshot's schema (docs/snapshot.schema.json) holds for every source: `--once -o json`
 * of this machine, the demo, and the scrape, Prometheus, Kubernetes, scrape-config and replay
 * sources of the hostile-text test (their strings are the hardest a schema of text can meet).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { HOSTILE_SOURCES } from '../security/hostile-sources.js';
import { runMain } from '../security/hostile.js';

const schema: unknown = JSON.parse(readFileSync(new URL('../../docs/snapshot.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
// ajv-formats is CommonJS: its function is the module itself at run time, `default` in its types.
const addFormats = (formats as unknown as { default: typeof formats.default }).default ?? formats;
addFormats(ajv);
const validate = ajv.compile(schema as object);

function expectValid(stdout: string, what: string): unknown {
  const snapshot: unknown = JSON.parse(stdout);
  const ok = validate(snapshot);
  expect(ok, `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  return snapshot;
}

describe('the JSON snapshot schema', () => {
  it('this machine (local)', async () => {
    const r = await runMain(['--once', '-o', 'json']);
    const s = expectValid(r.stdout, 'local') as { nodes: { source: string; processes: { pid: number | null; command: string }[] | null }[] };
    expect(s.nodes[0]?.source).toBe('local');
    // This machine's processes from /proc, this test's own node among them.
    expect(s.nodes[0]?.processes?.length).toBeGreaterThan(0);
    expect(s.nodes[0]?.processes?.every((p) => p.pid !== null && p.command !== '')).toBe(true);
  });

  it('the demo (scraped node_exporter payloads, one node down, one timing out)', async () => {
    const r = await runMain(['--demo', '5', '--seed', '2', '-i', '2s', '--once', '-o', 'json', '--alert', 'up>=0']);
    const s = expectValid(r.stdout, 'demo') as { nodes: unknown[]; alerts: unknown[] };
    expect(s.nodes).toHaveLength(5);
    expect(s.alerts.length).toBeGreaterThan(0);
  });

  for (const source of HOSTILE_SOURCES) {
    it(source.name, async () => {
      const fixture = await source.start();
      const stop = fixture.whileCollecting?.();
      try {
        const r = await runMain([...fixture.args, '--once', '-o', 'json']);
        const s = expectValid(r.stdout, source.name) as { nodes: unknown[] };
        expect(s.nodes.length).toBeGreaterThan(0);
      } finally {
        stop?.();
        await fixture.close();
      }
    });
  }

  it('refuses what the snapshot never holds: a raw control character, a missing field, an unknown source', () => {
    const good = JSON.parse(readFileSync(new URL('../fixtures/snapshot-example.json', import.meta.url), 'utf8')) as { nodes: Record<string, unknown>[] };
    expect(validate(good), ajv.errorsText(validate.errors)).toBe(true);
    const node = good.nodes[0] ?? {};
    for (const bad of [{ ...node, name: 'a\u001b]0;t\u0007' }, { ...node, source: 'snmp' }, Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'up'))]) {
      expect(validate({ ...good, nodes: [bad] })).toBe(false);
    }
  });
});
