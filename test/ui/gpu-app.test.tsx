import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { GpuReader, type GpuFigures } from '../../src/metrics/gpu.js';
import { buildStore, frameLines, NOW, tick } from './fixtures.js';
import { renderSized, type SizedRender } from './terminal.js';

let current: SizedRender | undefined;
afterEach(() => current?.unmount());

const gpusOf = (name: string): GpuFigures[] =>
  new GpuReader().read(parseExposition(readFileSync(new URL(`../fixtures/gpu/${name}`, import.meta.url), 'utf8')).samples, NOW)!;

/** alpha: the busy T4 and the idle L4 (captured payloads); bravo: the H100 under load with its processes; the rest none. */
function mount(columns: number, rows: number): SizedRender {
  const store = buildStore(10);
  const [t4] = gpusOf('dcgm-ericsson-t4-busy.metrics');
  const [l4] = gpusOf('dcgm-kops-l4.metrics');
  const [h100] = gpusOf('nvidia-gpu-exporter-h100-80gb-hbm3-590.48.01-load.metrics');
  for (let p = 9; p >= 0; p--) {
    store.recordGpus('http://alpha:9100/metrics', NOW - p * 1000, [t4!, { ...l4!, index: 1 }]);
    store.recordGpus('http://bravo:9100/metrics', NOW - p * 1000, [h100!]);
  }
  current = renderSized(<App store={store} intervalMs={1000} onQuit={() => {}} now={() => NOW} color={false} />, columns, rows);
  return current;
}

const row = (frame: string | undefined, name: string) => frameLines(frame).find((l) => l.slice(1).trimStart().startsWith(name)) ?? '';

describe('GPUs in the view', () => {
  for (const [columns, rows] of [
    [80, 24],
    [200, 60],
  ] as const) {
    it(`shows the GPU column, the idle count and the detail's GPU pane at ${columns}x${rows}`, async () => {
      const t = mount(columns, rows);
      await tick();
      const frame = t.lastFrame();
      for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(columns);
      expect(frame).toContain('GPU 3: 2 busy 1 idle');
      expect(frameLines(frame).find((l) => l.includes('NODE'))).toContain('GPU');
      expect(row(frame, 'alpha')).toMatch(/2×\s+46%/); // (91 + 0) / 2
      expect(row(frame, 'bravo')).toMatch(/1×\s+100%/);
      expect(row(frame, 'charlie')).toMatch(/\s-\s/);
      t.stdin.write('\r'); // alpha's detail
      await tick();
      const detail = frameLines(t.lastFrame());
      expect(detail.find((l) => l.startsWith('GPUs 2'))).toBeDefined();
      expect(detail.find((l) => l.startsWith('GPU0'))).toMatch(/91%.*5\.0G\/15\.0G.*74°C.*68W/);
      expect(detail.find((l) => l.startsWith('GPU1'))).toMatch(/\s0%/);
      for (const line of detail) expect(line.length).toBeLessThanOrEqual(columns);
    });
  }

  it("keeps one node's GPU fields in columns, and names a model all its GPUs share once, in the heading", async () => {
    const t = mount(200, 60);
    await tick();
    t.stdin.write('\r'); // alpha: a T4 (74°C, 68W) and an L4 (31°C, 16W), two models
    await tick();
    let detail = frameLines(t.lastFrame());
    const [gpu0, gpu1] = [detail.find((l) => l.startsWith('GPU0')) ?? '', detail.find((l) => l.startsWith('GPU1')) ?? ''];
    for (const unit of ['°C', 'W ', 'MHz']) expect(gpu1.indexOf(unit), `${unit} in\n${gpu0}\n${gpu1}`).toBe(gpu0.indexOf(unit));
    expect(gpu0.indexOf('Tesla T4')).toBe(gpu1.indexOf('NVIDIA L4'));
    expect(detail.find((l) => l.startsWith('GPUs 2'))).not.toContain('×');
    t.stdin.write('\u001B'); // back, then bravo: one H100
    await tick();
    t.stdin.write('\u001B[B');
    await tick();
    t.stdin.write('\r');
    await tick();
    detail = frameLines(t.lastFrame());
    expect(detail.find((l) => l.startsWith('GPUs 1'))).toContain('GPUs 1 × NVIDIA H100 80GB HBM3');
    expect(detail.find((l) => l.startsWith('GPU0'))).not.toContain('NVIDIA H100');
  });

  it("lists a node's GPU processes under its GPUs, largest first", async () => {
    const t = mount(200, 60);
    await tick();
    t.stdin.write('\u001B[B'); // bravo
    await tick();
    t.stdin.write('\r');
    await tick();
    const detail = frameLines(t.lastFrame());
    const at = detail.findIndex((l) => l.includes('COMMAND'));
    expect(at).toBeGreaterThan(0);
    expect(detail[at + 1]).toMatch(/GPU0\s+11345\s+15\.3 GiB\s+\.\/gpu_burn/);
    expect(detail[at + 2]).toMatch(/11327.*memhog/);
  });

  it('sorts by GPU utilisation with s, after load', async () => {
    const t = mount(200, 60);
    await tick();
    for (const _ of ['cpu', 'memory', 'network', 'disk', 'load', 'gpu']) {
      t.stdin.write('s');
      await tick();
    }
    const title = frameLines(t.lastFrame()).find((l) => l.includes('NODE')) ?? '';
    expect(title).toContain('GPU▼');
    const names = frameLines(t.lastFrame())
      .filter((l) => /^[ >](alpha|bravo|charlie|delta|echo)\b/.test(l))
      .map((l) => l.slice(1).trim().split(/\s+/)[0]);
    expect(names.slice(0, 2)).toEqual(['bravo', 'alpha']);
  });
});
