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

describe('--cadvisor-port', () => {
  it('goes with node lists, and says why not with the sources that find their own nodes', () => {
    expect(parse(['node1', '--cadvisor-port', '8080'])).toMatchObject({ cadvisorPort: 8080 });
    expect(() => parse(['--kubeconfig', '--cadvisor-port', '8080'])).toThrow(/--cadvisor-port is for node lists: with --kubeconfig/);
    expect(() => parse(['--demo', '--cadvisor-port', '8080'])).toThrow(/cannot be used with --prometheus, --replay or --demo/);
    const program = buildProgram().exitOverride().configureOutput({ writeErr: () => {} });
    expect(() => program.parse(['node1', '--cadvisor-port', '0'], { from: 'user' })).toThrow(/--cadvisor-port takes a port from 1 to 65535, such as 8080, not "0"/);
  });
});
