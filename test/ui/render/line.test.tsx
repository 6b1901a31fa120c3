import { afterEach, describe, expect, it } from 'vitest';
import { Box } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { Line } from '../../../src/ui/render/line.js';
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
