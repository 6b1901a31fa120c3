import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { useStoreVersion } from '../../src/ui/hooks.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';
import { buildStore, tick, waitForFrame } from './fixtures.js';

afterEach(() => cleanup());

describe('useStoreVersion', () => {
  it('turns a burst of store changes into one render showing the last version', async () => {
    const store = buildStore(1);
    let renders = 0;
    function Probe({ s }: { s: ClusterStore }) {
      const version = useStoreVersion(s, 4);
      renders++;
      return <Text>v{version}</Text>;
    }
    const { lastFrame } = render(<Probe s={store} />);
    await tick();
    const before = renders;
    for (let i = 0; i < 1000; i++) store.appendClusterPoint(i);
    const frame = await waitForFrame(lastFrame, (f) => f === `v${store.version}`);
    expect(frame).toBe(`v${store.version}`);
    expect(renders - before).toBe(1);
  });

  it('draws the newest data after a change that arrives while a frame is being held back', async () => {
    const store = buildStore(1);
    function Probe() {
      return <Text>v{useStoreVersion(store, 4)}</Text>;
    }
    const { lastFrame } = render(<Probe />);
    await tick();
    store.appendClusterPoint(1);
    await waitForFrame(lastFrame, (f) => f === `v${store.version}`);
    store.appendClusterPoint(2);
    store.appendClusterPoint(3);
    expect(await waitForFrame(lastFrame, (f) => f === `v${store.version}`)).toBe(`v${store.version}`);
  });

  it('does not follow the store while disabled and catches up when enabled', async () => {
    const store = buildStore(1);
    function Probe({ on }: { on: boolean }) {
      return <Text>v{useStoreVersion(store, 4, on)}</Text>;
    }
    const { lastFrame, rerender } = render(<Probe on={false} />);
    await tick();
    const frozen = lastFrame();
    store.appendClusterPoint(1);
    await tick();
    expect(lastFrame()).toBe(frozen);
    rerender(<Probe on={true} />);
    expect(await waitForFrame(lastFrame, (f) => f === `v${store.version}`)).toBe(`v${store.version}`);
  });
});
