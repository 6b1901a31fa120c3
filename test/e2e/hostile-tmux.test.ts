/**
 * A node whose name and instance label carry escape sequences, shown and opened in a real
 * terminal, and a node whose processes and containers do: the pane's title and tmux's paste
 * buffers (OSC 0 and OSC 52 with set-clipboard on) must stay as they were; so too a GPU's model and
 * the processes on it, from an nvidia_gpu_exporter payload (its captured H100 one, relabelled)
 * beside a node. A second pane that
 * prints the same bytes raw proves this terminal obeys them, so the check can fail.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { BIN } from '../helpers/run-cli.js';
import { requireBinary } from '../helpers/real-binary.js';
import { TMUX, TmuxSession } from '../helpers/tmux.js';
import { oneNodeAnswer, startFakePrometheus, type FakePrometheus } from '../sources/prometheus/fake-prometheus.js';
import type { Endpoint } from '../helpers/http-endpoints.js';
import { nodeExporterText, text } from '../security/hostile-sources.js';
import { agentProcessText } from '../security/hostile-views.js';

const TITLE = '\u001b]0;pwned-title\u0007';
const CLIPBOARD = '\u001b]52;c;cHduZWQtY2xpcGJvYXJk\u0007'; // "pwned-clipboard"
const NAME = `evil${TITLE}\nFAKE-ROW\u009b31m`;
const INSTANCE = `a:9100${CLIPBOARD}`;
/** A process (its name, user and command line) and a container (its name and image), as a foreign agent serves them. */
const COMM = `p${TITLE}`;
const ARGS = `/bin/p ${CLIPBOARD}\nFAKE-ROW`;
const CONTAINER = `box${TITLE}\u009b2J`;
const IMAGE = `img${CLIPBOARD}`;

/** A label value as the exposition format writes it (it escapes only backslash, quote and newline). */
const quoted = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** A GPU's model and a process on it, as nvidia_gpu_exporter serves them (test/fixtures/gpu). */
const GPU_MODEL = `H100${TITLE}`;
const GPU_PROCESS = `burn${CLIPBOARD}\nFAKE-ROW`;

function gpuPayload(): string {
  return readFileSync(new URL('../fixtures/gpu/nvidia-gpu-exporter-h100-80gb-hbm3-590.48.01-load.metrics', import.meta.url), 'utf8')
    .replaceAll('name="NVIDIA H100 80GB HBM3"', `name=${quoted(GPU_MODEL)}`)
    .replaceAll('process_name="./gpu_burn"', `process_name=${quoted(GPU_PROCESS)}`);
}

function agentPayload(): string {
  const container = `{id="/docker/abc",name=${quoted(CONTAINER)},image=${quoted(IMAGE)}}`;
  return [
    nodeExporterText('procs'),
    agentProcessText([{ pid: 7, comm: COMM, user: `u${CLIPBOARD}`, state: 'S', args: ARGS }], [COMM]),
    `container_cpu_usage_seconds_total${container} 12`,
    `container_memory_working_set_bytes${container} 3e7`,
    '',
  ].join('\n');
}

describe.runIf(requireBinary(TMUX))('hostile names in a real terminal (tmux)', () => {
  let fake: FakePrometheus;
  let agent: Endpoint;
  let gpuNode: Endpoint;
  let gpuExporter: Endpoint;
  let dir: string;
  const sessions: TmuxSession[] = [];

  beforeAll(async () => {
    fake = await startFakePrometheus((req) => {
      const answer = oneNodeAnswer(req);
      if (answer === 'hang') return answer;
      return { ...answer, body: answer.body.replaceAll('"alpha"', JSON.stringify(NAME)).replaceAll('"a:9100"', JSON.stringify(INSTANCE)) };
    });
    agent = await text(agentPayload());
    gpuNode = await text(nodeExporterText('gpus'));
    gpuExporter = await text(gpuPayload());
    dir = tempDir('hostile-tmux');
  });
  afterAll(async () => {
    for (const s of sessions) s.kill();
    await fake?.close();
    await agent?.close();
    await gpuNode?.close();
    await gpuExporter?.close();
  });

  function open(command: string, size = { width: 120, height: 30 }): TmuxSession {
    const tmux = new TmuxSession(command, size);
    sessions.push(tmux);
    tmux.command('set-option', '-g', 'set-clipboard', 'on');
    return tmux;
  }

  const buffers = (tmux: TmuxSession): string => tmux.command('list-buffers', '-F', '#{buffer_sample}');

  it('the same bytes printed raw do set the title and a paste buffer here', async () => {
    const raw = join(dir, 'raw');
    writeFileSync(raw, `${TITLE}${CLIPBOARD}`);
    const tmux = open(`sleep 0.5; cat '${raw}'; sleep 60`);
    await expect.poll(() => tmux.pane('#{pane_title}'), { timeout: 5000, interval: 100 }).toBe('pwned-title');
    expect(buffers(tmux)).toContain('pwned-clipboard');
  });

  it('cluster-top shows the node and its detail; the title and the paste buffers stay untouched', async () => {
    const inner = `exec env -u CI ${process.execPath} ${BIN} -i 1s --prometheus ${fake.url}`;
    const tmux = open(`sh -c "${inner}"; sleep 60`);
    const titleBefore = tmux.pane('#{pane_title}');
    const table = await tmux.waitFor((s) => s.includes('FAKE-ROW'));
    expect(table).toContain('evil\\x1b]0;pwned-title\\x07\\nFAKE-ROW\\u009b31m');
    // No row starts with the forged text: the newline did not split the row.
    expect(table.split('\n').some((l) => l.trimStart().startsWith('FAKE-ROW'))).toBe(false);
    tmux.send('Enter');
    const detail = await tmux.waitFor((s) => s.includes('Esc back'));
    expect(detail).toContain('a:9100\\x1b]52;c;cHduZWQtY2xpcGJvYXJk\\x07');
    // Give the terminal a few frames to act on anything it was sent.
    await new Promise((r) => setTimeout(r, 1500));
    expect(tmux.pane('#{pane_title}')).toBe(titleBefore);
    expect(tmux.pane('#{pane_title}')).not.toContain('pwned');
    expect(buffers(tmux)).toBe('');
    tmux.send('q');
  });

  it('cluster-top shows the processes and containers in every view; the title and the paste buffers stay untouched', async () => {
    const inner = `exec env -u CI ${process.execPath} ${BIN} -i 1s ${agent.url}`;
    const tmux = open(`sh -c "${inner}"; sleep 60`);
    const titleBefore = tmux.pane('#{pane_title}');
    await tmux.waitFor((s) => s.includes('procs'));
    // The cluster's heaviest processes, the heaviest containers, the node's detail with its containers box and processes.
    tmux.send('t');
    const top = await tmux.waitFor((s) => s.includes('FAKE-ROW'));
    expect(top).toContain('p\\x1b]0;pwned-title\\x07');
    expect(top).toContain('/bin/p \\x1b]52;c;cHduZWQtY2xpcGJvYXJk\\x07\\nFAKE-ROW');
    expect(top.split('\n').some((l) => l.trimStart().startsWith('FAKE-ROW'))).toBe(false);
    tmux.send('t');
    await tmux.waitFor((s) => !s.includes('FAKE-ROW'));
    tmux.send('c');
    const ctop = await tmux.waitFor((s) => s.includes('box'));
    // The name is cut to its column: its start shows the escape made visible.
    expect(ctop).toContain('box\\x1b]0;pwned');
    expect(ctop).toContain('img\\x1b]52;');
    tmux.send('Enter');
    await tmux.waitFor((s) => s.includes('Esc back'));
    tmux.send('t');
    expect(await tmux.waitFor((s) => s.includes('PROGRAM'))).toContain('p\\x1b]0;pwned');
    await new Promise((r) => setTimeout(r, 1500));
    expect(tmux.pane('#{pane_title}')).toBe(titleBefore);
    expect(tmux.pane('#{pane_title}')).not.toContain('pwned');
    expect(buffers(tmux)).toBe('');
    tmux.send('q');
  });

  it("cluster-top shows a GPU's model and the processes on it in the node's detail; the title and the paste buffers stay untouched", async () => {
    const inner = `exec env -u CI ${process.execPath} ${BIN} -i 1s ${gpuNode.url} ${gpuExporter.url}`;
    // Wide enough for the GPU line to keep its model.
    const tmux = open(`sh -c "${inner}"; sleep 60`, { width: 200, height: 40 });
    const titleBefore = tmux.pane('#{pane_title}');
    const table = await tmux.waitFor((s) => s.includes('1× 100%'));
    expect(table).toContain('gpus');
    tmux.send('Enter');
    const detail = await tmux.waitFor((s) => s.includes('FAKE-ROW') && s.includes('H100'));
    expect(detail).toContain('H100\\x1b]0;pwned-title\\x07');
    expect(detail).toContain('burn\\x1b]52;c;cHduZWQtY2xpcGJvYXJk\\x07\\nFAKE-ROW');
    expect(detail.split('\n').some((l) => l.trimStart().startsWith('FAKE-ROW'))).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    expect(tmux.pane('#{pane_title}')).toBe(titleBefore);
    expect(tmux.pane('#{pane_title}')).not.toContain('pwned');
    expect(buffers(tmux)).toBe('');
    tmux.send('q');
  });
});
