/** The heaviest containers of every node (`c`) in the App: shown, moved over, and Enter opens the container's node. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import type { ContainerStats } from '../../src/metrics/container-stats.js';
import { buildStore, FRAME_WAIT, frameLines, NOW, tick } from './fixtures.js';

afterEach(() => cleanup());

function container(name: string, cpuPercent: number, composeProject: string | null = null): ContainerStats {
  return {
    id: `/docker/${name}`, name, image: 'img', composeProject, composeService: null, cpuPercent, memoryBytes: 1e6, memoryLimitBytes: null,
    receiveBytesPerSecond: null, transmitBytesPerSecond: null, readBytesPerSecond: null, writtenBytesPerSecond: null, startedAtMs: null, restarts: null, restartsCounted: null,
  };
}

async function type(stdin: { write: (s: string) => void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
}

describe('the heaviest containers', () => {
  it('says where containers come from when no node has any', async () => {
    const r = render(<App store={buildStore(5)} intervalMs={2000} onQuit={vi.fn()} now={() => NOW} color={false} />);
    await tick();
    await type(r.stdin, 'c');
    await vi.waitFor(() => expect(r.lastFrame()).toContain('c: no node has containers'), FRAME_WAIT);
  });

  it('lists every node’s containers by CPU, and Enter opens the selected one’s node', async () => {
    const store = buildStore(5);
    const [a, b] = store.nodes();
    store.setContainers(a!.id, { containers: [container('web-1', 20, 'shop'), container('db-1', 5, 'shop')], omitted: 0, unnamed: 3 });
    store.setContainers(b!.id, { containers: [container('api-1', 50)], omitted: 0, unnamed: 0 });
    const r = render(<App store={store} intervalMs={2000} onQuit={vi.fn()} now={() => NOW} color={false} />);
    await tick();
    await type(r.stdin, 'c');
    await vi.waitFor(() => expect(r.lastFrame()).toContain('Heaviest containers 3 of 3'), FRAME_WAIT);
    const names = frameLines(r.lastFrame()).filter((l) => / img /.test(l));
    expect(names.map((l) => l.match(/(api|web|db)-1/)?.[0])).toEqual(['api-1', 'web-1', 'db-1']);
    // b groups them by compose project: shop (25 %) first, then the rest, each under its totals.
    await type(r.stdin, 'b');
    await vi.waitFor(() => expect(r.lastFrame()).toContain('by compose project'), FRAME_WAIT);
    const grouped = frameLines(r.lastFrame()).filter((l) => / img |containers? +CPU/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    expect(grouped.map((l) => l.replace(/^>/, ''))).toEqual(['shop 2', `${a!.name} web-1`, `${a!.name} db-1`, '(no compose', `${b!.name} api-1`]);
    await type(r.stdin, 'b', 'j', '\r');
    await vi.waitFor(() => expect(frameLines(r.lastFrame()).find((l) => l.includes('Esc back'))).toContain(a!.name), FRAME_WAIT);
    expect(r.lastFrame()).toContain('Containers 2');
  });
});
