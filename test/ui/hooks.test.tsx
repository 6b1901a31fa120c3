import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { useFrameClock } from '../../src/ui/hooks.js';
import { framePeriodMs } from '../../src/ui/app.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';
import { buildStore, FRAME_WAIT, tick } from './fixtures.js';

afterEach(() => cleanup());

describe('useFrameClock', () => {
  it('turns a burst of store changes into one frame showing the last version', async () => {
    const store = buildStore(1);
    let renders = 0;
    function Probe({ s }: { s: ClusterStore }) {
      const version = useFrameClock(s, 50);
      renders++;
      return <Text>v{version}</Text>;
    }
    const { lastFrame } = render(<Probe s={store} />);
    await tick();
    for (let i = 0; i < 1000; i++) store.appendClusterPoint(i);
    const before = renders;
    await expect.poll(lastFrame, FRAME_WAIT).toBe(`v${store.version}`);
    // One frame, not one per change: a few clock periods may have passed while waiting.
    expect(renders - before).toBeGreaterThanOrEqual(1);
    expect(renders - before).toBeLessThan(20);
  });

  it('draws a frame every period even when the store does not change (the clock moves)', async () => {
    const store = buildStore(1);
    let renders = 0;
    function Probe() {
      const version = useFrameClock(store, 20);
      renders++;
      return <Text>v{version}</Text>;
    }
    render(<Probe />);
    const version = store.version;
    const before = renders;
    await expect.poll(() => renders - before, FRAME_WAIT).toBeGreaterThanOrEqual(3);
    expect(store.version).toBe(version);
  });

  it('does not follow the store while disabled and catches up at once when enabled', async () => {
    const store = buildStore(1);
    function Probe({ on }: { on: boolean }) {
      return <Text>v{useFrameClock(store, 60_000, on)}</Text>;
    }
    const { lastFrame, rerender } = render(<Probe on={false} />);
    await tick();
    const frozen = lastFrame();
    store.appendClusterPoint(1);
    await tick();
    expect(lastFrame()).toBe(frozen);
    // The period is a minute: only enabling can draw the new version within the test.
    rerender(<Probe on={true} />);
    await expect.poll(lastFrame, FRAME_WAIT).toBe(`v${store.version}`);
  });
});

describe('useFrameClock in the first seconds', () => {
  it('draws a store change at once, not at the next tick of a slow clock: the first figures and rates', async () => {
    const store = buildStore(1);
    function Probe() {
      return <Text>v{useFrameClock(store, 60_000)}</Text>;
    }
    const { lastFrame } = render(<Probe />);
    await tick();
    store.appendClusterPoint(1);
    // The clock's period is a minute: only following the store can draw this within the test.
    await expect.poll(lastFrame, FRAME_WAIT).toBe(`v${store.version}`);
  });

  it('draws a burst of changes as one frame', async () => {
    const store = buildStore(1);
    let renders = 0;
    function Probe() {
      const version = useFrameClock(store, 60_000);
      renders++;
      return <Text>v{version}</Text>;
    }
    const { lastFrame } = render(<Probe />);
    await tick();
    const before = renders;
    for (let i = 0; i < 1000; i++) store.appendClusterPoint(i);
    await expect.poll(lastFrame, FRAME_WAIT).toBe(`v${store.version}`);
    await tick();
    expect(renders - before).toBe(1);
  });

  it('waits for the clock again once the start-up is over', async () => {
    const store = buildStore(1);
    function Probe() {
      return <Text>v{useFrameClock(store, 60_000, true, 50)}</Text>;
    }
    const { lastFrame } = render(<Probe />);
    await tick();
    const first = lastFrame();
    await new Promise((resolve) => setTimeout(resolve, 100));
    store.appendClusterPoint(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lastFrame()).toBe(first);
  });
});

describe('framePeriodMs', () => {
  it('draws a frame per interval: at least one a second, at most four', () => {
    expect(framePeriodMs(2000)).toBe(1000);
    expect(framePeriodMs(1000)).toBe(1000);
    expect(framePeriodMs(500)).toBe(500);
    expect(framePeriodMs(100)).toBe(250);
  });
});
