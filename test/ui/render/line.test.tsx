import { afterEach, describe, expect, it } from 'vitest';
import { Box } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { Line, Screen } from '../../../src/ui/render/line.js';
import { LineWriter } from '../../../src/ui/terminal/line-writer.js';
import { tick } from '../fixtures.js';

afterEach(() => cleanup());

describe('Line', () => {
  it('draws each line on a row of its own, colored, and an empty line as an empty row', async () => {
    const { lastFrame } = render(
      <Box flexDirection="column">
        <Line segments={[{ text: 'a ' }, { text: 'red', color: 'red' }]} color />
        <Line segments={[]} color />
        <Line segments={[{ text: 'b' }]} color={false} />
      </Box>,
    );
    await tick();
    expect(lastFrame()).toBe('a \u001B[31mred\u001B[39m\n\nb');
  });

  it('cuts a line wider than the terminal to its width, with an ellipsis', async () => {
    // ink-testing-library's terminal is 100 columns wide.
    const { lastFrame } = render(<Line segments={[{ text: 'x'.repeat(150), color: 'green' }]} color />);
    await tick();
    expect(lastFrame()).toBe(`\u001B[32m${'x'.repeat(99)}…\u001B[39m`);
  });
});

describe('Screen with the line writer', () => {
  it('writes the lines itself, ink drawing nothing, and hostile text only as U+FFFD', async () => {
    const chunks: string[] = [];
    const writer = new LineWriter({ write: (chunk: string) => chunks.push(chunk) });
    const hostile = 'a\u001B]0;pwned\u0007b\u001B[2Jc\u009Bd\re';
    const { lastFrame } = render(<Screen lines={[[{ text: 'title', bold: true }], [{ text: hostile, color: 'red' }]]} color writer={writer} columns={40} rows={3} />);
    await tick();
    expect(lastFrame()).toBe('');
    const bytes = chunks.join('');
    expect(bytes).toContain('\u001B[1mtitle\u001B[22m');
    // Take out the writer's own sequences (cursor moves, erases, modes, styles): no control character is left.
    const rest = bytes.replace(/\u001B\[[?\d;]*[A-Za-z]/g, '');
    expect(rest).toBe('titlea\uFFFD]0;pwned\uFFFDb\uFFFD[2Jc\uFFFDd\uFFFDe');
  });

  it('cuts a line wider than the terminal to its width, with an ellipsis', async () => {
    const chunks: string[] = [];
    const writer = new LineWriter({ write: (chunk: string) => chunks.push(chunk) });
    render(<Screen lines={[[{ text: 'x'.repeat(50) }]]} color={false} writer={writer} columns={20} rows={2} />);
    await tick();
    expect(chunks.join('')).toContain(`\u001B[1;1H${'x'.repeat(19)}…`);
  });
});
