import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { FileSdProvider, readGroups } from '../../../src/sources/discovery/file-sd.js';
import type { TargetTemplate } from '../../../src/sources/discovery/discovered-target.js';
import { WAIT } from '../../ui/fixtures.js';

const TEMPLATE: TargetTemplate = { job: 'files', scheme: 'http', metricsPath: '/metrics', params: {} };
let dir: string;

beforeEach(() => {
  dir = tempDir('file-sd');
});

/** Written aside and renamed into place, as tools that generate file_sd files do. */
function put(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
  return path;
}

describe('readGroups', () => {
  it('reads JSON and YAML target groups with their labels; __ labels shape the URL and are dropped', async () => {
    const json = put('a.json', JSON.stringify([
      { targets: ['n1:9100', 'n2:9100'], labels: { env: 'prod' } },
      { targets: ['n3:9200'], labels: { __metrics_path__: '/probe', __param_module: 'icmp', __scheme__: 'https', __meta_x: 'y', job: 'blackbox' } },
    ]));
    const targets = await readGroups(json, TEMPLATE);
    expect(targets.map((t) => [t.url.href, t.labels])).toEqual([
      ['http://n1:9100/metrics', { job: 'files', instance: 'n1:9100', env: 'prod' }],
      ['http://n2:9100/metrics', { job: 'files', instance: 'n2:9100', env: 'prod' }],
      ['https://n3:9200/probe?module=icmp', { job: 'blackbox', instance: 'n3:9200' }],
    ]);
    const yaml = put('b.yml', '- targets: [n4:9100]\n  labels:\n    rack: r1\n');
    expect((await readGroups(yaml, TEMPLATE)).map((t) => t.labels)).toEqual([{ job: 'files', instance: 'n4:9100', rack: 'r1' }]);
    expect(await readGroups(put('empty.yaml', ''), TEMPLATE)).toEqual([]);
  });

  it.each([
    ['[{"targets": "n1:9100"}]', '[0].targets: expected a list of strings'],
    ['[{"targets": ["n1:9100"]}, {"targets": ["http://n2/metrics"]}]', '[1].targets[0]: "http://n2/metrics" is not host:port'],
    ['{"targets": ["n1:9100"]}', 'expected a list of target groups'],
    ['[{"targets": ["n1:9100"], "labels": {"a": 1}}]', '[0].labels.a: expected a string'],
  ])('%s: names the file and field', async (text, message) => {
    const path = put('bad.json', text);
    await expect(readGroups(path, TEMPLATE)).rejects.toThrow(`${path}: ${message}`);
  });
});

describe('FileSdProvider', () => {
  it('expands * in the last path element, and follows files added, changed and removed', async () => {
    const p = new FileSdProvider([join(dir, '*.json'), join(dir, 'extra.yaml')], TEMPLATE, 60_000);
    put('b.json', '[{"targets": ["b:1"]}]');
    put('a.json', '[{"targets": ["a:1"]}]');
    put('ignored.txt', 'c:1');
    await p.refresh();
    expect(p.targets.map((t) => t.labels.instance)).toEqual(['a:1', 'b:1']);

    put('extra.yaml', '- targets: [x:1]');
    rmSync(join(dir, 'b.json'));
    await p.refresh();
    expect(p.targets.map((t) => t.labels.instance)).toEqual(['a:1', 'x:1']);
    p.close();
  });

  it('keeps a broken file\'s last good targets and says what is wrong', async () => {
    const p = new FileSdProvider([join(dir, '*.json')], TEMPLATE, 60_000);
    const path = put('a.json', '[{"targets": ["a:1"]}]');
    await p.refresh();
    put('a.json', '[{"targets": ["a:1"');
    await p.refresh();
    expect(p.targets.map((t) => t.labels.instance)).toEqual(['a:1']);
    expect(p.notice).toMatch(new RegExp(`^${path}: invalid YAML at line \\d+, column \\d+: .* \\(keeping its last 1 target\\)$`));
    put('a.json', '[{"targets": ["a:2"]}]');
    await p.refresh();
    expect(p.notice).toBeUndefined();
    expect(p.targets.map((t) => t.labels.instance)).toEqual(['a:2']);
  });

  it('is told when a file is rewritten while it runs (fs.watch)', async () => {
    const p = new FileSdProvider([join(dir, '*.yml')], TEMPLATE, 600_000);
    put('a.yml', '- targets: [a:1]');
    await p.refresh();
    let changes = 0;
    p.watch(() => {
      changes++;
      void p.refresh();
    });
    try {
      put('a.yml', '- targets: [a:1, a:2]');
      await expect.poll(() => p.targets, WAIT).toHaveLength(2);
      put('b.yml', '- targets: [b:1]\n  labels: { env: dev }');
      await expect.poll(() => p.targets, WAIT).toHaveLength(3);
      expect(p.targets[2]?.labels).toEqual({ job: 'files', instance: 'b:1', env: 'dev' });
      expect(changes).toBeGreaterThan(0);
    } finally {
      p.close();
    }
  });
});
