import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { frameLines, NOW, tick } from './fixtures.js';
import { buildKubeStore, fillerPods, pod, WORKER_PODS, ZONE, type KubeNodeSpec } from './kube-fixtures.js';
import { renderSized, type SizedRender } from './terminal.js';

let current: SizedRender | undefined;
afterEach(() => current?.unmount());

const TAB = '\t';
const ESC = '\u001B';
const PAGE_DOWN = '\u001B[6~';

/** 300 nodes, 30 pods each; every fifth a control plane, every seventh NotReady, three zones. */
const MANY: readonly KubeNodeSpec[] = Array.from({ length: 300 }, (_, i) => ({
  name: `ip-10-0-${i >> 8}-${i & 255}.ec2.internal`,
  figures: { cpu: (i * 7) % 100, mem: (i * 13) % 100 },
  kube: {
    roles: i % 5 === 0 ? ['control-plane'] : ['worker'],
    ready: i % 7 !== 3,
    cordoned: i % 11 === 4,
    problems: i % 13 === 5 ? ['DiskPressure'] : [],
    labels: { [ZONE]: `us-east-1${'abc'[i % 3]}` },
  },
  pods: [...WORKER_PODS, ...fillerPods(26)],
}));

function mount(columns: number, rows: number): SizedRender {
  current = renderSized(<App store={buildKubeStore(20, MANY)} intervalMs={1000} onQuit={() => {}} now={() => NOW} color={false} />, columns, rows);
  return current;
}

function expectFits(frame: string | undefined, columns: number, rows: number): void {
  const lines = frameLines(frame);
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
}

async function press(t: SizedRender, ...keys: string[]): Promise<string> {
  for (const k of keys) {
    t.stdin.write(k);
    await tick();
  }
  return t.lastFrame() ?? '';
}

describe('App with Kubernetes at small sizes', () => {
  for (const [columns, rows] of [[60, 15], [80, 24], [100, 30], [120, 40]] as const) {
    it(`fits ${columns}x${rows} in the table, the groups, the detail, the pods, the containers and the help`, async () => {
      const t = mount(columns, rows);
      await tick();
      expectFits(t.lastFrame(), columns, rows);
      expect(frameLines(t.lastFrame())).toHaveLength(rows - 1);
      expectFits(await press(t, 'b'), columns, rows);
      expect(t.lastFrame()).toContain('▾ control-plane 60 nodes');
      expectFits(await press(t, 'b', 'j', '\r'), columns, rows);
      expect(t.lastFrame()).toContain('Tab pods');
      const pods = await press(t, TAB);
      expectFits(pods, columns, rows);
      // A list that fits says how many pods; one that scrolls, where the selection is.
      expect(pods).toMatch(/POD (1\/30|\(30\))/);
      expectFits(await press(t, '\r'), columns, rows);
      expect(t.lastFrame()).toContain('Pod default/web-0');
      expectFits(await press(t, ESC, '?'), columns, rows);
      expect(t.lastFrame()).toContain('Keys');
    });
  }

  it('keeps name, conditions, CPU and memory at 60 columns, adds pods at 80 and roles at 100', async () => {
    const titles = async (columns: number, rows: number): Promise<string[]> => {
      const t = mount(columns, rows);
      await tick();
      const title = frameLines(t.lastFrame()).find((l) => l.includes('NODE')) ?? '';
      t.unmount();
      return title.trim().split(/\s+/);
    };
    // At 60 columns the names lose what they share, which the name column's title shows once.
    expect(await titles(60, 15)).toEqual(['NODE▲', 'ip-10-0-0…', 'STATUS', 'CPU', 'MEM']);
    // At 80 the full names fit beside conditions, CPU, memory and pods; roles give way to them.
    expect(await titles(80, 24)).toEqual(['NODE▲', 'STATUS', 'CPU', 'MEM', 'PODS']);
    expect(await titles(100, 24)).toEqual(['NODE▲', 'STATUS', 'ROLES', 'SCRAPE', 'CPU', 'MEM', 'PODS', 'LOAD']);
  });

  it('scrolls the pod list: a page down, to the end, back to the top, the selected pod always shown', async () => {
    const t = mount(80, 24);
    await tick();
    await press(t, '\r', TAB);
    const selected = (): string => frameLines(t.lastFrame()).find((l) => l.startsWith('>')) ?? '';
    expect(selected()).toContain('web-0');
    const page = frameLines(t.lastFrame()).filter((l) => /^[ >](default|kube-system|monitoring|batch) /.test(l)).length;
    expect(page).toBeGreaterThan(5);
    await press(t, PAGE_DOWN);
    expect(t.lastFrame()).toContain(`POD ${page + 1}/30`);
    expect(selected()).not.toBe('');
    await press(t, 'G');
    expect(t.lastFrame()).toContain('POD 30/30');
    expect(selected()).toContain('job-x');
    expectFits(t.lastFrame(), 80, 24);
    await press(t, 'g');
    expect(selected()).toContain('web-0');
  });

  it('keeps a group header in view when the selection reaches its first node from below', async () => {
    const nodes: KubeNodeSpec[] = Array.from({ length: 40 }, (_, i) => ({
      name: `n-${i}`,
      figures: { cpu: i, mem: i },
      kube: { roles: i < 20 ? ['control-plane'] : ['worker'] },
      pods: [],
    }));
    current = renderSized(<App store={buildKubeStore(3, nodes)} intervalMs={1000} onQuit={() => {}} now={() => NOW} color={false} />, 80, 16);
    await tick();
    await press(current, 'b', 'G', ...'k'.repeat(19));
    const lines = frameLines(current.lastFrame());
    const at = lines.findIndex((l) => l.startsWith('>'));
    expect(lines[at]).toMatch(/^>n-20 /);
    expect(lines[at - 1]).toContain('▾ worker 20 nodes');
    expect(lines[at - 2]).toMatch(/NODE▲/);
  });

  it('cuts a long container list with a count of the rest', async () => {
    const many = Array.from({ length: 30 }, (_, i): [string, number, number] => [`c-${i}`, 0.01, 1024]);
    const spec: KubeNodeSpec = { name: 'big', figures: { cpu: 10, mem: 10 }, kube: {}, pods: [pod('default', 'fat', 0.3, 30 * 1024, many)] };
    current = renderSized(<App store={buildKubeStore(3, [spec])} intervalMs={1000} onQuit={() => {}} now={() => NOW} color={false} />, 80, 24);
    await tick();
    const frame = await press(current, '\r', TAB, '\r');
    expect(frame).toContain('30 containers');
    expect(frame).toMatch(/\+\d+ more/);
    expectFits(frame, 80, 24);
  });
});
