/**
 * A node_exporter whose nodename holds a newline and the look of a row of its own: the built
 * program's `--once` table and JSON give it as one node, one row, named with the visible `\n`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../helpers/http-endpoints.js';
import { runCli } from '../helpers/run-cli.js';
import type { Snapshot } from '../../src/cli/snapshot.js';
import { HOSTILE } from './hostile.js';
import { nodeExporterText, text } from './hostile-sources.js';

const SHOWN = 'evil\\nFAKE-ROW   up   0.0%';

describe('a node named with a newline that forges a row', () => {
  let endpoint: Endpoint;
  beforeAll(async () => {
    endpoint = await text(nodeExporterText(HOSTILE.forgedRow));
  });
  afterAll(() => endpoint?.close());

  it('is one row of the --once table', async () => {
    const r = await runCli([endpoint.url, '--once', '-i', '200ms']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trimEnd().split('\n');
    // The title, the one node, the count.
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^NAME +STATUS +CPU /);
    expect(lines[1]?.startsWith(`${SHOWN}  up `)).toBe(true);
    expect(lines[2]).toMatch(/^1\/1 targets up at /);
  });

  it('is one node of -o json, named with the visible escape', async () => {
    const r = await runCli([endpoint.url, '--once', '-o', 'json', '-i', '200ms']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    expect(snapshot.nodes.map((n) => [n.name, n.up])).toEqual([[SHOWN, true]]);
  });
});
