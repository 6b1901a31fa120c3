import { describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/app.js';
import { buildStore, NOW, tick } from './fixtures.js';
import { renderSized } from './terminal.js';

describe('a terminal below 50x12', () => {
  it.each([
    [40, 24],
    [80, 10],
  ])('at %ix%i shows its size and the size needed instead of cut text, and q still quits', async (columns, rows) => {
    const onQuit = vi.fn();
    const t = renderSized(<App store={buildStore()} intervalMs={1000} onQuit={onQuit} now={() => NOW} color={false} />, columns, rows);
    await tick();
    expect(t.lastFrame()).toContain('terminal too small');
    expect(t.lastFrame()).toContain(`${columns}x${rows}, need 50x12`);
    expect(t.lastFrame()).not.toContain('NODE');
    t.stdin.write('q');
    await tick();
    expect(onQuit).toHaveBeenCalled();
    t.unmount();
  });

  it('draws the table from 50x12 on', async () => {
    const t = renderSized(<App store={buildStore()} intervalMs={1000} onQuit={vi.fn()} now={() => NOW} color={false} />, 50, 12);
    await tick();
    expect(t.lastFrame()).toContain('NODE');
    t.unmount();
  });
});
