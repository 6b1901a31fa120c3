import { describe, expect, it } from 'vitest';
import { buildProgram, toCliOptions } from '../../src/cli/options.js';

function parse(args: string[], env: NodeJS.ProcessEnv = {}) {
  const program = buildProgram();
  program.parse(args, { from: 'user' });
  return toCliOptions(program.processedArgs[0] as string[], program.opts(), env);
}

describe('toCliOptions', () => {
  it('asks for the mouse unless --no-mouse, and colors unless --no-color or NO_COLOR', () => {
    expect(parse(['node1'])).toMatchObject({ mouse: true, color: true });
    expect(parse(['--no-mouse', 'node1'])).toMatchObject({ mouse: false, color: true });
    expect(parse(['--no-color', 'node1'])).toMatchObject({ mouse: true, color: false });
    expect(parse(['node1'], { NO_COLOR: '1' })).toMatchObject({ color: false });
  });
});
