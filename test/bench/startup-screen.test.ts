import { describe, expect, it } from 'vitest';
import { hasCpuFigure, hasNetworkFigure, hasRows, screenRows } from '../../bench/startup/screen.js';

// Screens as tmux captured them (140 columns), trimmed to the lines that matter.
const HEADER = ' NODE▲        STATUS    CPU              CPU HIST                                 MEM              LOAD   RX/s   TX/s   RD/s   WR/s   UPTIME';
const WAITING = [
  'cluster-top  0/3 up  CPU                          -  MEM                          -  every 2s',
  HEADER,
  '>sim-node-001 waiting   ···········    -                                          ··········    -     -      -      -      -      -        -',
  ' sim-node-006 DOWN      connection refused',
  ' sim-node-007 up        ···········    -                                          ████▍·····  43%  1.52      -      -      -      -  24d 22h',
  'sim-node-001  http://127.0.0.1:42709/metrics                                                               sort name▲  3/3',
  'q quit  ? help',
].join('\n');
const FIGURES = WAITING.replace(
  ' sim-node-007 up        ···········    -                                          ████▍·····  43%  1.52      -',
  ' sim-node-007 up        ██▏········  20%                                        ▂ ████▍·····  43%  1.52   1.7M',
);

describe('the start-up benchmark reading a captured screen', () => {
  it('finds no rows before the table is drawn', () => {
    expect(screenRows('')).toEqual([]);
    expect(hasRows('cluster-top  0/3 up\n\n')).toBe(false);
  });

  it('reads each row under the header until the status line, with its CPU and RX/s cells', () => {
    const rows = screenRows(WAITING);
    expect(rows.map((r) => [r.name, r.status])).toEqual([['sim-node-001', 'waiting'], ['sim-node-006', 'DOWN'], ['sim-node-007', 'up']]);
    expect(rows[0]).toEqual({ name: 'sim-node-001', status: 'waiting', cpu: '···········    -', rx: '-' });
    // A down node's reason runs across the columns: cut at the next header, it is no figure.
    expect(rows[1]?.cpu).toMatch(/^connection refuse/);
    expect(rows[1]?.rx).toBe('');
    expect(hasRows(WAITING)).toBe(true);
  });

  it('tells a CPU or network figure from none: the memory percent and the load do not count', () => {
    expect(hasCpuFigure(WAITING)).toBe(false);
    expect(hasNetworkFigure(WAITING)).toBe(false);
    expect(hasCpuFigure(FIGURES)).toBe(true);
    expect(hasNetworkFigure(FIGURES)).toBe(true);
    expect(screenRows(FIGURES)[2]).toEqual({ name: 'sim-node-007', status: 'up', cpu: '██▏········  20%', rx: '1.7M' });
  });

  it('reads this machine\'s narrower name column and a sorted header', () => {
    const screen = [
      ' NODE      STATUS    CPU▼              CPU HIST                                 MEM               LOAD   RX/s   TX/s',
      '>vm        up        ███████████▉  99%                                        █ ▍··········   3%  7.16     0B     0B',
    ].join('\n');
    expect(screenRows(screen)).toEqual([{ name: 'vm', status: 'up', cpu: '███████████▉  99%', rx: '0B' }]);
  });
});
