import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';
import { ANSI, buildStore, FRAME_WAIT, frameLines, NOW, tick, type } from './fixtures.js';
import { buildKubeStore, idOf, INSTANCE_TYPE, kubeInfo, ZONE } from './kube-fixtures.js';

afterEach(() => cleanup());

const ESC = '\u001B';
const TAB = '\t';

function setup(store: ClusterStore = buildKubeStore(10)) {
  const r = render(<App store={store} intervalMs={2000} onQuit={vi.fn()} now={() => NOW} color={false} />);
  return { store, ...r };
}

const rowOf = (frame: string | undefined, name: string): string => frameLines(frame).find((l) => l.slice(1).startsWith(`${name} `)) ?? '';
const selectedLine = (frame: string | undefined): string => frameLines(frame).find((l) => l.startsWith('>')) ?? '';
const titleOf = (frame: string | undefined): string[] => (frameLines(frame).find((l) => l.includes('NODE')) ?? '').trim().split(/\s+/);

/** The pod names of the pods pane, top to bottom. */
const podNames = (frame: string | undefined): string[] =>
  frameLines(frame)
    .filter((l) => /^[ >](default|kube-system|monitoring|batch) /.test(l))
    .map((l) => l.slice(1).trim().split(/\s+/)[1] ?? '');

describe('App with Kubernetes nodes', () => {
  it('adds the Kubernetes columns only when some node has Kubernetes info', async () => {
    const plain = setup(buildStore(10));
    await tick();
    expect(titleOf(plain.lastFrame())).toEqual(['NODE▲', 'STATUS', 'CPU', 'CPU', 'HIST', 'MEM', 'LOAD', 'RX/s', 'TX/s', 'RD/s', 'WR/s', 'UPTIME']);
    cleanup();
    const kube = setup();
    await tick();
    expect(titleOf(kube.lastFrame())).toEqual(['NODE▲', 'STATUS', 'ROLES', 'SCRAPE', 'CPU', 'MEM', 'PODS', 'LOAD']);
    // Short names leave the spare width to the conditions and roles.
    expect(rowOf(kube.lastFrame(), 'cp-1')).toMatch(/cp-1\s+Ready\s+control-…\s+up\s+.*\s+1\/110/);
  });

  it('shows NotReady, cordoned and pressure, and CPU against allocatable', async () => {
    const { lastFrame } = setup();
    await tick();
    expect(rowOf(lastFrame(), 'worker-2')).toMatch(/worker-2\s+NotReady\s+worker/);
    expect(rowOf(lastFrame(), 'worker-3')).toContain('Ready,Cordoned,MemPress…');
    // 70 % of 4 cores is 80 % of the 3.5 allocatable.
    expect(rowOf(lastFrame(), 'worker-1')).toMatch(/ 80% .* 4\/110/);
  });

  it('follows Kubernetes facts as they change', async () => {
    const { store, lastFrame } = setup();
    await tick();
    store.setKube(idOf('worker-1'), kubeInfo({ ready: false, cordoned: true }));
    await expect.poll(() => rowOf(lastFrame(), 'worker-1'), FRAME_WAIT).toContain('NotReady');
    expect(rowOf(lastFrame(), 'worker-1')).toContain('NotReady,Cordoned');
  });

  it('sorts by pods on the s cycle after load', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, ...'ssssss');
    expect(lastFrame()).toContain('PODS▼');
    expect(frameLines(lastFrame()).filter((l) => /^[ >](cp|worker|infra)-/.test(l)).map((l) => l.slice(1).split(' ')[0])).toEqual(['worker-1', 'worker-3', 'cp-1', 'worker-2', 'infra-1']);
  });

  it('shows the Kubernetes facts in the detail, and the pods on Tab sorted by CPU, memory and name', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, 'j', 'j', '\r');
    const detail = lastFrame() ?? '';
    expect(detail).toMatch(/^worker-1\s+up\s+Ready\s+4 cores/m);
    for (const fact of ['Roles worker', 'Kubelet v1.29.3', 'IP 10.0.1.11', 'Age 12d', 'Allocatable/capacity CPU 3.50/4.00', 'Pods 4/110', 'Tab pods']) expect(detail).toContain(fact);
    expect(detail).toContain('CPU  used');
    await type(stdin, TAB);
    expect(podNames(lastFrame())).toEqual(['web-0', 'prometheus-0', 'coredns-7db6d8ff4d-abcde', 'job-x']);
    expect(lastFrame()).toContain('CPU▼');
    expect(selectedLine(lastFrame())).toMatch(/web-0\s+1\.25\s+50\.0 MiB/);
    await type(stdin, 's');
    expect(podNames(lastFrame())).toEqual(['prometheus-0', 'coredns-7db6d8ff4d-abcde', 'web-0', 'job-x']);
    expect(lastFrame()).toContain('MEM▼');
    await type(stdin, 's');
    expect(podNames(lastFrame())).toEqual(['job-x', 'web-0', 'coredns-7db6d8ff4d-abcde', 'prometheus-0']);
    await type(stdin, 'S');
    expect(podNames(lastFrame())).toEqual(['prometheus-0', 'coredns-7db6d8ff4d-abcde', 'web-0', 'job-x']);
    await type(stdin, TAB);
    expect(lastFrame()).toContain('CPU  used');
  });

  it('shows a pod’s containers on Enter; Esc goes back to the pods, then to the table', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, 'j', 'j', '\r', TAB, 'j', '\r');
    const containers = lastFrame() ?? '';
    expect(containers).toContain('Pod monitoring/prometheus-0');
    expect(containers).toContain('2 containers');
    expect(containers).toMatch(/prometheus\s+450m\s+1\.99 GiB/);
    expect(containers).toMatch(/config-reloader\s+50m\s+10\.0 MiB/);
    await type(stdin, ESC);
    expect(podNames(lastFrame())).toContain('prometheus-0');
    expect(selectedLine(lastFrame())).toContain('prometheus-0');
    await type(stdin, ESC);
    expect(titleOf(lastFrame())[0]).toBe('NODE▲');
    expect(selectedLine(lastFrame())).toContain('worker-1');
  });

  it('says so when a node has no pods, or no pod figures yet', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, 'j', '\r', TAB);
    expect(lastFrame()).toContain('no pod figures from the source yet');
    await type(stdin, ESC, 'G', 'k', '\r');
    expect(lastFrame()).toContain('no pods on this node');
  });

  it('filters by role and by label', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    const shown = (): string[] => ['cp-1', 'worker-1', 'worker-2', 'worker-3', 'infra-1'].filter((n) => rowOf(lastFrame(), n) !== '');
    await type(stdin, '/', 'role=worker', '\r');
    expect(shown()).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(lastFrame()).toContain('3/5');
    await type(stdin, '/', ...'\u007f'.repeat(20), `${ZONE}=zone-b`, '\r');
    expect(shown()).toEqual(['worker-2', 'infra-1']);
    await type(stdin, '/', ...'\u007f'.repeat(40), `${INSTANCE_TYPE}=m5.large`, '\r');
    expect(shown()).toEqual(['worker-1']);
    await type(stdin, ESC);
    expect(shown()).toHaveLength(5);
  });

  it('groups by role with headers and counts; the selection skips the headers', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await type(stdin, 'b');
    const lines = frameLines(lastFrame());
    const at = (text: string): number => lines.findIndex((l) => l.includes(text));
    expect(at('▾ control-plane 1 node')).toBeLessThan(at('cp-1 '));
    expect(at('cp-1 ')).toBeLessThan(at('▾ worker 3 nodes 1 NotReady'));
    expect(at('▾ worker 3 nodes')).toBeLessThan(at('worker-1 '));
    expect(at('worker-3 ')).toBeLessThan(at('▾ <none> 1 node'));
    expect(lines[at('▾ worker 3 nodes')]).toMatch(/ 50% .* 7\/330/);
    expect(lastFrame()).toContain('by role');
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      order.push(selectedLine(lastFrame()).slice(1).split(' ')[0] ?? '');
      await type(stdin, 'j');
    }
    expect(order).toEqual(['cp-1', 'worker-1', 'worker-2', 'worker-3', 'infra-1']);
    await type(stdin, 'k', 'k', 'k', 'k', 'k');
    expect(selectedLine(lastFrame())).toContain('cp-1');
    await type(stdin, 's');
    expect(frameLines(lastFrame()).filter((l) => /^[ >]worker-/.test(l)).map((l) => l.slice(1).split(' ')[0])).toEqual(['worker-1', 'worker-3', 'worker-2']);
    await type(stdin, 'b');
    expect(lastFrame()).toContain('▾ zone-a 3 nodes');
    expect(lastFrame()).toContain('▾ zone-b 2 nodes 1 NotReady');
    await type(stdin, 'b');
    expect(lastFrame()).not.toContain('▾');
  });

  it('writes no escape sequence with color off on any Kubernetes screen', async () => {
    const { stdin, frames } = setup();
    await tick();
    await type(stdin, 'b', 'j', '\r', TAB, '\r', ESC, ESC, '/', 'role=worker', '\r', '?', '?');
    expect(frames.length).toBeGreaterThan(8);
    for (const frame of frames) expect(frame).not.toMatch(ANSI);
  });
});
