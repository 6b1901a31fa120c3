import { describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/app.js';
import { parseTarget } from '../../src/targets/parse-target.js';
import { uniqueTargets } from '../../src/targets/targets-file.js';
import { buildStore, frameLines, NOW, tick } from './fixtures.js';
import { renderSized } from './terminal.js';

describe('start-up warnings in the view', () => {
  it('are shown above the table until x dismisses them, at most three and how many more', async () => {
    const warnings = ['cfg.yml: relabel_configs is not supported: ignored', 'http://a:9100/metrics is given twice: scraped once', 'w3', 'w4', 'w5'];
    const t = renderSized(<App store={buildStore()} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} warnings={warnings} />, 100, 30);
    await tick();
    const lines = frameLines(t.lastFrame());
    expect(lines.some((l) => l.startsWith('! cfg.yml: relabel_configs is not supported: ignored') && l.endsWith('x dismiss'))).toBe(true);
    expect(lines.some((l) => l.includes('! w3') && l.includes('(+2 more on stderr, seen after q)'))).toBe(true);
    expect(lines.findIndex((l) => l.startsWith('! cfg.yml'))).toBeLessThan(lines.findIndex((l) => /^ NODE/.test(l)));
    t.stdin.write('x');
    await tick();
    expect(t.lastFrame()).not.toContain('relabel_configs');
    // x again: nothing left to dismiss, and the status line says so.
    t.stdin.write('x');
    await tick();
    expect(t.lastFrame()).toContain('x: no warnings to dismiss');
    t.unmount();
  });
});

describe('targets given twice', () => {
  it('are scraped once, with a warning that says whether the credentials differ and shows none of them', () => {
    const heard: string[] = [];
    const kept = uniqueTargets(
      [parseTarget('http://ops:s3cret-one@127.0.0.1:9100/metrics'), parseTarget('http://ops:s3cret-two@127.0.0.1:9100/metrics'), parseTarget('127.0.0.1:9101'), parseTarget('127.0.0.1:9101')],
      (line) => heard.push(line),
    );
    expect(kept).toHaveLength(2);
    expect(heard).toEqual([
      'http://ops:***@127.0.0.1:9100/metrics is given twice with other credentials: scraped once, with the first',
      'http://127.0.0.1:9101/metrics is given twice: scraped once, with the first',
    ]);
    expect(heard.join('\n')).not.toMatch(/s3cret/);
  });
});
