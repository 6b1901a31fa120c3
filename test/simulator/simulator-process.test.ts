import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClusterSpecs } from '../../src/simulator/sim-cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];

interface Ready {
  readonly urls: string[];
  readonly down: number[];
  readonly slow: number[];
  readonly flapping: number[];
}

function start(...args: string[]): { child: ChildProcessWithoutNullStreams; ready: Promise<Ready>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/simulator-process.ts', ...args], { cwd: ROOT });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<Ready>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as Ready);
    });
    void exited.then((code) => reject(new Error(`simulator exited (${code}) before ready: ${err}`)));
  });
  return { child, ready, exited };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('bench/simulator-process.ts', () => {
  it('prints its URLs when ready, serves them, and stops when stdin ends', async () => {
    const { child, ready, exited } = start('--nodes', '12', '--seed', '3');
    const { urls, down, slow, flapping } = await ready;
    expect(urls).toHaveLength(12);
    expect(down).toHaveLength(1);
    expect(slow).toHaveLength(1);
    expect(flapping).toHaveLength(1);
    // In the order of the specs the seed gives.
    const names = makeClusterSpecs(12, 3).map((s) => s.name);
    const healthy = urls.findIndex((_, i) => !down.includes(i) && !slow.includes(i) && !flapping.includes(i));
    const res = await fetch(urls[healthy]!);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`nodename="${names[healthy]}"`);
    child.stdin.end();
    expect(await exited).toBe(0);
  });

  it('answers uncompressed with --no-gzip, and stops on SIGTERM', async () => {
    const { child, ready, exited } = start('--nodes', '2', '--no-gzip');
    const { urls } = await ready;
    const res = await fetch(urls[0]!);
    expect(res.headers.get('content-encoding')).toBeNull();
    await res.arrayBuffer();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('stops by itself after --duration', async () => {
    const { ready, exited } = start('--nodes', '1', '--duration', '1');
    await ready;
    expect(await exited).toBe(0);
  });

  it('fails on a bad argument', async () => {
    const { ready, exited } = start('--nodes', 'many');
    await expect(ready).rejects.toThrow(/--nodes must be a whole number/);
    expect(await exited).toBe(1);
  });
});
