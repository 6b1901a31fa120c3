import { afterEach, describe, expect, it } from 'vitest';
import { ANSI, buildStore, NOW, tick } from './fixtures.js';

// chalk decides its color level when first imported; a test process has no terminal, so force
// colors before ink is loaded, or "color on" could not be told from "color off".
process.env.FORCE_COLOR = '1';
const { render, cleanup } = await import('ink-testing-library');
const { App } = await import('../../src/ui/app.js');

afterEach(() => cleanup());

describe('color', () => {
  it('colors the frame when on (the terminal supports colors)', async () => {
    const { lastFrame } = render(<App store={buildStore()} intervalMs={1000} onQuit={() => {}} now={() => NOW} />);
    await tick();
    expect(lastFrame()).toMatch(ANSI);
  });

  it('writes no escape sequence when off, even where colors are supported', async () => {
    const { lastFrame, stdin } = render(<App store={buildStore()} intervalMs={1000} onQuit={() => {}} now={() => NOW} color={false} />);
    await tick();
    expect(lastFrame()).not.toMatch(ANSI);
    stdin.write('\r');
    await tick();
    expect(lastFrame()).toContain('C0');
    expect(lastFrame()).not.toMatch(ANSI);
  });
});
