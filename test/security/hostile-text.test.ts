/**
 * Issue #13: text from the network must never drive the terminal. Every source is fed the same
 * hostile strings (hostile.ts) in every field it reads; no `--once` table, `-o json`, stderr line
 * or frame of the interactive view may then hold a control, C1, bidi or zero-width character
 * (the newline between lines aside), and each string must show up in its visible form where the
 * fixture says, so that the path was taken and not just left empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasUnsafe } from '../../src/util/visible-text.js';
import { HOSTILE, HOSTILE_NAMES, UI_SGR, capture, expectedForm, jsonStrings, runMain, sourceFrom, unsafeLines, type Channel, type MainRun } from './hostile.js';
import { HOSTILE_SOURCES, type Fixture } from './hostile-sources.js';
import { HOSTILE_VIEW_SOURCES } from './hostile-views.js';
import { HOSTILE_PROC_SOURCES } from './hostile-proc.js';
import { HOSTILE_CGROUP_SOURCES } from './hostile-cgroup.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';
import { tour } from './tour.js';

async function collecting<R>(fixture: Fixture, run: () => Promise<R>): Promise<R> {
  const stop = fixture.whileCollecting?.();
  try {
    return await run();
  } finally {
    stop?.();
  }
}

/** What must show in `channel`: each probe's text as that output shows it. */
function formsIn(fixture: Fixture, channel: Channel): string[] {
  return fixture.probes.filter((p) => p.in.includes(channel)).map((p) => expectedForm(p, channel));
}

/** What the fixture says must be on stderr is there, and nothing unsafe is. */
function checkStderr(fixture: Fixture, stderr: string): void {
  expect(unsafeLines(stderr)).toEqual([]);
  for (const form of formsIn(fixture, 'stderr')) expect(stderr).toContain(form);
}

/** No secret of the fixture's is in `text`, raw or visible. */
function checkSecrets(fixture: Fixture, text: string): void {
  for (const secret of fixture.secrets ?? []) expect(text.includes(secret), `secret ${secret} shown`).toBe(false);
}

/** Every text the store holds of its nodes: names, labels, errors, pods, apps, containers, processes, GPUs. */
function storeTexts(store: ClusterStore): string[] {
  return store.nodes().flatMap((n) =>
    jsonStrings({
      name: n.name,
      target: n.target,
      labels: n.labels,
      health: n.health,
      kube: n.kube,
      pods: n.pods,
      columns: n.columns,
      app: n.app,
      containers: n.containers,
      processes: n.processes,
      gpus: n.gpus && { error: n.gpus.error, figures: n.gpus.gpus.map((g) => g.figures) },
    }),
  );
}

function checkRan(r: MainRun): void {
  // 0, or 1 when no node is up; 2 would be a usage error, and nothing would have been read.
  expect([0, 1], r.stderr).toContain(r.code);
}

describe.each([...HOSTILE_SOURCES, ...HOSTILE_VIEW_SOURCES, ...HOSTILE_PROC_SOURCES, ...HOSTILE_CGROUP_SOURCES].map((s) => [s.name, s] as const))('hostile text from %s', (_name, source) => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await source.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('is fed every hostile string; those its format cannot carry are named, with the reason', () => {
    const carried = HOSTILE_NAMES.filter((name) => fixture.probes.some((p) => p.text.includes(HOSTILE[name])));
    const uncarried = fixture.uncarried?.names ?? [];
    expect([...carried, ...uncarried].sort()).toEqual([...HOSTILE_NAMES].sort());
    expect(carried.filter((name) => uncarried.includes(name))).toEqual([]);
    // Every probe is hostile, but the ones that show how a refused byte is reported.
    for (const p of fixture.probes) if (!hasUnsafe(p.text)) expect(p.text).toBe('unterminated label value');
  });

  it('the --once table holds no control character and shows each string visible, on one row', async () => {
    const r = await collecting(fixture, () => runMain([...fixture.args, '--once']));
    checkRan(r);
    expect(unsafeLines(r.stdout)).toEqual([]);
    for (const form of formsIn(fixture, 'table')) expect(r.stdout).toContain(form);
    // No line of the table is a forged one.
    expect(r.stdout.split('\n').filter((l) => l.startsWith('FAKE-ROW'))).toEqual([]);
    checkStderr(fixture, r.stderr);
    checkSecrets(fixture, r.stdout + r.stderr);
  });

  it('-o json holds no control character in any string or key, nor raw in its text, and shows each string visible', async () => {
    const r = await collecting(fixture, () => runMain([...fixture.args, '--once', '-o', 'json']));
    checkRan(r);
    // JSON.stringify escapes C0 but writes C1, bidi and zero-width characters raw: the text itself is checked too.
    expect(unsafeLines(r.stdout)).toEqual([]);
    const strings = jsonStrings(JSON.parse(r.stdout));
    expect(strings.filter(hasUnsafe)).toEqual([]);
    checkSecrets(fixture, r.stdout + r.stderr);
    for (const form of formsIn(fixture, 'json')) expect(strings.some((s) => s.includes(form)), form).toBe(true);
    checkStderr(fixture, r.stderr);
  });

  it('the store holds each string visible and no secret; no frame of the interactive view, with or without colour, holds a control character; each string shows visible', async () => {
    const { io, stderr } = capture();
    const { options, source: built } = await sourceFrom(fixture.args, io);
    try {
      await collecting(fixture, () => built.collectOnce());
      // The store holds each string only as its visible form, and no secret.
      const held = storeTexts(built.store);
      expect(held.filter(hasUnsafe)).toEqual([]);
      checkSecrets(fixture, held.join('\n'));
      for (const form of formsIn(fixture, 'store')) expect(held.some((s) => s.includes(form)), `store: ${form}`).toBe(true);
      for (const color of [false, true]) {
        const { frames } = await tour(built, options.alertRules, color);
        expect(frames.length).toBeGreaterThan(10);
        // With colour, the UI's own SGR sequences are the only escapes a frame may hold.
        const screens = frames.map((f) => (color ? f.replace(UI_SGR, '') : f));
        expect(screens.flatMap((s, i) => unsafeLines(s).map((line) => `frame ${i}: ${line}`))).toEqual([]);
        // Nothing had to be caught by the screen writer's last net (U+FFFD): it was visible before.
        expect(screens.flatMap((s, i) => s.split('\n').filter((l) => l.includes('\ufffd')).map((l) => `frame ${i}: ${l}`))).toEqual([]);
        checkSecrets(fixture, screens.join('\n'));
        for (const form of formsIn(fixture, 'frames')) expect(screens.some((s) => s.includes(form)), `${form} (color ${color})`).toBe(true);
      }
    } finally {
      await built.stop();
    }
    expect(unsafeLines(stderr.text)).toEqual([]);
    checkSecrets(fixture, stderr.text);
  });
});
