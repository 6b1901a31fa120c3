import { describe, expect, it } from 'vitest';
import { ClusterStore } from '../../src/store/cluster-store.js';
import type { ProcessRow } from '../../src/metrics/process-figures.js';
import { MAX_ARGS_CHARS } from '../../src/store/processes.js';

const row = (over: Partial<ProcessRow>): ProcessRow => ({
  pid: 1,
  ppid: 0,
  user: 'root',
  command: 'init',
  args: null,
  state: 'S',
  cpuPercent: 0,
  memoryBytes: 0,
  threads: 1,
  startTimeSeconds: 0,
  count: null,
  ...over,
});

describe('a node\'s processes in the store', () => {
  it('makes command names, users and command lines visible, and bounds a command line', () => {
    const store = new ClusterStore(10);
    store.upsert({ id: 'a', name: 'a', target: 'a' });
    const clean = { source: 'agent' as const, processes: [row({})], groups: [], total: 1 };
    store.setProcesses('a', clean);
    expect(store.get('a')!.processes).toBe(clean); // nothing to change: the same object
    store.setProcesses('a', {
      source: 'agent',
      processes: [row({ command: 'evil\u001b]52;c;x\u0007', user: 'u\u202e', args: `sh -c ${'x'.repeat(5000)}\n` })],
      groups: [row({ pid: null, command: 'g\r', count: 2 })],
      total: 1,
    });
    const p = store.get('a')!.processes!;
    expect(p.processes[0]!.command).toBe('evil\\x1b]52;c;x\\x07');
    expect(p.processes[0]!.user).toBe('u\\u202e');
    expect(p.processes[0]!.args!.length).toBe(MAX_ARGS_CHARS);
    expect(p.groups[0]!.command).toBe('g\\r');
    store.setProcesses('a', null);
    expect(store.get('a')!.processes).toBeNull();
  });
});
