/** Grouping and filtering by target labels (job, static and file_sd labels) outside Kubernetes. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { groupChoices } from '../../src/ui/model/groups.js';
import { buildStore, frameLines, NOW, tick, type } from './fixtures.js';

afterEach(() => cleanup());

const LABELS: Record<string, Record<string, string>> = {
  alpha: { job: 'web', instance: 'alpha:9100', env: 'prod' },
  bravo: { job: 'web', instance: 'bravo:9100', env: 'prod' },
  charlie: { job: 'db', instance: 'charlie:9100', env: 'prod' },
  delta: { job: 'db', instance: 'delta:9100' },
  echo: {},
};

function setup(labelled = true) {
  const store = buildStore(5);
  if (labelled) for (const n of store.nodes()) store.upsert({ id: n.id, name: n.name, target: n.target, labels: LABELS[n.name] ?? {} });
  return render(<App store={store} intervalMs={2000} onQuit={vi.fn()} now={() => NOW} color={false} />);
}

/** The group headers and node names, in screen order. */
function rowsOf(frame: string | undefined): string[] {
  return frameLines(frame)
    .map((l) => /^ ?(▾ \S+ \d+ nodes?)/.exec(l)?.[1] ?? /^[ >](alpha|bravo|charlie|delta|echo)\b/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

describe('grouping by target labels', () => {
  it('offers none, then job first, then the other labels by name; never instance', () => {
    const nodes = Object.values(LABELS).map((labels) => ({ labels }));
    expect(groupChoices(nodes, false)).toEqual(['none', 'job', 'env']);
    expect(groupChoices([], false)).toEqual(['none']);
    expect(groupChoices(nodes, true)).toEqual(['none', 'role', 'zone']);
  });

  it('cycles none → job → env → none on b, with a header per group', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    expect(lastFrame()).toContain('b group');
    await type(stdin, 'b');
    expect(rowsOf(lastFrame())).toEqual(['▾ db 2 nodes', 'charlie', 'delta', '▾ web 2 nodes', 'alpha', 'bravo', '▾ <none> 1 node', 'echo']);
    expect(lastFrame()).toContain('by job');
    await type(stdin, 'b');
    expect(rowsOf(lastFrame())).toEqual(['▾ prod 3 nodes', 'alpha', 'bravo', 'charlie', '▾ <none> 2 nodes', 'delta', 'echo']);
    expect(lastFrame()).toContain('by env');
    await type(stdin, 'b');
    expect(rowsOf(lastFrame())).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });

  it('filters by a label with /job=web, and keeps the grouping', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, 'b', '/', 'job=web', '\r');
    expect(rowsOf(lastFrame())).toEqual(['▾ web 2 nodes', 'alpha', 'bravo']);
    expect(lastFrame()).toContain('filter job=web');
    await type(stdin, '/', '\u007f'.repeat(7), 'env!=prod', '\r');
    expect(rowsOf(lastFrame())).toEqual(['▾ db 1 node', 'delta', '▾ <none> 1 node', 'echo']);
  });

  it('offers no grouping when no target has labels', async () => {
    const { stdin, lastFrame } = setup(false);
    await tick();
    expect(lastFrame()).not.toContain('b group');
    await type(stdin, 'b');
    expect(lastFrame()).not.toContain('▾');
  });
});
